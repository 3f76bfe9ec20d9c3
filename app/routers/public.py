"""Public pages and their machine twins. Routes only translate HTTP into calls."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app import formats
from app.deps import SessionDep
from app.geo import wgs_to_utm
from app.i18n import gettext as _
from app.models import OfferPublic
from app.search import (
    FilterErrors,
    Filters,
    SearchResult,
    count_by_category,
    describe,
    district_names,
    get_offer,
    parse_filters,
    search_offers,
)
from app.web import render

router = APIRouter()

OfferId = Annotated[int, Path(ge=1)]


def _search(request: Request, session: SessionDep, page_size: int | None
            ) -> tuple[SearchResult | None, Filters, dict[str, str], dict[str, str]]:
    districts = district_names(session)
    try:
        filters = parse_filters(request.query_params.multi_items(), list(districts))
    except FilterErrors as exc:
        return None, exc.filters, exc.errors, districts
    origin = wgs_to_utm(filters.lon, filters.lat) if filters.has_point else None
    result = search_offers(session, filters, page_size=page_size, origin=origin)
    errors: dict[str, str] = {}
    if page_size and result.total and filters.seite > result.pages:
        errors["seite"] = _("Die Seite %(page)s gibt es nicht; es gibt %(pages)s Seiten.",
                            page=filters.seite, pages=result.pages)
    return result, filters, errors, districts


def _unprocessable(errors: dict[str, str]) -> JSONResponse:
    detail = [{"loc": ["query", name], "msg": msg, "type": "value_error"}
              for name, msg in errors.items()]
    return JSONResponse({"detail": detail}, status_code=422)


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "pages/home.html", {
        "counts": count_by_category(session),
        "districts": district_names(session),
    })


@router.get("/angebote", response_class=HTMLResponse, name="search")
def search_page(request: Request, session: SessionDep) -> HTMLResponse:
    result, filters, errors, districts = _search(request, session, page_size=20)
    template = "partials/_results.html" if request.headers.get("HX-Request") else "pages/search.html"
    return render(request, template, {
        "result": result,
        "filters": filters,
        "errors": errors,
        "districts": districts,
        "summary": describe(result, districts) if result else "",
    })


@router.get("/angebote.json", name="search_json")
def search_json(request: Request, session: SessionDep) -> Response:
    result, _f, errors, _d = _search(request, session, page_size=20)
    if errors or result is None:
        return _unprocessable(errors)
    return JSONResponse(formats.to_json(result))


@router.get("/angebote.csv", name="search_csv")
def search_csv(request: Request, session: SessionDep) -> Response:
    result, _f, errors, _d = _search(request, session, page_size=None)
    if errors or result is None:
        return _unprocessable(errors)
    return Response(formats.to_csv(result), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="angebote.csv"'})


@router.get("/angebote.geojson", name="search_geojson")
def search_geojson(request: Request, session: SessionDep) -> Response:
    result, _f, errors, _d = _search(request, session, page_size=None)
    if errors or result is None:
        return _unprocessable(errors)
    return Response(formats.dumps(formats.to_geojson(result)),
                    media_type="application/geo+json")


@router.get("/angebote/{offer_id}.json", name="offer_json")
def offer_json(offer_id: OfferId, session: SessionDep) -> Response:
    offer = get_offer(session, offer_id)
    if offer is None:
        return JSONResponse({"detail": _("Angebot %(id)s nicht gefunden.", id=offer_id)},
                            status_code=404)
    return JSONResponse(OfferPublic.from_offer(offer).model_dump(mode="json"))


@router.get("/angebote/{offer_id}", response_class=HTMLResponse, name="offer")
def offer_page(request: Request, offer_id: OfferId, session: SessionDep) -> HTMLResponse:
    offer = get_offer(session, offer_id)
    if offer is None:
        return render(request, "pages/not_found.html", {"offer_id": offer_id}, status_code=404)
    return render(request, "pages/offer.html", {
        "offer": offer,
        "districts": district_names(session),
    })


@router.get("/ueber", response_class=HTMLResponse, name="about")
def about(request: Request) -> HTMLResponse:
    return render(request, "pages/about.html")

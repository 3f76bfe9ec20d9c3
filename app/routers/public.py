"""Public pages and their machine twins. Routes only translate HTTP into calls."""

from collections.abc import Callable, Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.config import get_settings
from app.deps import SessionDep
from app.formats import offers as formats
from app.formats.rows import public_rows
from app.geo.gazetteer import Geocoder, get_geocoder
from app.i18n import gettext as _
from app.maps import svg as mapsvg
from app.models.catalogue import OfferPublic
from app.search.query import (
    SearchOutcome,
    count_by_category,
    district_names,
    get_offer,
    run_search,
)
from app.search.wording import describe
from app.web.render import render

router = APIRouter()

OfferId = Annotated[int, Path(ge=1, le=2**31 - 1)]  # a database integer
GeocoderDep = Annotated[Geocoder | None, Depends(get_geocoder)]


def search_request(request: Request, session: SessionDep, geocoder: Geocoder | None,
                   page_size: int | None, load: bool = True) -> SearchOutcome:
    """The search that the query string asks for (shared by the lists and the map)."""
    return run_search(session, request.query_params.multi_items(), page_size=page_size,
                      load=load, data_dir=get_settings().data_dir, geocoder=geocoder)


def unprocessable(errors: dict[str, str], suggestions: list[str] | None = None
                  ) -> JSONResponse:
    detail = [{"loc": ["query", name], "msg": msg, "type": "value_error"}
              for name, msg in errors.items()]
    if suggestions:
        for item in detail:
            if item["loc"] == ["query", "nahe"]:
                item["ctx"] = {"suggestions": suggestions}
    return JSONResponse({"detail": detail}, status_code=422)


def results_context(found: SearchOutcome) -> dict:
    """What every page showing a search result needs (search page, partial, map)."""
    result = found.result
    return {
        "result": result,
        "filters": found.filters,
        "errors": found.errors,
        "suggestions": found.suggestions,
        "districts": found.districts,
        "summary": describe(result, found.districts) if result else "",
    }


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "pages/home.html", {
        "counts": count_by_category(session),
        "districts": district_names(session),
    })


@router.get("/angebote", response_class=HTMLResponse, name="search")
def search_page(request: Request, session: SessionDep, geocoder: GeocoderDep) -> HTMLResponse:
    found = search_request(request, session, geocoder, page_size=get_settings().page_size)
    result = found.result
    htmx = request.headers.get("HX-Request")
    template = "partials/_results.html" if htmx else "pages/search.html"
    return render(request, template, {
        **results_context(found),
        "map": (mapsvg.search_map(session, result, data_dir=get_settings().data_dir)
                if result and result.hits else None),
    })


@router.get("/angebote.json", name="search_json")
def search_json(request: Request, session: SessionDep, geocoder: GeocoderDep) -> Response:
    found = search_request(request, session, geocoder, page_size=get_settings().page_size)
    if found.errors or found.result is None:
        return unprocessable(found.errors, found.suggestions)
    data = formats.to_json(found.result)
    near = found.result.near_json()
    if near is not None:
        data["near"] = near
    return JSONResponse(data)


def every_match(request: Request, session: SessionDep, geocoder: Geocoder | None,
                render_rows: Callable[[Iterable[OfferPublic]], str], **response: Any
                ) -> Response:
    """An export of every match of the search (CSV, GeoJSON), or the 422 naming what
    was wrong with the query."""
    found = search_request(request, session, geocoder, page_size=None, load=False)
    if found.errors or found.result is None:
        return unprocessable(found.errors, found.suggestions)
    return Response(render_rows(public_rows(session, found.result)), **response)


@router.get("/angebote.csv", name="search_csv")
def search_csv(request: Request, session: SessionDep, geocoder: GeocoderDep) -> Response:
    return every_match(request, session, geocoder, formats.to_csv,
                       media_type="text/csv; charset=utf-8",
                       headers={"Content-Disposition": 'attachment; filename="angebote.csv"'})


@router.get("/angebote.geojson", name="search_geojson")
def search_geojson(request: Request, session: SessionDep, geocoder: GeocoderDep) -> Response:
    return every_match(request, session, geocoder,
                       lambda rows: formats.dumps(formats.to_geojson(rows)),
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
        "map": mapsvg.offer_map(session, offer),
    })


@router.get("/ueber", response_class=HTMLResponse, name="about")
def about(request: Request) -> HTMLResponse:
    return render(request, "pages/about.html")

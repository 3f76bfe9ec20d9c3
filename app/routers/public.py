"""Public pages and their machine twins. Routes only translate HTTP into calls."""

from collections.abc import Callable, Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.catalogue import kitafacts, opening
from app.catalogue.guidance import guidance_for
from app.catalogue.notes import data_note
from app.catalogue.public import public_offer, public_offers
from app.catalogue.read import count_by_category, district_names, get_offer
from app.catalogue.verification import checked_by
from app.config import get_settings
from app.deps import GeocoderDep, SessionDep
from app.formats import offers as formats
from app.geo.geocoder import Geocoder
from app.i18n import gettext as _
from app.maps import offer_map
from app.maps import svg as mapsvg
from app.models import OfferPage, OfferPublic
from app.search.filters import SearchQuery
from app.search.result import SearchResult
from app.web.cache import depends_on_clock
from app.web.openapi import (
    HTML,
    HTML_NOT_FOUND,
    INVALID,
    NOT_FOUND,
    file_response,
    geojson_response,
    with_query,
)
from app.web.render import is_htmx, render, render_page_or_fragment
from app.web.search_context import (
    canonical_url,
    results_context,
    search_moment,
    search_request,
    unprocessable,
)

router = APIRouter()

OfferId = Annotated[int, Path(ge=1, le=2**31 - 1, description="id of the offer")]
SEARCH = with_query(SearchQuery)


@router.get("/", response_class=HTMLResponse, name="home", responses=HTML)
def home(request: Request, session: SessionDep) -> HTMLResponse:
    return render(
        request,
        "pages/home.html",
        {
            "counts": count_by_category(session),
            "districts": district_names(session),
        },
    )


@router.get(
    "/angebote", response_class=HTMLResponse, name="search", openapi_extra=SEARCH, responses=HTML
)
def search_page(request: Request, session: SessionDep, geocoder: GeocoderDep) -> HTMLResponse:
    """The search. Bad parameters are shown on the page beside the fields, as typed."""
    found = search_request(request, session, geocoder, page_size=get_settings().page_size)
    result = found.result
    return render_page_or_fragment(
        request,
        "pages/search.html",
        "partials/_results.html",
        {
            **results_context(found),
            "map": mapsvg.search_map(session, result) if result and result.hits else None,
        },
        headers={"HX-Push-Url": canonical_url(request)} if is_htmx(request) else None,
    )


@router.get(
    "/angebote.json",
    name="search_json",
    openapi_extra=SEARCH,
    response_model=formats.SearchPage,
    responses=INVALID,
)
def search_json(request: Request, session: SessionDep, geocoder: GeocoderDep) -> Response:
    """One page of the search as JSON (``near``: the resolved place of a near-me search)."""
    found = search_request(
        request, session, geocoder, page_size=get_settings().page_size, load=False
    )
    if found.errors or found.result is None:
        return unprocessable(found.errors, found.places)
    data = formats.to_json(found.result, public_offers(session, found.result.ranked))
    near = found.result.near_json()
    if near is not None:
        data["near"] = near
    return JSONResponse(data)


def every_match(
    request: Request,
    session: SessionDep,
    geocoder: Geocoder | None,
    render_rows: Callable[[Iterable[OfferPublic], SearchResult], str],
    **response: Any,
) -> Response:
    """An export of every match of the search (CSV, GeoJSON), or the 422 naming what
    was wrong with the query."""
    found = search_request(request, session, geocoder, page_size=None, load=False)
    if found.errors or found.result is None:
        return unprocessable(found.errors, found.places)
    rows = public_offers(session, found.result.ranked)
    return Response(render_rows(rows, found.result), **response)


@router.get(
    "/angebote.csv",
    name="search_csv",
    openapi_extra=SEARCH,
    responses={**file_response("text/csv", "Every match as CSV"), **INVALID},
)
def search_csv(request: Request, session: SessionDep, geocoder: GeocoderDep) -> Response:
    return every_match(
        request,
        session,
        geocoder,
        lambda rows, _: formats.to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="angebote.csv"'},
    )


@router.get(
    "/angebote.geojson",
    name="search_geojson",
    openapi_extra=SEARCH,
    responses={**geojson_response("Every match as GeoJSON"), **INVALID},
)
def search_geojson(request: Request, session: SessionDep, geocoder: GeocoderDep) -> Response:
    return every_match(
        request,
        session,
        geocoder,
        lambda rows, result: formats.dumps(formats.to_geojson(rows, result)),
        media_type="application/geo+json",
    )


@router.get(
    "/angebote/{offer_id}.json", name="offer_json", response_model=OfferPage, responses=NOT_FOUND
)
def offer_json(offer_id: OfferId, session: SessionDep) -> Response:
    """The offer page's data: the offer and its sourced facts (source and date each)."""
    row = get_offer(session, offer_id)
    offer = public_offer(session, offer_id) if row else None
    if offer is None:
        return JSONResponse(
            {"detail": _("Angebot %(id)s nicht gefunden.", id=offer_id)}, status_code=404
        )
    twin = OfferPage(**offer.model_dump(), sourced_facts=kitafacts.public_facts(session, row))
    return JSONResponse(twin.model_dump(mode="json"))


@router.get(
    "/angebote/{offer_id}",
    response_class=HTMLResponse,
    name="offer",
    responses={**HTML, **HTML_NOT_FOUND},
)
def offer_page(request: Request, offer_id: OfferId, session: SessionDep) -> HTMLResponse:
    offer = get_offer(session, offer_id)
    if offer is None:
        return render(request, "pages/not_found.html", {"offer_id": offer_id}, status_code=404)
    today = depends_on_clock(request, 3600).date()  # "not confirmed for 12 months"
    return render(
        request,
        "pages/offer.html",
        {
            "offer": offer,
            "checked": checked_by(offer, today),
            "districts": district_names(session),
            "place": offer_map.offer_page_map(session, offer),
            "hours": opening.hours_view(offer, search_moment(request)),
            "guidance": guidance_for(session, offer.category_slugs),
            "note": data_note(session, offer),
            "sourced_facts": kitafacts.facts_of(session, offer),
        },
    )


@router.get("/ueber", response_class=HTMLResponse, name="about", responses=HTML)
def about(request: Request) -> HTMLResponse:
    return render(request, "pages/about.html")

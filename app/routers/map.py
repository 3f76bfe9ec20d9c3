"""The map of a search: /karte, with the same parameters as /angebote. The map shows
every match (counted per grid cell when there are many), the list beside or below it
one page, like the search."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.config import get_settings
from app.deps import GeocoderDep, SessionDep, TilesDep
from app.maps import svg as mapsvg
from app.search.filters import SearchQuery
from app.web.openapi import HTML, with_query
from app.web.render import render
from app.web.search_context import results_context, search_request

router = APIRouter()
SEARCH = with_query(SearchQuery)


@router.get("/karte", response_class=HTMLResponse, name="map", openapi_extra=SEARCH, responses=HTML)
def map_page(
    request: Request, session: SessionDep, geocoder: GeocoderDep, tiles: TilesDep
) -> HTMLResponse:
    found = search_request(
        request,
        session,
        geocoder,
        page_size=get_settings().page_size,
        rank_all_up_to=mapsvg.MAX_MARKERS,
    )
    result = found.result
    svg = (
        mapsvg.search_map(session, result, every_match=True)
        if result
        else mapsvg.districts_map(session)
    )
    return render(
        request,
        "pages/map.html",
        {
            **results_context(found),
            "map": svg,
            "tiles": tiles,
        },
    )

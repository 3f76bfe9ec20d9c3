"""A search as the routes run it: from the request's query string to the outcome, and
the context every page showing a result needs (search page, partial, map)."""

from datetime import datetime
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlmodel import Session

from app.config import get_settings
from app.geo.geocoder import Geocoder
from app.geo.places import Suggestion
from app.search.declare import BERLIN, Described
from app.search.run import SearchOutcome, run_search
from app.search.wording import describe
from app.web.cache import depends_on_clock


def search_request(
    request: Request,
    session: Session,
    geocoder: Geocoder | None,
    page_size: int | None,
    load: bool = True,
    rank_all_up_to: int | None = None,
) -> SearchOutcome:
    """The search that the query string asks for (shared by the lists and the map).

    Every search depends on the clock to the minute: "geoeffnet=jetzt", and each
    result's "jetzt geöffnet, bis 16:30" (the response cache keeps it that long)."""
    return run_search(
        session,
        request.query_params.multi_items(),
        page_size=page_size,
        load=load,
        geocoder=geocoder,
        rank_all_up_to=rank_all_up_to,
        neighbourhood_radius_m=get_settings().neighbourhood_radius_m,
        now=search_moment(request),
    )


def search_moment(request: Request) -> datetime:
    """The moment a page is computed for, in Europe/Berlin (the offer page's "jetzt
    geöffnet" reads its date and time): the configured fixed clock, or the start of
    the current minute, declared to the response cache (``depends_on_clock``)."""
    moment = depends_on_clock(request, 60)
    return (get_settings().clock or moment).astimezone(BERLIN)


def canonical_url(request: Request) -> str:
    """The request's URL with only the parameters that are set (HTMX pushes it)."""
    pairs = [(k, v) for k, v in request.query_params.multi_items() if v.strip()]
    return request.url.path + (f"?{urlencode(pairs)}" if pairs else "")


def unprocessable(errors: dict[str, str], places: list[Suggestion] | None = None) -> JSONResponse:
    """The 422 of the machine twins, naming each bad parameter; for an unknown place
    the suggested places (names, and each with its district)."""
    detail = [
        {"loc": ["query", name], "msg": msg, "type": "value_error"} for name, msg in errors.items()
    ]
    if places:
        for item in detail:
            if item["loc"] == ["query", "nahe"]:
                item["ctx"] = {
                    "suggestions": [p.name for p in places],
                    "places": [p.public() for p in places],
                }
    return JSONResponse({"detail": detail}, status_code=422)


def results_context(found: SearchOutcome) -> dict:
    """What every page showing a search result needs (search page, partial, map)."""
    result = found.result
    return {
        "result": result,
        "filters": found.filters,
        "errors": found.errors,
        "suggestions": found.places,
        "districts": found.districts,
        "summary": describe(result, found.districts) if result else "",
        "chips": found.filters.chips(Described(result, found.districts)),
        "now": result.now if result else None,
        "choices": found.choices,
        "guidance": found.guidance,
    }

"""A search as the routes run it: from the request's query string to the outcome, and
the context every page showing a result needs (search page, partial, map)."""

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlmodel import Session

from app.geo.geocoder import Geocoder
from app.search.run import SearchOutcome, run_search
from app.search.wording import describe


def search_request(request: Request, session: Session, geocoder: Geocoder | None,
                   page_size: int | None, load: bool = True) -> SearchOutcome:
    """The search that the query string asks for (shared by the lists and the map)."""
    return run_search(session, request.query_params.multi_items(), page_size=page_size,
                      load=load, geocoder=geocoder)


def unprocessable(errors: dict[str, str], suggestions: list[str] | None = None
                  ) -> JSONResponse:
    """The 422 of the machine twins, naming each bad parameter."""
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

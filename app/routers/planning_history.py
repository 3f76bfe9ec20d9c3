"""The planning view over time: /planung/staende (any stored date, and the change
between two dates per district) and the staff's "Stand festhalten"."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.deps import PLANNER_PAGES, PlannerDep, SessionDep
from app.numbers import format_date
from app.planning import history
from app.planning.coverage import coverage
from app.planning.coverage_model import MEASURES
from app.planning.kinds import KIND_BY_SLUG, KINDS
from app.planning.query import MEASURE_LABELS
from app.planning.table import format_value
from app.web.openapi import HTML, HTML_NOT_FOUND
from app.web.render import render

router = APIRouter()
staff = APIRouter(prefix="/verwaltung/planung", dependencies=PLANNER_PAGES, include_in_schema=False)


@router.get(
    "/planung/staende",
    response_class=HTMLResponse,
    name="planning_history",
    responses={**HTML, **HTML_NOT_FOUND},
)
def history_page(
    request: Request,
    session: SessionDep,
    art: Annotated[str, Query(max_length=40, pattern=r"^[a-z0-9_-]*$")] = "kita",
    mass: Annotated[str, Query(max_length=40, pattern=r"^[a-z0-9_-]*$")] = "je_1000",
    von: Annotated[date | None, Query(description="the earlier stored date")] = None,
    bis: Annotated[date | None, Query(description="the later stored date (empty: now)")] = None,
) -> HTMLResponse:
    """Stored snapshots: the chosen measure per district at one date and at another
    (or now), and the change."""
    errors = {}
    if art not in KIND_BY_SLUG:
        errors["art"], art = "unbekannte Art", "kita"
    if mass not in MEASURES:
        errors["mass"], mass = "unbekanntes Maß", "je_1000"
    dates = history.stored_dates(session)
    first = history.at(session, von) if von else (history.at(session, dates[0]) if dates else None)
    second = history.at(session, bis) if bis else None
    rows = []
    if first is not None:
        if second is None:
            now = history.PlanningSnapshot(
                taken_on=date.today(),
                level=first.level,
                actor="",
                data=history.live(coverage(session)),
                names=first.names,
            )
            rows = history.compare(first, now, art, mass)
        else:
            rows = history.compare(first, second, art, mass)
    return render(
        request,
        "pages/planning/history.html",
        {
            "dates": dates,
            "first": first,
            "second": second,
            "rows": rows,
            "art": art,
            "mass": mass,
            "KINDS": KINDS,
            "MEASURES": MEASURES,
            "MEASURE_LABELS": MEASURE_LABELS,
            "value_text": format_value,
            "date_text": format_date,
            "errors": errors,
        },
    )


@staff.post("/festhalten", name="planning_record")
def record_now(request: Request, staff_member: PlannerDep, session: SessionDep) -> Response:
    """ "Stand festhalten": today's computation stored as a dated snapshot."""
    snap = history.record(session, staff_member.user.label)
    session.commit()
    url = request.url_for("planning_history").include_query_params(von=snap.taken_on.isoformat())
    return RedirectResponse(str(url), status_code=303)

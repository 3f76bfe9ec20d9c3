"""Saving what-if scenarios (planners, editors, admins): /verwaltung/planung/szenario.
The public scenario page links here with its sites in the URL; the form asks for a
name (and a note) and saves through ``app.planning.scenarios``; a saved scenario can
be renamed, given the sites of a new link, withdrawn and restored. Each change is
logged; the history is on the edit page."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.deps import PLANNER_PAGES, PlannerDep, SessionDep
from app.numbers import format_datetime
from app.planning import scenarios
from app.planning.scenario import MAX_SITES, parse_site
from app.planning.siting import how_text
from app.web.staff import page, staff_actor

router = APIRouter(
    prefix="/verwaltung/planung/szenario", dependencies=PLANNER_PAGES, include_in_schema=False
)
ScenarioId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Sites = Annotated[list[str], Query(max_length=MAX_SITES)]
TEMPLATE = "pages/planning/scenario_save.html"


def _sites(texts: list[str]) -> list:
    out = []
    for text in texts:
        try:
            out.append(parse_site(text))
        except ValueError:
            continue
    return out


def _page(  # noqa: ANN001
    request: Request, session: SessionDep, saved, values: dict, status_code: int = 200, **extra
) -> HTMLResponse:
    return page(
        request,
        TEMPLATE,
        {
            "saved": saved,
            "values": values,
            "sites": _sites(values["sites"]),
            "history": scenarios.history(session, saved.id) if saved is not None else [],
            "how_text": how_text,
            "datetime_text": format_datetime,
            **extra,
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse, name="admin_scenario_new")
def new_form(
    request: Request,
    staff: PlannerDep,
    session: SessionDep,
    ort: Sites = [],  # noqa: B006
) -> HTMLResponse:
    return _page(request, session, None, {"name": "", "note": "", "sites": ort})


# The name and the note have no Form(max_length): the domain's validate() refuses an
# over-long one in words with the typed text kept in the form; a bound here would turn
# it into a bare validation page and lose the text (the body limit still caps the size).


@router.post("", name="admin_scenario_create")
def create(
    request: Request,
    staff: PlannerDep,
    session: SessionDep,
    name: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    ort: Annotated[list[str], Form(max_length=MAX_SITES)] = [],  # noqa: B006
) -> Response:
    try:
        row = scenarios.create(session, name, note, ort, staff_actor(staff))
    except scenarios.ScenarioInvalid as exc:
        values = {"name": name, "note": note, "sites": ort}
        return _page(request, session, None, values, errors=exc.errors, status_code=422)
    session.commit()
    url = request.url_for("planning_saved_scenario", scenario_id=row.id)
    return RedirectResponse(str(url), status_code=303)


@router.get("/{scenario_id}", response_class=HTMLResponse, name="admin_scenario")
def edit_form(
    request: Request,
    staff: PlannerDep,
    session: SessionDep,
    scenario_id: ScenarioId,
    ort: Sites = [],  # noqa: B006
) -> HTMLResponse:
    """Edit a saved scenario; ``ort`` in the URL proposes new sites for it."""
    saved = scenarios.get(session, scenario_id)
    if saved is None:
        return page(request, "pages/not_found.html", {}, status_code=404)
    values = {"name": saved.name, "note": saved.note, "sites": ort or saved.sites}
    return _page(request, session, saved, values)


@router.post("/{scenario_id}", name="admin_scenario_update")
def update(
    request: Request,
    staff: PlannerDep,
    session: SessionDep,
    scenario_id: ScenarioId,
    version: Annotated[int, Form(ge=1)],
    name: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    ort: Annotated[list[str], Form(max_length=MAX_SITES)] = [],  # noqa: B006
) -> Response:
    saved = scenarios.get(session, scenario_id)
    if saved is None:
        return page(request, "pages/not_found.html", {}, status_code=404)
    values = {"name": name, "note": note, "sites": ort}
    try:
        scenarios.update(
            session, scenario_id, version, staff_actor(staff), name=name, note=note, sites=ort
        )
    except scenarios.ScenarioInvalid as exc:
        return _page(request, session, saved, values, errors=exc.errors, status_code=422)
    except scenarios.ScenarioConflict:
        session.rollback()
        return _page(request, session, saved, values, conflict=True, status_code=409)
    session.commit()
    url = request.url_for("planning_saved_scenario", scenario_id=scenario_id)
    return RedirectResponse(str(url), status_code=303)


@router.post("/{scenario_id}/zurueckziehen", name="admin_scenario_archive")
def archive(
    request: Request, staff: PlannerDep, session: SessionDep, scenario_id: ScenarioId
) -> Response:
    return _set_archived(request, session, staff, scenario_id, True)


@router.post("/{scenario_id}/wiederherstellen", name="admin_scenario_restore")
def restore(
    request: Request, staff: PlannerDep, session: SessionDep, scenario_id: ScenarioId
) -> Response:
    return _set_archived(request, session, staff, scenario_id, False)


def _set_archived(request, session, staff, scenario_id: int, archived: bool) -> Response:  # noqa: ANN001
    try:
        scenarios.set_archived(session, scenario_id, staff_actor(staff), archived)
    except LookupError:
        return page(request, "pages/not_found.html", {}, status_code=404)
    except scenarios.ScenarioConflict:
        # Another change won the version (the database decided): if it left the scenario
        # as asked (a second "withdraw"), that is done; otherwise say so, nothing written.
        session.rollback()
        saved = scenarios.get(session, scenario_id)
        if (saved.archived_at is not None) != archived:
            values = {"name": saved.name, "note": saved.note, "sites": saved.sites}
            return _page(request, session, saved, values, conflict=True, status_code=409)
    session.commit()
    url = request.url_for("admin_scenario", scenario_id=scenario_id)
    return RedirectResponse(str(url), status_code=303)

"""/verwaltung/ziele: the agreement for planners, editors and admins. Create, change,
archive and restore every entry; a measure's status and progress notes (HTMX swaps the
measure, without JavaScript the form posts and the page comes back); the change log of
each entry; import of the agreement from CSV/XLSX (all or nothing). Every write is one
call of ``app.goals.write``."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import UploadFile

from app.deps import PLANNER_PAGES, PlannerDep, SessionDep
from app.goals import write
from app.goals.labels import ENTITY_LABELS, STATUS_LABELS
from app.goals.read import GoalsQuery, agreement
from app.goals.transfer import import_agreement
from app.i18n import gettext as _
from app.models import District
from app.models.goals import STATUSES
from app.numbers import format_date
from app.web.goals_form import ENTITIES, FIELDS, SEGMENT, form_data, typed_values
from app.web.render import is_htmx
from app.web.staff import page, staff_actor

router = APIRouter(prefix="/verwaltung/ziele", dependencies=PLANNER_PAGES, include_in_schema=False)

Segment = Annotated[str, Path(pattern=r"^(feld|ziel|massnahme|kennzahl)$")]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _helpers(session: SessionDep) -> dict:
    return {
        "STATUS_LABELS": STATUS_LABELS,
        "STATUSES": STATUSES,
        "ENTITY_LABELS": ENTITY_LABELS,
        "SEGMENT": SEGMENT,
        "FIELDS": FIELDS,
        "date_text": format_date,
        "today": date.today().isoformat(),
        "all_districts": [
            (d.slug, d.name)
            for d in session.execute(
                select(District).where(District.level == "stadtbezirk").order_by(District.number)
            ).scalars()
        ],
    }


def _overview(
    request: Request, session: SessionDep, status_code: int = 200, **extra
) -> HTMLResponse:
    full = agreement(session, GoalsQuery(archived=True))
    return page(
        request,
        "pages/goals/admin.html",
        {"agreement": full, **_helpers(session), **extra},
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse, name="admin_goals")
def overview(request: Request, staff: PlannerDep, session: SessionDep) -> HTMLResponse:
    return _overview(request, session)


def _form_page(
    request: Request,
    session: SessionDep,
    entity: str,
    row,  # noqa: ANN001
    values: dict,
    errors: dict | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    full = agreement(session, GoalsQuery(archived=True))
    history = write.history(session, entity, row.id) if row is not None else []
    return page(
        request,
        "pages/goals/admin_form.html",
        {
            "entity": entity,
            "segment": SEGMENT[entity],
            "row": row,
            "values": values,
            "errors": errors or {},
            "agreement": full,
            "history": history,
            **_helpers(session),
        },
        status_code=status_code,
    )


@router.get("/{segment}/neu", response_class=HTMLResponse, name="admin_goal_new")
def new_form(
    request: Request, segment: Segment, staff: PlannerDep, session: SessionDep
) -> HTMLResponse:
    entity = ENTITIES[segment]
    values = typed_values(entity, None)
    for key in ("field_id", "goal_id"):
        if request.query_params.get(key, "").isdigit():
            values[key] = int(request.query_params[key])
    return _form_page(request, session, entity, None, values)


@router.post("/{segment}/neu", response_class=HTMLResponse, name="admin_goal_create")
async def create(
    request: Request, segment: Segment, staff: PlannerDep, session: SessionDep
) -> Response:
    entity = ENTITIES[segment]
    data = form_data(entity, await request.form())
    try:
        write.save(session, entity, data, staff_actor(staff))
    except write.GoalsInvalid as exc:
        session.rollback()
        return _form_page(request, session, entity, None, data, exc.errors, 422)
    session.commit()
    return RedirectResponse(request.url_for("admin_goals"), status_code=303)


def _row_or_404(session: SessionDep, entity: str, row_id: int):  # noqa: ANN202
    return session.get(write.TABLES[entity], row_id)


@router.get("/{segment}/{row_id}", response_class=HTMLResponse, name="admin_goal_edit")
def edit_form(
    request: Request, segment: Segment, row_id: RowId, staff: PlannerDep, session: SessionDep
) -> HTMLResponse:
    entity = ENTITIES[segment]
    row = _row_or_404(session, entity, row_id)
    if row is None:
        return page(request, "pages/not_found.html", {}, status_code=404)
    return _form_page(request, session, entity, row, typed_values(entity, row))


@router.post("/{segment}/{row_id}", response_class=HTMLResponse, name="admin_goal_update")
async def update(
    request: Request, segment: Segment, row_id: RowId, staff: PlannerDep, session: SessionDep
) -> Response:
    entity = ENTITIES[segment]
    row = _row_or_404(session, entity, row_id)
    if row is None:
        return page(request, "pages/not_found.html", {}, status_code=404)
    form = await request.form()
    data = form_data(entity, form)
    version = str(form.get("version") or "")
    try:
        write.save(
            session,
            entity,
            data,
            staff_actor(staff),
            row_id=row_id,
            version=int(version) if version.isdigit() else None,
        )
    except write.GoalsInvalid as exc:
        session.rollback()
        return _form_page(request, session, entity, row, data, exc.errors, 422)
    except write.GoalsConflict:
        session.rollback()
        return _changed_meanwhile(request, session, entity, row_id)
    session.commit()
    return RedirectResponse(request.url_for("admin_goals"), status_code=303)


def _changed_meanwhile(request: Request, session: SessionDep, entity: str, row_id: int) -> Response:
    """The 409 answer of a write another one overtook: the stored state, to do it again."""
    errors = {
        "form": _(
            "Jemand hat diesen Eintrag inzwischen geändert. Unten steht der gespeicherte "
            "Stand; bitte tragen Sie Ihre Änderung erneut ein."
        )
    }
    row = _row_or_404(session, entity, row_id)
    return _form_page(request, session, entity, row, typed_values(entity, row), errors, 409)


@router.post("/{segment}/{row_id}/archivieren", name="admin_goal_archive")
def archive(
    request: Request, segment: Segment, row_id: RowId, staff: PlannerDep, session: SessionDep
) -> Response:
    return _set_archived(request, segment, row_id, staff, session, True)


@router.post("/{segment}/{row_id}/wiederherstellen", name="admin_goal_restore")
def restore(
    request: Request, segment: Segment, row_id: RowId, staff: PlannerDep, session: SessionDep
) -> Response:
    return _set_archived(request, segment, row_id, staff, session, False)


def _set_archived(request, segment, row_id, staff, session, archived: bool) -> Response:  # noqa: ANN001
    entity = ENTITIES[segment]
    try:
        write.set_archived(session, entity, row_id, staff_actor(staff), archived)
    except LookupError:
        return page(request, "pages/not_found.html", {}, status_code=404)
    except write.GoalsConflict:
        session.rollback()
        return _changed_meanwhile(request, session, entity, row_id)
    session.commit()
    return RedirectResponse(request.url_for("admin_goals"), status_code=303)


@router.post(
    "/massnahme/{row_id}/stand", response_class=HTMLResponse, name="admin_measure_progress"
)
async def progress(
    request: Request, row_id: RowId, staff: PlannerDep, session: SessionDep
) -> Response:
    """A measure's new status and/or a dated progress note."""
    form = await request.form()
    status = str(form.get("status") or "")
    data = {
        "noted_on": str(form.get("noted_on") or "").strip(),
        "text": str(form.get("text") or ""),
    }
    version = str(form.get("version") or "")
    errors: dict[str, str] = {}
    refused = 422
    try:
        write.add_note(
            session,
            row_id,
            data,
            staff_actor(staff),
            status=status or None,
            version=int(version) if version.isdigit() else None,
        )
    except LookupError:
        return page(request, "pages/not_found.html", {}, status_code=404)
    except write.GoalsInvalid as exc:
        session.rollback()
        errors = exc.errors
    except write.GoalsConflict:
        session.rollback()
        refused = 409
        errors = {
            "status": _("Jemand hat diese Maßnahme inzwischen geändert. Bitte erneut eintragen.")
        }
    else:
        session.commit()
    if is_htmx(request):
        full = agreement(session, GoalsQuery(archived=True))
        measure = next(m for m in full.measures if m.measure.id == row_id)
        return page(
            request,
            "partials/goals/_measure.html",
            {"m": measure, "progress_errors": errors, "typed": data, **_helpers(session)},
            status_code=refused if errors else 200,
        )
    if errors:
        return _overview(
            request,
            session,
            refused,
            errors={f"m{row_id}-{k}": v for k, v in errors.items()},
            progress_for=row_id,
            typed=data,
        )
    return RedirectResponse(
        str(request.url_for("admin_goals")) + f"#massnahme-{row_id}", status_code=303
    )


@router.post("/import", response_class=HTMLResponse, name="admin_goals_import")
async def import_file(request: Request, staff: PlannerDep, session: SessionDep) -> Response:
    form = await request.form()
    file = form.get("datei")
    if not isinstance(file, UploadFile) or not file.filename:
        return _overview(
            request, session, 422, errors={"datei": _("Wählen Sie eine CSV- oder XLSX-Datei aus.")}
        )
    content = await file.read()
    name = "".join(c if c.isalnum() or c in ".-_ " else "_" for c in file.filename)[-200:]
    report = import_agreement(
        session, content, name, staff_actor(staff), xlsx=name.lower().endswith(".xlsx")
    )
    if not report.ok:
        return _overview(
            request,
            session,
            422,
            import_errors=report.errors,
            errors={
                "datei": _("Die Datei wurde nicht übernommen: %(n)s Fehler.", n=len(report.errors))
            },
        )
    session.commit()
    return _overview(request, session, import_report=report)

"""Staff pages that load the planning view's tables: residents per district and age
band, published indicator tables, a finer district level's polygons and a population
grid. Each file is all or nothing: a bad line is named and nothing is stored."""

from io import StringIO  # text, never a path: a str would be read as a file name
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from app.deps import STAFF_PAGES, SessionDep, StaffDep
from app.i18n import gettext as _
from app.planning.grid import load_grid_csv
from app.planning.indicators import load_indicators_csv
from app.planning.inputs import loaded_inputs
from app.planning.levels import LEVEL_MAX, TOP_LEVEL, levels, load_district_level
from app.planning.population import load_population_csv
from app.web.staff import page, uploaded_text

router = APIRouter(
    prefix="/verwaltung/planungsdaten", dependencies=STAFF_PAGES, include_in_schema=False
)

TEMPLATE = "pages/admin/planning_inputs.html"


def _page(
    request: Request, session: Session, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return page(
        request,
        TEMPLATE,
        {
            "inputs": loaded_inputs(session),
            "levels": levels(session),
            "top_level": TOP_LEVEL,
            "level_max": LEVEL_MAX,
            "form": {},
            **context,
        },
        status_code=status_code,
    )


def _outcome(
    request: Request,
    session: Session,
    form_name: str,
    report: Any,
    loaded: str,
    typed: dict[str, str],
) -> HTMLResponse:
    """Stored and shown, or rolled back with every line's error."""
    if report.errors:
        session.rollback()
        return _page(request, session, 422, failed=form_name, report=report, form=typed)
    session.commit()
    return _page(request, session, loaded=loaded, report=report)


@router.get("", response_class=HTMLResponse, name="admin_planning_inputs")
def overview(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    return _page(request, session)


@router.post("/einwohner", response_class=HTMLResponse, name="admin_population_upload")
async def population(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    found = await uploaded_text(
        await request.form(), "einwohner-datei", _("Wählen Sie eine CSV-Datei aus.")
    )
    if isinstance(found, str):
        return _page(request, session, 422, errors={"einwohner-datei": found})
    name, text = found
    report = load_population_csv(session, StringIO(text), name=name, loaded_by="upload")
    return _outcome(
        request,
        session,
        "einwohner",
        report,
        _(
            "%(n)s Einwohnerzahlen aus %(name)s geladen (%(r)s ersetzt), Jahr %(years)s.",
            n=report.loaded,
            name=name,
            r=report.replaced,
            years=", ".join(map(str, report.years)),
        ),
        {},
    )


@router.post("/kennzahlen", response_class=HTMLResponse, name="admin_indicators_upload")
async def indicators(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    form = await request.form()
    table = str(form.get("tabelle") or "").strip()
    errors = {}
    if not table:
        errors["tabelle"] = _("Geben Sie der Tabelle einen Namen.")
    elif len(table) > 100:
        errors["tabelle"] = _("Der Name ist länger als 100 Zeichen.")
    found = await uploaded_text(form, "kennzahlen-datei", _("Wählen Sie eine CSV-Datei aus."))
    if isinstance(found, str):
        errors["kennzahlen-datei"] = found
    if errors:
        return _page(request, session, 422, errors=errors, form={"tabelle": table})
    name, text = found  # type: ignore[misc]
    report = load_indicators_csv(session, StringIO(text), name=table)
    return _outcome(
        request,
        session,
        "kennzahlen",
        report,
        _("%(n)s Kennzahlen als Tabelle „%(table)s“ geladen.", n=report.loaded, table=table),
        {"tabelle": table},
    )


@router.post("/bezirksebene", response_class=HTMLResponse, name="admin_level_upload")
async def district_level(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    form = await request.form()
    level = str(form.get("ebene") or "").strip()
    parent = str(form.get("oberebene") or TOP_LEVEL).strip()
    typed = {"ebene": level, "oberebene": parent}
    errors = {}
    if not level:
        errors["ebene"] = _("Geben Sie der Ebene einen Namen.")
    found = await uploaded_text(form, "ebene-datei", _("Wählen Sie eine GeoJSON-Datei aus."))
    if isinstance(found, str):
        errors["ebene-datei"] = found
    if errors:
        return _page(request, session, 422, errors=errors, form=typed)
    name, text = found  # type: ignore[misc]
    report = load_district_level(session, text, level, parent, name=name)
    return _outcome(
        request,
        session,
        "bezirksebene",
        report,
        _("%(n)s Bezirke der Ebene „%(level)s“ geladen.", n=report.loaded, level=report.level),
        typed,
    )


@router.post("/raster", response_class=HTMLResponse, name="admin_grid_upload")
async def grid(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    form = await request.form()
    year_text = str(form.get("jahr") or "").strip()
    source = str(form.get("quelle") or "").strip()
    typed = {"jahr": year_text, "quelle": source}
    errors = {}
    year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
    if year is None or not 1900 <= year <= 2100:
        errors["jahr"] = _("Geben Sie das Jahr der Zählung an, z. B. 2022.")
    if not source:
        errors["quelle"] = _("Geben Sie an, wer die Zahlen veröffentlicht hat.")
    elif len(source) > 500:
        errors["quelle"] = _("Die Quelle ist länger als 500 Zeichen.")
    found = await uploaded_text(form, "raster-datei", _("Wählen Sie eine CSV-Datei aus."))
    if isinstance(found, str):
        errors["raster-datei"] = found
    if errors:
        return _page(request, session, 422, errors=errors, form=typed)
    name, text = found  # type: ignore[misc]
    report = load_grid_csv(session, StringIO(text), year=year, source=source, name=name)  # type: ignore[arg-type]
    return _outcome(
        request,
        session,
        "raster",
        report,
        _("%(n)s Rasterzellen aus %(name)s geladen.", n=report.loaded, name=name),
        typed,
    )

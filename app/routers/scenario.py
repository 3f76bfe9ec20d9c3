"""What if: /planung/szenario (hypothetical new sites, before and after per district),
its map as a clickable image, its CSV/JSON/XLSX twins, and saved scenarios at
/planung/szenario/{id} (recomputed on the current data). The sites live in the URL
(``ort``), so an unsaved scenario is shared by its link; saving is for staff
(``app.routers.scenario_staff``)."""

from typing import Annotated

import numpy as np
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlmodel import Session

from app.deps import SessionDep
from app.formats import scenario as formats
from app.maps.scenario_map import MAP_WIDTHS, city_frame, metres_per_pixel, scenario_map
from app.models.planning_scenario import Scenario
from app.numbers import format_date
from app.planning import scenarios
from app.planning.coverage import coverage
from app.planning.kinds import KIND_BY_SLUG
from app.planning.query import MEASURE_LABELS
from app.planning.scenario import MAX_SITES, ROW_MEASURES, SCENARIO_KINDS, Site, what_if
from app.planning.siting import how_text
from app.planning.table import format_value
from app.web.openapi import HTML, HTML_NOT_FOUND, INVALID, file_response
from app.web.render import render, templates
from app.web.scenario_form import NEW_FIELDS, new_values, read_sites

router = APIRouter()
Sites = Annotated[
    list[str],
    Query(max_length=MAX_SITES, description="a site: kind;lat;lon;places[;how;label] (repeatable)"),
]
ScenarioId = Annotated[int, Path(ge=1, le=2**31 - 1)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TWINS = ("csv", "json", "xlsx")


def _map_kind(sites: list[Site], chosen: str) -> str:
    if chosen in SCENARIO_KINDS:
        return chosen
    return sites[-1].kind if sites else "kita"


def _context(
    session: Session,
    sites: list[Site],
    errors: dict[str, str],
    new: dict[str, str],
    saved: Scenario | None = None,
) -> dict:
    frame, _d = city_frame(session)
    return {
        "sites": sites,
        "result": scenarios_result(session, sites),
        "errors": errors,
        "new": new,
        "saved": saved,
        "saved_list": scenarios.listed(session) if saved is None else [],
        "map_kind": _map_kind(sites, new.get("neu_art", "")),
        "MAP_WIDTHS": MAP_WIDTHS,
        "map_precision_m": round(metres_per_pixel(frame, "karte") / 2),
        "KINDS": [KIND_BY_SLUG[k] for k in SCENARIO_KINDS],
        "ROW_MEASURES": ROW_MEASURES,
        "MEASURE_LABELS": MEASURE_LABELS,
        "value_text": format_value,
        "date_text": format_date,
        "how_text": lambda how: how_text(how, metres_per_pixel(frame, "karte")),
    }


def scenarios_result(session: Session, sites: list[Site]) -> list:
    return what_if(coverage(session), sites) if sites else []


@router.get(
    "/planung/szenario",
    response_class=HTMLResponse,
    name="planning_scenario",
    responses={**HTML, **HTML_NOT_FOUND},
)
def scenario_page(request: Request, session: SessionDep, ort: Sites = []) -> HTMLResponse:  # noqa: B006
    """Place hypothetical sites (by address, map point or latitude and longitude) and
    see each district before and after; the saved scenarios."""
    new = new_values(request.query_params)
    sites, errors = read_sites(session, ort, request.query_params)
    if not errors:
        new = {k: v for k, v in new.items() if k in ("neu_art", "neu_plaetze")}
    return render(
        request,
        "pages/planning/scenario.html",
        _context(session, sites, errors, new),
    )


def _twin(fmt: str, sites: list[Site], result: list, saved: Scenario | None = None) -> Response:
    stem = f"szenario-{saved.id}" if saved is not None else "szenario"
    disposition = {"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'}
    if fmt == "csv":
        return Response(
            formats.to_csv(result), media_type="text/csv; charset=utf-8", headers=disposition
        )
    if fmt == "xlsx":
        return Response(formats.to_xlsx(result, sites), media_type=XLSX, headers=disposition)
    about = None
    if saved is not None:
        about = {
            "id": saved.id,
            "name": saved.name,
            "note": saved.note,
            "created_by": saved.created_by,
            "created_at": saved.created_at.isoformat(),
            "changed_at": saved.changed_at.isoformat(),
            "version": saved.version,
            "withdrawn_at": saved.archived_at.isoformat() if saved.archived_at else None,
        }
    return JSONResponse(formats.to_json(result, sites, about))


# Each twin declares its own media type (the fuzzing checks the answer against it).
TWIN_FILES = {
    "csv": ("text/csv", "The scenario's tables as CSV"),
    "json": ("application/json", "The scenario's tables as JSON"),
    "xlsx": (XLSX, "The scenario's tables as XLSX"),
}


def _twin_responses(fmt: str) -> dict:
    media_type, description = TWIN_FILES[fmt]
    answer = file_response(media_type, description)
    if fmt == "json":
        answer[200]["content"][media_type]["schema"] = {"type": "object"}
    return {**answer, **INVALID, **HTML_NOT_FOUND}


def _sites_or_refusal(session: Session, ort: list[str]) -> tuple[list[Site], Response | None]:
    """The sites of ``ort``, or the 422 naming ``ort`` with every site's error in words
    (a file or an image has no form to show them beside)."""
    sites, errors = read_sites(session, ort, {})
    if not errors:
        return sites, None
    detail = [{"loc": ["query", "ort"], "msg": v, "type": "value_error"} for v in errors.values()]
    return sites, JSONResponse({"detail": detail}, status_code=422)


def _register_twin(fmt: str) -> None:
    @router.get(
        f"/planung/szenario.{fmt}",
        name=f"planning_scenario_{fmt}",
        responses=_twin_responses(fmt),
    )
    def twin(request: Request, session: SessionDep, ort: Sites = []) -> Response:  # noqa: B006
        sites, refused = _sites_or_refusal(session, ort)
        return refused or _twin(fmt, sites, scenarios_result(session, sites))

    @router.get(
        f"/planung/szenario/{{scenario_id}}.{fmt}",
        name=f"planning_saved_scenario_{fmt}",
        responses=_twin_responses(fmt),
    )
    def saved_twin(request: Request, session: SessionDep, scenario_id: ScenarioId) -> Response:
        saved = scenarios.get(session, scenario_id)
        if saved is None:
            return render(request, "pages/not_found.html", {}, status_code=404)
        sites, _errors = read_sites(session, saved.sites, {})
        return _twin(fmt, sites, scenarios_result(session, sites), saved)


for _fmt in TWINS:
    _register_twin(_fmt)


@router.get(
    "/planung/szenario/karte.svg",
    name="planning_scenario_map",
    responses={**file_response("image/svg+xml", "The what-if map"), **INVALID, **HTML_NOT_FOUND},
)
def scenario_map_svg(
    request: Request,
    session: SessionDep,
    ort: Sites = [],  # noqa: B006
    art: Annotated[str, Query(max_length=40, pattern=r"^[a-z0-9_-]*$")] = "kita",
    breite: Annotated[
        str,
        Query(
            description="CSS pixels the image is drawn at",
            pattern="^(" + "|".join(str(w) for w in MAP_WIDTHS.values()) + ")$",
        ),
    ] = str(MAP_WIDTHS["karte_gross"]),
) -> Response:
    """The districts, the offers of ``art`` and the planned sites; drawn at ``breite``
    pixels (one of the page's two sizes), so a click on it maps back to a point."""
    sites, refused = _sites_or_refusal(session, ort)
    if refused:
        return refused
    kind = KIND_BY_SLUG.get(art) or KIND_BY_SLUG["kita"]
    name = next(n for n, w in MAP_WIDTHS.items() if str(w) == breite)
    points = coverage(session).offers.get(kind.category)
    empty = np.empty(0)
    xy = (points.x, points.y) if points is not None else (empty, empty)
    chart = scenario_map(session, xy, [(s.lon, s.lat) for s in sites])
    svg = templates.env.get_template("components/scenario_map_svg.html").render(
        request=request, chart=chart, kind=kind, px=MAP_WIDTHS[name], py=chart.pixel_height(name)
    )
    return Response(svg, media_type="image/svg+xml")


@router.get(
    "/planung/szenario/{scenario_id}",
    response_class=HTMLResponse,
    name="planning_saved_scenario",
    responses={**HTML, **HTML_NOT_FOUND},
)
def saved_scenario_page(
    request: Request, session: SessionDep, scenario_id: ScenarioId
) -> HTMLResponse:
    """A saved scenario, recomputed on the current data."""
    saved = scenarios.get(session, scenario_id)
    if saved is None:
        return render(request, "pages/not_found.html", {}, status_code=404)
    sites, errors = read_sites(session, saved.sites, {})
    return render(
        request, "pages/planning/scenario.html", _context(session, sites, errors, {}, saved)
    )


__all__ = ["NEW_FIELDS", "router"]

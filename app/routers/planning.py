"""The planning view: /planung with its twins, the district profile, the map as SVG
and the printable report. Routes only translate HTTP into calls."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.deps import PlanningDep, SessionDep
from app.formats import planning as formats
from app.formats.offers import dumps
from app.i18n import gettext as _
from app.planning.compare import published_comparison
from app.planning.coverage import coverage
from app.planning.kinds import KINDS
from app.planning.levels import level_of
from app.planning.method import method, sources
from app.planning.profile import district_profile
from app.planning.query import (
    ALL_MEASURES,
    CLASS_LABELS,
    CLASSES,
    MEASURE_LABELS,
    PlanningParams,
)
from app.web.openapi import (
    HTML,
    HTML_NOT_FOUND,
    INVALID,
    file_response,
    geojson_response,
    with_query,
)
from app.web.planning_context import PAGE_HELPERS, PlanningView, choropleth, gap_rows
from app.web.render import render, render_page_or_fragment, templates

router = APIRouter()

Slug = Annotated[str, Path(max_length=80, pattern=r"^[a-z0-9-]+$")]
QUERY = with_query(PlanningParams)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _invalid(view: PlanningView) -> Response | None:
    if view.query.stand and not view.errors:
        message = _("Die Exporte zeigen den heutigen Stand; einen festgehaltenen zeigt /planung.")
        return JSONResponse(
            {"detail": [{"loc": ["query", "stand"], "msg": message, "type": "value_error"}]},
            status_code=422,
        )
    if not view.errors:
        return None
    return JSONResponse(
        {
            "detail": [
                {"loc": ["query", k], "msg": v, "type": "value_error"}
                for k, v in view.errors.items()
            ]
        },
        status_code=422,
    )


def _context(view: PlanningView) -> dict:
    return {
        "view": view,
        "query": view.query,
        "table": view.table,
        "cov": view.coverage,
        "errors": view.errors,
        "chart": choropleth(view),
        "KINDS": KINDS,
        "MEASURES": ALL_MEASURES,
        "MEASURE_LABELS": MEASURE_LABELS,
        "CLASSES": CLASSES,
        "CLASS_LABELS": CLASS_LABELS,
        "method": method(view.coverage),
        "ranking": gap_rows(view.coverage, view.query.art),
        "comparison": published_comparison(view.coverage, view.query.art),
        **PAGE_HELPERS,
    }


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get(
    "/planung", response_class=HTMLResponse, name="planning", openapi_extra=QUERY, responses=HTML
)
def planning_page(request: Request, view: PlanningDep) -> HTMLResponse:
    """Districts × kinds for the chosen measure, the map, the gap ranking, the method."""
    return render_page_or_fragment(
        request, "pages/planning/index.html", "partials/planning/_results.html", _context(view)
    )


@router.get(
    "/planung.csv",
    name="planning_csv",
    openapi_extra=QUERY,
    responses={**file_response("text/csv", "The table as CSV"), **INVALID},
)
def planning_csv(view: PlanningDep) -> Response:
    return _invalid(view) or Response(
        formats.to_csv(view.table),
        media_type="text/csv; charset=utf-8",
        headers=_attachment("planung.csv"),
    )


@router.get("/planung.json", name="planning_json", openapi_extra=QUERY, responses=INVALID)
def planning_json(view: PlanningDep) -> Response:
    """The table, and every measure of every kind per area, with sources and method."""
    return _invalid(view) or JSONResponse(formats.to_json(view.table))


@router.get(
    "/planung.geojson",
    name="planning_geojson",
    openapi_extra=QUERY,
    responses={**geojson_response("The table as GeoJSON"), **INVALID},
)
def planning_geojson(request: Request, view: PlanningDep) -> Response:
    def url_of(slug: str) -> str:
        return str(request.app.url_path_for("planning_district", slug=slug))

    return _invalid(view) or Response(
        dumps(formats.to_geojson(view.table, url_of)), media_type="application/geo+json"
    )


@router.get(
    "/planung.xlsx",
    name="planning_xlsx",
    openapi_extra=QUERY,
    responses={
        **file_response(XLSX, "The table, all measures, sources and method as an Excel workbook"),
        **INVALID,
    },
)
def planning_xlsx(view: PlanningDep) -> Response:
    return _invalid(view) or Response(
        formats.to_xlsx(view.table), media_type=XLSX, headers=_attachment("planung.xlsx")
    )


@router.get(
    "/planung/karte.svg",
    name="planning_map",
    openapi_extra=QUERY,
    responses={**file_response("image/svg+xml", "The choropleth map"), **INVALID},
)
def planning_map(request: Request, view: PlanningDep) -> Response:
    invalid = _invalid(view)
    if invalid is not None:
        return invalid
    svg = templates.env.get_template("components/choropleth_svg.html").render(
        request=request, chart=choropleth(view), standalone=True
    )
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={"Content-Disposition": 'inline; filename="planung-karte.svg"'},
    )


@router.get(
    "/planung/bericht",
    response_class=HTMLResponse,
    name="planning_report",
    openapi_extra=QUERY,
    responses=HTML,
)
def planning_report(request: Request, view: PlanningDep) -> HTMLResponse:
    """The printable report: table, map, gap ranking, published figures, method."""
    return render(
        request, "pages/planning/report.html", {**_context(view), "sources": sources(view.coverage)}
    )


@router.get(
    "/planung/bericht/druck.css",
    name="planning_report_print_css",
    responses=file_response("text/css", "The printed report's running title and page numbers"),
)
def planning_report_print_css(request: Request) -> Response:
    """The report's print stylesheet in the page's language (words from the catalogue)."""
    css = templates.env.get_template("pages/planning/report_print.css").render()
    return Response(css, media_type="text/css; charset=utf-8")


@router.get(
    "/planung/bezirke/{slug}",
    response_class=HTMLResponse,
    name="planning_district",
    responses={**HTML, **HTML_NOT_FOUND},
)
def planning_district(request: Request, slug: Slug, session: SessionDep) -> HTMLResponse:
    level = level_of(session, slug)
    profile = district_profile(coverage(session, level), slug) if level else None
    if profile is None:
        return render(request, "pages/not_found.html", {}, status_code=404)
    return render(
        request,
        "pages/planning/district.html",
        {
            "profile": profile,
            "cov": coverage(session, level),
            "KINDS": KINDS,
            "MEASURE_LABELS": MEASURE_LABELS,
            **PAGE_HELPERS,
        },
    )

"""What if: /planung/szenario (hypothetical new sites, before and after per district)
and its CSV twin; the sites live in the URL (``ort``), so a scenario is shared by its
link and nothing is stored."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.deps import SessionDep
from app.formats.tabular import csv_text
from app.i18n import gettext as _
from app.planning.coverage import coverage
from app.planning.kinds import KIND_BY_SLUG
from app.planning.query import MEASURE_LABELS
from app.planning.scenario import MAX_SITES, ROW_MEASURES, SCENARIO_KINDS, parse_site, what_if
from app.planning.table import format_value
from app.web.openapi import HTML, HTML_NOT_FOUND, INVALID, file_response
from app.web.render import render

router = APIRouter()
Sites = Annotated[
    list[str],
    Query(max_length=MAX_SITES, description="a site: kind;lat;lon;places (repeatable)"),
]


def _sites(values: list[str], new: dict[str, str]) -> tuple[list, dict[str, str]]:
    sites, errors = [], {}
    texts = list(values)
    if any(new.values()):
        texts.append(
            ";".join(new.get(k, "") for k in ("neu_art", "neu_lat", "neu_lon", "neu_plaetze"))
        )
    for n, text in enumerate(texts[:MAX_SITES], start=1):
        try:
            sites.append(parse_site(text.replace(",", ".") if text.count(";") >= 2 else text))
        except ValueError as exc:
            errors[f"ort-{n}"] = _("Ort %(n)s: %(message)s", n=n, message=str(exc))
    return sites, errors


@router.get(
    "/planung/szenario",
    response_class=HTMLResponse,
    name="planning_scenario",
    responses={**HTML, **HTML_NOT_FOUND},
)
def scenario_page(request: Request, session: SessionDep, ort: Sites = []) -> HTMLResponse:  # noqa: B006
    """Place hypothetical sites and see each district before and after."""
    new = {
        k: request.query_params.get(k, "").strip()
        for k in ("neu_art", "neu_lat", "neu_lon", "neu_plaetze")
    }
    sites, errors = _sites(ort, new)
    result = what_if(coverage(session), sites) if sites else []
    return render(
        request,
        "pages/planning/scenario.html",
        {
            "sites": sites,
            "result": result,
            "errors": errors,
            "new": new,
            "KINDS": [KIND_BY_SLUG[k] for k in SCENARIO_KINDS],
            "ROW_MEASURES": ROW_MEASURES,
            "MEASURE_LABELS": MEASURE_LABELS,
            "value_text": format_value,
        },
    )


@router.get(
    "/planung/szenario.csv",
    name="planning_scenario_csv",
    responses={
        **file_response("text/csv", "The scenario's tables as CSV"),
        **INVALID,
        **HTML_NOT_FOUND,
    },
)
def scenario_csv(session: SessionDep, ort: Sites = []) -> Response:  # noqa: B006
    sites, errors = _sites(ort, {})
    if errors:
        detail = [
            {"loc": ["query", "ort"], "msg": v, "type": "value_error"} for v in errors.values()
        ]
        return JSONResponse({"detail": detail}, status_code=422)
    header = ["art", "gebiet", "kennung", "angebote_vorher", "angebote_nachher"]
    for key in (*ROW_MEASURES, "rang"):
        header += [f"{key}_vorher", f"{key}_nachher"]
    rows = []
    for s in what_if(coverage(session), sites) if sites else []:
        for a in [*s.areas, s.city]:
            row = [s.kind.slug, a.name, a.slug, a.before.offers, a.after.offers]
            for key in ROW_MEASURES:
                row += [a.before.value(key), a.after.value(key)]
            row += [a.before.rank, a.after.rank]
            rows.append(row)
    return Response(
        csv_text(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="szenario.csv"'},
    )

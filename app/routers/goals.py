"""The agreement in public: /ziele with its twins (one query function), and the
yearly implementation report /ziele/bericht. Routes only translate HTTP."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.deps import SessionDep
from app.formats import goals as formats
from app.goals.labels import STATUS_LABELS
from app.goals.read import GoalsParams, agreement, parse_goals_query
from app.goals.report import year_report
from app.numbers import format_date
from app.web.openapi import HTML, HTML_NOT_FOUND, INVALID, file_response, with_query
from app.web.render import render

router = APIRouter()
HELPERS = {"STATUS_LABELS": STATUS_LABELS, "date_text": format_date}
QUERY = with_query(GoalsParams)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _values(request: Request) -> dict[str, str]:
    return {k: request.query_params.getlist(k)[-1] for k in request.query_params}


def _invalid(errors: dict[str, str]) -> Response | None:
    if not errors:
        return None
    detail = [{"loc": ["query", k], "msg": v, "type": "value_error"} for k, v in errors.items()]
    return JSONResponse({"detail": detail}, status_code=422)


@router.get(
    "/ziele", response_class=HTMLResponse, name="goals", openapi_extra=QUERY, responses=HTML
)
def goals_page(request: Request, session: SessionDep) -> HTMLResponse:
    """The Zielvereinbarung and its progress, per Handlungsfeld and per district."""
    query, errors = parse_goals_query(session, _values(request))
    return render(
        request,
        "pages/goals/index.html",
        {"agreement": agreement(session, query), "query": query, "errors": errors, **HELPERS},
    )


@router.get("/ziele.json", name="goals_json", openapi_extra=QUERY, responses=INVALID)
def goals_json(request: Request, session: SessionDep) -> Response:
    query, errors = parse_goals_query(session, _values(request))
    return _invalid(errors) or JSONResponse(formats.to_json(agreement(session, query)))


@router.get(
    "/ziele.csv",
    name="goals_csv",
    openapi_extra=QUERY,
    responses={
        **file_response("text/csv", "The agreement as CSV (the import's format)"),
        **INVALID,
    },
)
def goals_csv(request: Request, session: SessionDep) -> Response:
    query, errors = parse_goals_query(session, _values(request))
    return _invalid(errors) or Response(
        formats.to_csv(agreement(session, query)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="ziele.csv"'},
    )


@router.get(
    "/ziele.xlsx",
    name="goals_xlsx",
    openapi_extra=QUERY,
    responses={**file_response(XLSX, "The agreement as an Excel workbook"), **INVALID},
)
def goals_xlsx(request: Request, session: SessionDep) -> Response:
    query, errors = parse_goals_query(session, _values(request))
    return _invalid(errors) or Response(
        formats.to_xlsx(agreement(session, query)),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="ziele.xlsx"'},
    )


@router.get(
    "/ziele/bericht",
    response_class=HTMLResponse,
    name="goals_report",
    responses={**HTML, **HTML_NOT_FOUND},
)
def goals_report(
    request: Request,
    session: SessionDep,
    jahr: Annotated[int | None, Query(ge=2000, le=2100, description="the report's year")] = None,
) -> HTMLResponse:
    """The yearly implementation report (print or save as PDF)."""
    report = year_report(session, jahr or date.today().year)
    return render(request, "pages/goals/report.html", {"report": report, **HELPERS})

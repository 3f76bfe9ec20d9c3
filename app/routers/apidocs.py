"""The API documentation page, generated from the app's own OpenAPI schema."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.i18n import api_docs_gettext
from app.web.apidocs import document
from app.web.render import render

router = APIRouter()


@router.get("/api/docs", response_class=HTMLResponse, name="api_docs", include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    doc = document(request.app.openapi(), api_docs_gettext)
    return render(request, "pages/api_docs.html", {"doc": doc})

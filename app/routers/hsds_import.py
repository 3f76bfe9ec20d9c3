"""The import of an HSDS 3.0 feed through the admin API (``POST /api/v1/import/hsds``):
a write, with an editor's token (the protection is the router's); the reading is
``app.hsds.importer``."""

from typing import Annotated

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from app.catalogue.writers import Actor
from app.deps import API_EDITORS, ApiEditorDep, SessionDep
from app.hsds import importer
from app.i18n import gettext as _
from app.routers.hsds import NDJSON
from app.web.openapi import NotFound
from app.web.staff import uploaded_text

feeds = APIRouter(
    prefix="/api/v1/import",
    tags=["admin API"],
    dependencies=API_EDITORS,
    responses={
        401: {"model": NotFound, "description": "Token missing, unknown or revoked"},
        403: {"model": NotFound, "description": "The token lacks the role"},
    },
)


FEED_BODY = {
    "requestBody": {
        "required": True,
        "description": (
            "The feed: NDJSON (one fully nested HSDS 3.0 service per line, as "
            "/api/hsds/services?format=ndjson writes it) or a JSON list of services, "
            "as the body (UTF-8, at most MAX_BODY_BYTES) or as the file `datei` of a "
            "multipart form (at most UPLOAD_MAX_BYTES)."
        ),
        "content": {
            NDJSON: {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"datei": {"type": "string", "format": "binary"}},
                    "required": ["datei"],
                }
            },
        },
    }
}


async def _feed_text(request: Request) -> str | None:
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        try:
            form = await request.form()
        except (HTTPException, MultiPartException):  # no multipart/form-data (Starlette: 400)
            return None
        found = await uploaded_text(form, "datei")
        return found[1] if isinstance(found, tuple) else None
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        return None


@feeds.post(
    "/hsds",
    name="api_import_hsds",
    openapi_extra=FEED_BODY,
    responses={
        200: {"description": "The report: created, changed, unchanged, to_confirm, lines"},
        422: {"description": "The feed is not taken: errors with line, path, message"},
    },
)
async def import_hsds(
    request: Request,
    token: ApiEditorDep,
    session: SessionDep,
    dry_run: Annotated[
        bool, Query(description="only report what would change (the default)")
    ] = True,
    confirm: Annotated[
        list[Annotated[str, Query(max_length=36)]],
        Query(
            max_length=100_000,
            description="service ids whose match by name and address is confirmed; "
            "matches not named here are created as new offers",
        ),
    ] = [],  # noqa: B006  (FastAPI copies the default)
) -> Response:
    """Read an HSDS 3.0 feed into the catalogue through the one write path (channel
    `hsds`), all records or none. Records are matched by the feed's service id, else
    by name and address (a match listed as `to_confirm` in the dry run, to be named
    in `confirm`). Errors name the line, the JSON path and what is wrong, in the
    request's language."""
    text = await _feed_text(request)
    if text is None:
        return JSONResponse(
            {
                "ok": False,
                "errors": [
                    {
                        "line": 1,
                        "path": "$",
                        "message": _("Der Inhalt ist kein Text in UTF-8 (oder die Datei fehlt)."),
                    }
                ],
            },
            status_code=422,
        )
    actor = Actor(token.label, importer.CHANNEL)
    report = await anyio.to_thread.run_sync(
        lambda: importer.apply_feed(
            session, text, "api", actor, confirm=None if dry_run else confirm
        )
    )
    if dry_run or not report.ok:
        session.rollback()
    else:
        session.commit()
    body = {"dry_run": dry_run, **report.as_json()}
    return JSONResponse(body, status_code=200 if report.ok else 422)

"""What the admin API's routers share (``app.routers.api`` for offers,
``app.routers.api_providers`` for providers): the answers documented for every route,
the parameters, the change log's shape, and how an edit's outcome is answered."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Header, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session

from app.catalogue import edits
from app.catalogue.writers import Actor
from app.i18n import gettext as _
from app.models import ApiToken
from app.web.openapi import NOT_FOUND, NotFound, ValidationProblem

TAGS = ["admin API"]
AUTH = {
    401: {"model": NotFound, "description": "Token missing, unknown or revoked"},
    403: {"model": NotFound, "description": "The token lacks the role"},
}
WRITE = {
    **AUTH,
    **NOT_FOUND,
    409: {"model": NotFound, "description": "Based on an old version (If-Match/version)"},
    422: {"model": ValidationProblem, "description": "A field is invalid (named in loc)"},
}

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description=("the ETag of the version the change is based on")),
]


class Change(BaseModel):
    version: int
    changed_at: Any
    actor: str
    channel: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]


def api_actor(token: ApiToken) -> Actor:
    return Actor(token.label, "api")


def etag(version: int) -> str:
    return f'"{version}"'


def not_found(kind: str, item_id: int) -> JSONResponse:
    return JSONResponse(
        {"detail": _("%(kind)s %(id)s nicht gefunden.", kind=kind, id=item_id)}, status_code=404
    )


def conflict(current: int) -> JSONResponse:
    return JSONResponse(
        {
            "detail": _(
                "Der Eintrag wurde inzwischen geändert (jetzt Version "
                "%(v)s). Lesen Sie ihn neu und führen Sie Ihre "
                "Änderung zusammen.",
                v=current,
            ),
            "version": current,
        },
        status_code=409,
        headers={"ETag": etag(current)},
    )


def answer(
    session: Session,
    outcome: edits.Outcome,
    respond: Callable[[Session, Any], JSONResponse],
) -> JSONResponse:
    """An edit's outcome as the API's answer: the item, a 409 or a 422."""
    if isinstance(outcome, edits.Conflict):
        return conflict(outcome.current)
    if isinstance(outcome, edits.Invalid):
        detail = [
            {"loc": ["body", name], "msg": msg, "type": "value_error"}
            for name, msg in outcome.errors.items()
        ]
        return JSONResponse({"detail": detail}, status_code=422)
    return respond(session, outcome.item)

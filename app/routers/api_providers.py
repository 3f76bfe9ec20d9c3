"""The admin API's providers (/api/v1/providers): the same protection and answers as
the offers (``app.routers.api``): public reading, change logs for readers, writes for
editors, ``ETag``/``If-Match`` versions."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlmodel import Session

from app.catalogue import edits
from app.catalogue import providers as provider_store
from app.deps import API_EDITORS, API_READERS, ApiEditorDep, SessionDep
from app.i18n import gettext as _
from app.models import (
    ApiToken,
    Provider,
    ProviderCreate,
    ProviderPublic,
    ProviderUpdate,
)
from app.routers.api_common import (
    AUTH,
    TAGS,
    WRITE,
    Change,
    Id,
    IfMatch,
    answer,
    api_actor,
    etag,
    not_found,
)
from app.web.openapi import NOT_FOUND

public = APIRouter(prefix="/api/v1", tags=TAGS)
reader = APIRouter(prefix="/api/v1", tags=TAGS, dependencies=API_READERS, responses=AUTH)
editor = APIRouter(prefix="/api/v1", tags=TAGS, dependencies=API_EDITORS, responses=WRITE)


class ProviderPage(BaseModel):
    total: int
    items: list[ProviderPublic]


def _provider_response(
    session: Session, provider: Provider, status_code: int = 200
) -> JSONResponse:
    session.refresh(provider)
    headers = {"ETag": etag(provider.version), "Cache-Control": "no-store"}
    if status_code == 201:
        headers["Location"] = f"/api/v1/providers/{provider.id}"
    return JSONResponse(
        provider_store.provider_public(session, provider).model_dump(mode="json"),
        status_code=status_code,
        headers=headers,
    )


@public.get("/providers", response_model=ProviderPage)
def list_providers(session: SessionDep, q: str = "") -> Response:
    """Active providers by name, with their number of active offers."""
    total, rows = provider_store.list_providers(session, q=q[:200], limit=None)
    return JSONResponse({"total": total, "items": [r.model_dump(mode="json") for r in rows]})


@public.get("/providers/{provider_id}", response_model=ProviderPublic, responses=NOT_FOUND)
def read_provider(provider_id: Id, session: SessionDep) -> Response:
    provider = session.get(Provider, provider_id)
    if provider is None:
        return not_found(_("Träger"), provider_id)
    return _provider_response(session, provider)


@reader.get("/providers/{provider_id}/changes", response_model=list[Change], responses=NOT_FOUND)
def provider_changes(provider_id: Id, session: SessionDep) -> Response:
    if session.get(Provider, provider_id) is None:
        return not_found(_("Träger"), provider_id)
    return JSONResponse(
        [
            Change.model_validate(c, from_attributes=True).model_dump(mode="json")
            for c in provider_store.provider_changes(session, provider_id)
        ]
    )


def _name_taken(name: str) -> JSONResponse:
    return JSONResponse(
        {
            "detail": [
                {
                    "loc": ["body", "name"],
                    "type": "value_error",
                    "msg": _("Einen Träger mit diesem Namen gibt es schon."),
                }
            ]
        },
        status_code=422,
    )


@editor.post("/providers", status_code=201, response_model=ProviderPublic)
def create_provider(data: ProviderCreate, session: SessionDep, token: ApiEditorDep) -> Response:
    try:
        provider = provider_store.create_provider(session, data, api_actor(token))
    except provider_store.ProviderNameTaken:
        session.rollback()
        return _name_taken(data.name)
    session.commit()
    return _provider_response(session, provider, status_code=201)


def _write_provider(
    session: Session,
    provider_id: int,
    if_match: str | None,
    body_version: int | None,
    changes: dict[str, Any] | None,
    token: ApiToken,
    action: edits.Action = "update",
) -> Response:
    provider = session.get(Provider, provider_id)
    if provider is None:
        return not_found(_("Träger"), provider_id)
    outcome = edits.edit(
        session,
        provider,
        api_actor(token),
        changes=changes,
        action=action,
        based_on=edits.claimed_versions(if_match, body_version),
    )
    return answer(session, outcome, _provider_response)


class ProviderReplace(ProviderCreate):
    version: int | None = None


@editor.put("/providers/{provider_id}", response_model=ProviderPublic)
def replace_provider(
    provider_id: Id,
    data: ProviderReplace,
    session: SessionDep,
    token: ApiEditorDep,
    if_match: IfMatch = None,
) -> Response:
    return _write_provider(
        session, provider_id, if_match, data.version, data.model_dump(exclude={"version"}), token
    )


@editor.patch("/providers/{provider_id}", response_model=ProviderPublic)
def patch_provider(
    provider_id: Id,
    data: ProviderUpdate,
    session: SessionDep,
    token: ApiEditorDep,
    if_match: IfMatch = None,
) -> Response:
    return _write_provider(
        session,
        provider_id,
        if_match,
        data.version,
        data.model_dump(exclude_unset=True, exclude={"version"}),
        token,
    )


@editor.post("/providers/{provider_id}/archive", response_model=ProviderPublic)
def archive_provider(
    provider_id: Id, session: SessionDep, token: ApiEditorDep, if_match: IfMatch = None
) -> Response:
    return _write_provider(session, provider_id, if_match, None, None, token, "archive")


@editor.post("/providers/{provider_id}/restore", response_model=ProviderPublic)
def restore_provider(
    provider_id: Id, session: SessionDep, token: ApiEditorDep, if_match: IfMatch = None
) -> Response:
    return _write_provider(session, provider_id, if_match, None, None, token, "restore")

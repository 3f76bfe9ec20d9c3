"""Staff pages for providers (editors). Accounts and API tokens, for admins only, are
``app.routers.admin_accounts``."""

import math
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.catalogue import edits
from app.catalogue import providers as provider_store
from app.catalogue.writers import Actor
from app.deps import STAFF_PAGES, SessionDep, StaffDep
from app.i18n import gettext as _
from app.models import PROVIDER_KINDS, Provider, ProviderCreate
from app.staff import invitations
from app.staff.sessions import SignedIn
from app.web.staff import page, see_other

router = APIRouter(prefix="/verwaltung", dependencies=STAFF_PAGES, include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
PAGE_SIZE = 50


def actor(staff: SignedIn) -> Actor:
    return Actor(staff.user.label, "page")


# --- providers ----------------------------------------------------------------------------


@router.get("/traeger", response_class=HTMLResponse, name="admin_providers")
def providers(
    request: Request,
    staff: StaffDep,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    seite: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    archived = status == "archiviert"
    total, rows = provider_store.list_providers(
        session, q=q.strip(), archived=archived, offset=(seite - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    return page(
        request,
        "pages/admin/providers.html",
        {
            "rows": rows,
            "total": total,
            "q": q,
            "archived": archived,
            "page": seite,
            "pages": max(1, math.ceil(total / PAGE_SIZE)),
        },
    )


def _provider(session: Session, provider_id: int) -> Provider:
    provider = session.get(Provider, provider_id)
    if provider is None:
        raise HTTPException(status_code=404)
    return provider


def _provider_form(
    request: Request,
    session: Session,
    provider: Provider | None,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    version: int | None = None,
    status_code: int = 200,
    conflict: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> HTMLResponse:
    return page(
        request,
        "pages/admin/provider_form.html",
        {
            "members": invitations.members_of(session, provider.id) if provider else [],
            "invitations": invitations.open_invitations(session, provider.id) if provider else [],
            "invite_errors": {},
            **(extra or {}),
            "provider": provider,
            "values": values,
            "errors": errors or {},
            "kinds": PROVIDER_KINDS,
            "conflict": conflict,
            "version": version if version is not None else (provider.version if provider else None),
            "changes": provider_store.provider_changes(session, provider.id) if provider else [],
            "status": request.query_params.get("status"),
        },
        status_code=status_code,
    )


def provider_page(
    request: Request, session: Session, provider: Provider, **extra: Any
) -> HTMLResponse:
    """The provider's page as stored, with what an invitation adds (the link shown
    once, the invitation's errors)."""
    return _provider_form(
        request,
        session,
        provider,
        {"name": provider.name, "kind": provider.kind, "website": provider.website or ""},
        errors=extra.get("invite_errors"),
        status_code=422 if extra.get("invite_errors") else 200,
        extra={"invite_email": "", **extra},
    )


def _provider_values(form: Any) -> dict[str, Any]:
    return {
        "name": str(form.get("name") or "").strip(),
        "kind": str(form.get("kind") or "unbekannt"),
        "website": str(form.get("website") or "").strip() or None,
    }


def _provider_errors(exc: ValidationError) -> dict[str, str]:
    messages = {
        "name": _("Geben Sie einen Namen mit 2 bis 300 Zeichen ein."),
        "kind": _("Wählen Sie die Art des Trägers."),
        "website": _("Geben Sie eine Internetadresse wie www.beispiel.de ein."),
    }
    return {
        str(e["loc"][0]): messages.get(str(e["loc"][0]), str(e["msg"]))
        for e in exc.errors()
        if e["loc"]
    }


@router.get("/traeger/neu", response_class=HTMLResponse, name="admin_provider_new")
def provider_new(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    return _provider_form(request, session, None, {"name": "", "kind": "unbekannt", "website": ""})


@router.post("/traeger/neu", response_class=HTMLResponse, name="admin_provider_create")
async def provider_create(request: Request, staff: StaffDep, session: SessionDep) -> Response:
    values = _provider_values(await request.form())
    try:
        provider = provider_store.create_provider(
            session, ProviderCreate.model_validate(values), actor(staff)
        )
    except ValidationError as exc:
        return _provider_form(
            request, session, None, values, _provider_errors(exc), status_code=422
        )
    except provider_store.ProviderNameTaken:
        session.rollback()
        return _provider_form(
            request,
            session,
            None,
            values,
            {"name": _("Einen Träger mit diesem Namen gibt es schon.")},
            status_code=422,
        )
    session.commit()
    return see_other(f"/verwaltung/traeger/{provider.id}?status=angelegt")


@router.get("/traeger/{provider_id}", response_class=HTMLResponse, name="admin_provider")
def provider_edit(
    request: Request, provider_id: Id, staff: StaffDep, session: SessionDep
) -> HTMLResponse:
    return provider_page(request, session, _provider(session, provider_id))


@router.post("/traeger/{provider_id}", response_class=HTMLResponse, name="admin_provider_save")
async def provider_save(
    request: Request, provider_id: Id, staff: StaffDep, session: SessionDep
) -> Response:
    """Save; on an old version, 409 with the stored values beside the typed ones (the
    form keeps what was typed and is now based on the stored version)."""
    provider = _provider(session, provider_id)
    form = await request.form()
    values = _provider_values(form)
    version = str(form.get("version") or "")
    outcome = edits.edit(
        session,
        provider,
        actor(staff),
        changes=values,
        based_on=[int(version)] if version.isdigit() else (),
    )
    if isinstance(outcome, edits.Conflict):
        stored = {"name": provider.name, "kind": provider.kind, "website": provider.website}
        return _provider_form(
            request,
            session,
            provider,
            values,
            version=provider.version,
            status_code=409,
            conflict=stored,
        )
    if isinstance(outcome, edits.Invalid):
        errors = (
            _provider_errors(outcome.error)
            if isinstance(outcome.error, ValidationError)
            else outcome.errors
        )
        return _provider_form(
            request,
            session,
            _provider(session, provider_id),
            values,
            errors,
            version=int(version) if version.isdigit() else provider.version,
            status_code=422,
        )
    return see_other(f"/verwaltung/traeger/{provider_id}?status=gespeichert")


async def _provider_state(
    request: Request, provider_id: int, staff: SignedIn, session: Session, archive: bool
) -> Response:
    provider = _provider(session, provider_id)
    version = str((await request.form()).get("version") or "")
    outcome = edits.edit(
        session,
        provider,
        actor(staff),
        action="archive" if archive else "restore",
        based_on=[int(version)] if version.isdigit() else (),
    )
    if isinstance(outcome, edits.Conflict):
        return see_other(f"/verwaltung/traeger/{provider_id}?status=veraltet")
    return see_other(
        f"/verwaltung/traeger/{provider_id}?status="
        f"{'archiviert' if archive else 'wiederhergestellt'}"
    )


@router.post("/traeger/{provider_id}/archivieren", name="admin_provider_archive")
async def provider_archive(
    request: Request, provider_id: Id, staff: StaffDep, session: SessionDep
) -> Response:
    return await _provider_state(request, provider_id, staff, session, True)


@router.post("/traeger/{provider_id}/wiederherstellen", name="admin_provider_restore")
async def provider_restore(
    request: Request, provider_id: Id, staff: StaffDep, session: SessionDep
) -> Response:
    return await _provider_state(request, provider_id, staff, session, False)

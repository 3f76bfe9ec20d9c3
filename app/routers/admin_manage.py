"""Staff pages for providers (editors), and for accounts and API tokens (admins only:
``admin_only`` carries ``ADMIN_PAGES``, so an editor gets 403 on every route of it)."""

import math
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.catalogue import edits
from app.catalogue import providers as provider_store
from app.catalogue.write import Actor
from app.deps import ADMIN_PAGES, STAFF_PAGES, AdminDep, SessionDep, StaffDep
from app.i18n import gettext as _
from app.models import PROVIDER_KINDS, ApiToken, Provider, ProviderCreate, StaffUser
from app.staff import accounts, invitations, tokens
from app.staff.roles import ROLES, USER_ROLES
from app.staff.sessions import SignedIn
from app.web.staff import page, see_other

router = APIRouter(prefix="/verwaltung", dependencies=STAFF_PAGES, include_in_schema=False)
admin_only = APIRouter(prefix="/verwaltung", dependencies=ADMIN_PAGES, include_in_schema=False)

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


# --- accounts (admins only) ---------------------------------------------------------------


def _users_page(
    request: Request,
    session: Session,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    created: tuple[StaffUser, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "pages/admin/users.html",
        {
            "users": accounts.list_users(session),
            "roles": USER_ROLES,
            "errors": errors or {},
            "values": values or {"email": "", "name": "", "role": "editor"},
            "created": created,
            "status": request.query_params.get("status"),
        },
        status_code=status_code,
    )


@admin_only.get("/konten", response_class=HTMLResponse, name="admin_users")
def users(request: Request, staff: AdminDep, session: SessionDep) -> HTMLResponse:
    return _users_page(request, session)


@admin_only.post("/konten", response_class=HTMLResponse, name="admin_user_create")
async def user_create(request: Request, staff: AdminDep, session: SessionDep) -> Response:
    """A new account with a generated first password, shown once; the person sets their
    own at the first sign-in."""
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in ("email", "name", "role")}
    password = accounts.generated_password()
    try:
        user = accounts.create_user(
            session,
            values["email"],
            password,
            values["role"],
            name=values["name"],
            must_change_password=True,
        )
    except accounts.AccountError as exc:
        session.rollback()
        return _users_page(
            request, session, errors={exc.field: exc.message}, values=values, status_code=422
        )
    session.commit()
    return _users_page(request, session, created=(user, password))


def _user(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise HTTPException(status_code=404)
    return user


@admin_only.post("/konten/{user_id}", response_class=HTMLResponse, name="admin_user_change")
async def user_change(
    request: Request, user_id: Id, staff: AdminDep, session: SessionDep
) -> Response:
    user = _user(session, user_id)
    form = await request.form()
    role = str(form.get("role") or "") or None
    active = {"1": True, "0": False}.get(str(form.get("active") or ""))
    try:
        accounts.change_user(session, user, role=role, active=active)
    except accounts.AccountError as exc:
        session.rollback()
        return _users_page(
            request, session, errors={f"user-{user_id}": exc.message}, status_code=422
        )
    session.commit()
    return see_other("/verwaltung/konten?status=geaendert")


@admin_only.post("/konten/{user_id}/passwort", response_class=HTMLResponse, name="admin_user_reset")
def user_reset(request: Request, user_id: Id, staff: AdminDep, session: SessionDep) -> Response:
    """A new first password (for a person who forgot theirs), shown once; it ends the
    person's sessions."""
    user = _user(session, user_id)
    password = accounts.generated_password()
    accounts.set_password(session, user, password)
    user.must_change_password = True
    session.add(user)
    session.commit()
    return _users_page(request, session, created=(user, password))


# --- API tokens (admins only) -------------------------------------------------------------


def _tokens_page(
    request: Request,
    session: Session,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    created: tuple[ApiToken, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "pages/admin/tokens.html",
        {
            "tokens": tokens.list_tokens(session),
            "roles": ROLES,
            "errors": errors or {},
            "values": values or {"name": "", "role": "editor"},
            "created": created,
            "status": request.query_params.get("status"),
        },
        status_code=status_code,
    )


@admin_only.get("/zugaenge", response_class=HTMLResponse, name="admin_tokens")
def api_tokens(request: Request, staff: AdminDep, session: SessionDep) -> HTMLResponse:
    return _tokens_page(request, session)


@admin_only.post("/zugaenge", response_class=HTMLResponse, name="admin_token_create")
async def token_create(request: Request, staff: AdminDep, session: SessionDep) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in ("name", "role")}
    try:
        token, secret = tokens.create_token(
            session, values["name"], values["role"], staff.user.label
        )
    except accounts.AccountError as exc:
        session.rollback()
        return _tokens_page(
            request, session, errors={exc.field: exc.message}, values=values, status_code=422
        )
    session.commit()
    return _tokens_page(request, session, created=(token, secret))


@admin_only.post("/zugaenge/{token_id}/widerrufen", name="admin_token_revoke")
def token_revoke(request: Request, token_id: Id, staff: AdminDep, session: SessionDep) -> Response:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise HTTPException(status_code=404)
    tokens.revoke_token(session, token)
    session.commit()
    return see_other("/verwaltung/zugaenge?status=widerrufen")

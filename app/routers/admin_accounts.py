"""Staff pages for accounts and API tokens, for admins only: ``admin_only`` carries
``ADMIN_PAGES``, so an editor gets 403 on every route of it."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.deps import ADMIN_PAGES, AdminDep, SessionDep
from app.models import ApiToken, StaffUser
from app.staff import accounts, tokens
from app.staff.roles import ROLES, USER_ROLES
from app.web.staff import page, see_other

admin_only = APIRouter(prefix="/verwaltung", dependencies=ADMIN_PAGES, include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


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

"""Signing in and out, and changing one's password (/verwaltung/anmelden, ...)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import (
    PROVIDER_AREA,
    SIGN_IN_PAGES,
    STAFF_PAGES,
    SessionDep,
    SettingsDep,
    StaffDep,
    client_address,
)
from app.i18n import gettext as _
from app.staff import accounts, throttle
from app.staff import sessions as staff_sessions
from app.staff.passwords import verify_password
from app.staff.roles import is_provider
from app.web.staff import (
    clear_session_cookie,
    ensure_presession_cookie,
    page,
    safe_next,
    see_other,
    set_session_cookie,
)

public = APIRouter(prefix="/verwaltung", dependencies=SIGN_IN_PAGES, include_in_schema=False)
router = APIRouter(prefix="/verwaltung", dependencies=STAFF_PAGES, include_in_schema=False)


def _sign_in_page(
    request: Request,
    *,
    email: str = "",
    weiter: str = "",
    errors: dict[str, str] | None = None,
    blocked: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    fresh = Response()
    ensure_presession_cookie(request, fresh)  # before the page renders its token
    response = page(
        request,
        "pages/admin/sign_in.html",
        {
            "email": email,
            "weiter": safe_next(weiter),
            "errors": errors or {},
            "blocked": blocked,
            "signed_out": request.query_params.get("abgemeldet") == "1",
        },
        status_code=status_code,
        headers=headers,
    )
    for name, value in fresh.headers.items():
        if name == "set-cookie":
            response.headers.append("set-cookie", value)
    return response


@public.get("/anmelden", response_class=HTMLResponse, name="admin_sign_in")
def sign_in_page(request: Request, weiter: str = "") -> HTMLResponse:
    return _sign_in_page(request, weiter=weiter)


@public.post("/anmelden", response_class=HTMLResponse, name="admin_sign_in_post")
def sign_in(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=1000)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    weiter: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Check the password (unless the account or address is blocked), then start a new
    session (a new id, the cookie's old session ended)."""
    key = accounts.normalise_email(email)[:254]
    address = client_address(request)
    errors: dict[str, str] = {}
    if not key:
        errors["email"] = _("Geben Sie Ihre E-Mail-Adresse ein.")
    if not password:
        errors["password"] = _("Geben Sie Ihr Passwort ein.")
    if errors:
        return _sign_in_page(request, email=email, weiter=weiter, errors=errors, status_code=422)
    blocked = throttle.blocked(session, key, address, settings)
    if blocked is not None:
        message = (
            _(
                "Zu viele fehlgeschlagene Anmeldungen. Bitte versuchen Sie es in "
                "%(n)s Minuten noch einmal.",
                n=blocked.minutes,
            )
            if blocked.minutes > 1
            else _(
                "Zu viele fehlgeschlagene Anmeldungen. Bitte versuchen Sie es in einer "
                "Minute noch einmal."
            )
        )
        return _sign_in_page(
            request,
            email=email,
            weiter=weiter,
            blocked=message,
            status_code=429,
            headers={"Retry-After": str(blocked.seconds)},
        )
    user = accounts.find_user(session, key)
    ok, new_hash = verify_password(password, user.password_hash if user and user.active else None)
    throttle.record_attempt(session, key, address, ok)
    if not ok or user is None:
        session.commit()
        return _sign_in_page(
            request,
            email=email,
            weiter=weiter,
            status_code=422,
            errors={
                "email": _("E-Mail-Adresse oder Passwort ist falsch."),
            },
        )
    if new_hash:
        user.password_hash = new_hash
    old = staff_sessions.session_id_of(request.cookies.get(staff_sessions.COOKIE), settings)
    cookie, _record = staff_sessions.start_session(session, user, settings, replaces=old)
    session.commit()
    target = safe_next(weiter)
    if is_provider(user.role) and not target.startswith(PROVIDER_AREA):
        target = PROVIDER_AREA  # a provider account has no other page to go to
    response = see_other(target)
    set_session_cookie(response, request, cookie)
    return response


@router.post("/abmelden", name="admin_sign_out")
def sign_out(request: Request, staff: StaffDep, session: SessionDep) -> Response:
    """End the session on the server: the cookie is dead even if someone kept a copy."""
    staff_sessions.end_session(session, staff.session_id)
    session.commit()
    response = see_other("/verwaltung/anmelden?abgemeldet=1")
    clear_session_cookie(response, request)
    return response


@router.get("/konto/passwort", response_class=HTMLResponse, name="admin_password")
def password_page(request: Request, staff: StaffDep) -> HTMLResponse:
    return page(request, "pages/admin/password.html")


@router.post("/konto/passwort", response_class=HTMLResponse, name="admin_password_post")
def change_password(
    request: Request,
    staff: StaffDep,
    session: SessionDep,
    current_password: Annotated[str, Form(max_length=1000)] = "",
    new_password: Annotated[str, Form(max_length=1000)] = "",
    new_password_again: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    errors: dict[str, str] = {}
    ok, _new = verify_password(current_password, staff.user.password_hash)
    if not ok:
        errors["current_password"] = _("Das bisherige Passwort stimmt nicht.")
    if new_password != new_password_again:
        errors["new_password_again"] = _("Die beiden neuen Passwörter sind nicht gleich.")
    if not errors:
        try:
            accounts.set_password(session, staff.user, new_password, keep_session=staff.session_id)
        except accounts.AccountError as exc:
            errors[exc.field] = exc.message
    if errors:
        session.rollback()
        return page(request, "pages/admin/password.html", {"errors": errors}, status_code=422)
    session.commit()
    home = PROVIDER_AREA if is_provider(staff.user.role) else "/verwaltung"
    return see_other(f"{home}?status=passwort")

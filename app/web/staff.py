"""The HTTP side of the staff pages: rendering with the form token and the signed-in
person, the session cookie, and the answers to a missing sign-in or form token."""

import re
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile

from app.catalogue.read import get_offer
from app.catalogue.writers import Actor
from app.config import get_settings
from app.deps import CsrfRejected, StaffRedirect, csrf_binding
from app.i18n import gettext as _
from app.models import Offer
from app.staff import csrf
from app.staff import sessions as staff_sessions
from app.staff.roles import allows, is_provider
from app.staff.sessions import SignedIn
from app.web.render import render

NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def csrf_token(request: Request) -> str:
    binding = csrf_binding(request)
    return csrf.form_token(get_settings().secret_key, binding) if binding else ""


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """A staff page: never cached, not indexed, with the form token and the person."""
    staff = getattr(request.state, "staff", None)
    ctx = {
        "csrf_token": csrf_token(request),
        "staff": staff.user if staff else None,
        "is_admin": bool(staff and allows(staff.user.role, "admin")),
        "is_provider": bool(staff and is_provider(staff.user.role)),
        "is_editor": bool(staff and allows(staff.user.role, "editor")),
        "errors": {},
        **(context or {}),
    }
    return render(
        request, template, ctx, status_code=status_code, headers={**NO_STORE, **(headers or {})}
    )


def staff_actor(staff: SignedIn) -> Actor:
    """Who wrote, for the change log: the signed-in person, through a page."""
    return Actor(staff.user.label, "page")


def offer_or_404(session: Session, offer_id: int) -> Offer:
    """An offer for a staff page (archived ones too), or 404."""
    offer = get_offer(session, offer_id, archived=True)
    if offer is None:
        raise HTTPException(status_code=404)
    return offer


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


def is_https(request: Request) -> bool:
    return request.url.scheme == "https" or get_settings().environment == "production"


def set_session_cookie(response: Response, request: Request, value: str) -> None:
    response.set_cookie(
        staff_sessions.COOKIE,
        value,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
        max_age=int(get_settings().session_hours * 3600),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        staff_sessions.COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request)
    )


def ensure_presession_cookie(request: Request, response: Response) -> None:
    """The sign-in form's token is bound to this cookie (set once, for the browser)."""
    if not request.cookies.get(csrf.COOKIE):
        value = csrf.new_binding()
        request.cookies[csrf.COOKIE] = value  # so that this page's token matches it
        response.set_cookie(
            csrf.COOKIE,
            value,
            httponly=True,
            samesite="strict",
            secure=is_https(request),
            path="/verwaltung",
        )


def safe_next(url: str | None) -> str:
    """Only a path of the staff pages (never another site) after sign-in."""
    if not url:
        return "/verwaltung"
    parts = urlsplit(url)
    if (
        parts.scheme
        or parts.netloc
        or not parts.path.startswith("/verwaltung")
        or url.startswith("//")
        or "\\" in url
    ):
        return "/verwaltung"
    return url


async def staff_redirect(request: Request, exc: StaffRedirect) -> Response:
    return see_other(exc.url)


async def csrf_rejected(request: Request, exc: CsrfRejected) -> Response:
    if request.url.path.startswith("/api/"):
        from fastapi.responses import JSONResponse

        return JSONResponse({"detail": "CSRF token missing or invalid"}, status_code=403)
    return page(request, "pages/admin/csrf_failed.html", {}, status_code=403)


async def uploaded_text(
    form: FormData, field: str, missing: str | None = None
) -> tuple[str, str] | str:
    """(file name, text) of the file uploaded as ``field``, or the message why not:
    none chosen, larger than the upload limit, or not UTF-8. The name keeps only
    letters, digits, dots, dashes and spaces."""
    file = form.get(field)
    if not isinstance(file, UploadFile) or not file.filename:
        return missing or _("Wählen Sie eine Datei aus.")
    limit = get_settings().upload_max_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        return _("Die Datei ist zu groß (höchstens %(n)s MB).", n=limit // 1_000_000)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _("Die Datei ist nicht UTF-8-kodiert. Speichern Sie sie als „CSV UTF-8“.")
    return re.sub(r"[^\w.\- ]", "_", file.filename)[-200:], text

"""Form tokens for the public's forms ("Fehler melden"), without a staff session.

The token is bound to a random cookie of the visitor's browser (signed double submit,
the same HMAC as ``app.staff.csrf``): a forged form from another site cannot know the
token of the visitor's cookie, and the cookie is ``SameSite=Strict`` besides. Pages
carrying a token are ``private, no-store``, so no cache (neither a browser's nor the
server's response cache, which keeps nothing ``private``) ever hands one visitor's form
to another.
"""

from fastapi import Request
from fastapi.responses import Response

from app.config import get_settings
from app.staff import csrf
from app.web.staff import is_https

COOKIE = "fw_form"
PATH = "/angebote"
NO_STORE = {"Cache-Control": "private, no-store"}


def binding(request: Request) -> tuple[str, bool]:
    """The visitor's binding and whether it is new (then the cookie must be set)."""
    value = request.cookies.get(COOKIE)
    if value and 20 <= len(value) <= 100:
        return value, False
    return csrf.new_binding(), True


def token_for(value: str) -> str:
    return csrf.form_token(get_settings().secret_key, value)


def remember(request: Request, response: Response, value: str) -> None:
    response.set_cookie(
        COOKIE,
        value,
        httponly=True,
        samesite="strict",
        secure=is_https(request),
        path=PATH,
    )


def token_is_valid(request: Request, submitted: object) -> bool:
    return csrf.is_valid(
        get_settings().secret_key,
        request.cookies.get(COOKIE),
        submitted if isinstance(submitted, str) else None,
    )

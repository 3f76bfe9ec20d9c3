"""Form tokens against cross-site request forgery, in one small module.

Signed in, a form carries HMAC(secret key, session id): the server-side session is
the state, nothing else is stored, and a token dies with its session (sign-out, new
sign-in, password change). Before sign-in (the sign-in form itself) the token is bound
to a random cookie instead (signed double submit: a forged cookie is useless without
the key). Either way the token is checked in constant time before the route runs,
by the router-level dependency in ``app.deps``.

Why not a library: starlette-csrf checks a header only (plain HTML forms without
JavaScript could not send it) and asgi-csrf buffers and re-parses every request body
in a middleware and does not know our sessions; binding the token to the
server-side session is what makes sign-out end the forms too.
"""

import hashlib
import hmac
import secrets

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
COOKIE = "fw_csrf"  # the pre-sign-in binding


def new_binding() -> str:
    return secrets.token_urlsafe(32)


def form_token(secret_key: str, binding: str) -> str:
    key = hashlib.sha256(f"csrf:{secret_key}".encode()).digest()
    return hmac.new(key, binding.encode(), hashlib.sha256).hexdigest()


def is_valid(secret_key: str, binding: str | None, submitted: str | None) -> bool:
    if not binding or not submitted:
        return False
    return hmac.compare_digest(form_token(secret_key, binding), submitted)

"""Every dependency a route declares, in one place.

Route functions name what they need in their signature (``session: SessionDep``);
tests override these functions instead of patching.
"""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.config import (
    LEAFLET_CSS_SRI,
    LEAFLET_JS_SRI,
    LEAFLET_VERSION,
    Settings,
    get_settings,
)
from app.db.session import get_session
from app.geo.geocoder import Geocoder, geocoder_from_settings
from app.i18n import gettext as _
from app.models import ApiToken
from app.planning.view import PlanningView, planning_view
from app.staff import csrf
from app.staff import sessions as staff_sessions
from app.staff import tokens as staff_tokens
from app.staff.roles import allows, is_provider, planner_may_open
from app.staff.sessions import SignedIn

SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_geocoder() -> Geocoder | None:
    """The configured external geocoder, or None (the default: offline only)."""
    return geocoder_from_settings(get_settings())


GeocoderDep = Annotated[Geocoder | None, Depends(get_geocoder)]


def map_tiles(request: Request) -> dict[str, Any] | None:
    """Leaflet over tiles, only when a tile URL is configured (else nothing external)."""
    settings = get_settings()
    if not settings.map_tiles_url:
        return None
    local = settings.assets == "local"
    base = (
        str(request.app.url_path_for("static", path="vendor/leaflet"))
        if local
        else settings.leaflet_cdn_url
    )
    return {
        "url": settings.map_tiles_url,
        "attribution": settings.map_tiles_attribution,
        "js": f"{base}/leaflet.js",
        "css": f"{base}/leaflet.css",
        "local": local,
        "js_sri": LEAFLET_JS_SRI,
        "css_sri": LEAFLET_CSS_SRI,
        "version": LEAFLET_VERSION,
    }


TilesDep = Annotated[dict[str, Any] | None, Depends(map_tiles)]


# --- staff: signed-in pages and the admin API -------------------------------------------


class StaffRedirect(Exception):
    """Send the browser elsewhere (to sign in, or to change the first password)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class CsrfRejected(Exception):
    """A form without a valid token: refused before the route runs."""


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def signed_in_staff(request: Request, session: SessionDep) -> SignedIn | None:
    """The person signed in with this request's cookie, if any (once per request)."""
    if not hasattr(request.state, "staff"):
        request.state.staff = staff_sessions.signed_in(
            session, request.cookies.get(staff_sessions.COOKIE), get_settings()
        )
    return request.state.staff


PASSWORD_PATHS = ("/verwaltung/konto/passwort", "/verwaltung/abmelden")


def require_staff(
    request: Request, staff: Annotated[SignedIn | None, Depends(signed_in_staff)]
) -> SignedIn:
    """Every /verwaltung page: signed in, else to the sign-in page (and back after)."""
    if staff is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise StaffRedirect(f"/verwaltung/anmelden?{urlencode({'weiter': target})}")
    if staff.user.must_change_password and request.url.path not in PASSWORD_PATHS:
        raise StaffRedirect(PASSWORD_PATHS[0])
    if is_provider(staff.user.role) and request.url.path not in PASSWORD_PATHS:
        # A provider (Träger) account sees none of the staff's pages: only its own
        # area (``require_provider``), its password and signing out.
        raise HTTPException(status_code=403, detail="staff role required")
    if not allows(staff.user.role, "editor") and not planner_may_open(request.url.path):
        # a planner: the goals, own account and sign-out; the catalogue is the editors'
        if request.url.path == "/verwaltung":
            raise StaffRedirect("/verwaltung/ziele")
        raise HTTPException(status_code=403, detail="editor role required")
    return staff


StaffDep = Annotated[SignedIn, Depends(require_staff)]


PROVIDER_AREA = "/verwaltung/traeger-bereich"


def require_provider(
    request: Request, staff: Annotated[SignedIn | None, Depends(signed_in_staff)]
) -> SignedIn:
    """The provider's own area: signed in with a provider account (staff get 403)."""
    if staff is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise StaffRedirect(f"/verwaltung/anmelden?{urlencode({'weiter': target})}")
    if not is_provider(staff.user.role):
        raise HTTPException(status_code=403, detail="provider account required")
    return staff


ProviderDep = Annotated[SignedIn, Depends(require_provider)]


def require_admin(staff: StaffDep) -> SignedIn:
    """Pages for admins only (users, tokens): an editor gets 403."""
    if not allows(staff.user.role, "admin"):
        raise HTTPException(status_code=403, detail="admin role required")
    return staff


AdminDep = Annotated[SignedIn, Depends(require_admin)]


def require_planner(staff: StaffDep) -> SignedIn:
    """The goals and measures: planners, editors and admins."""
    if not allows(staff.user.role, "planner"):
        raise HTTPException(status_code=403, detail="planner role required")
    return staff


PlannerDep = Annotated[SignedIn, Depends(require_planner)]


async def csrf_protect(request: Request) -> None:
    """Every form post carries the token of its session (or, before sign-in, of the
    pre-session cookie); otherwise it is refused and the route does not run."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    submitted = request.headers.get(csrf.HEADER)
    if submitted is None:
        value = (await request.form()).get(csrf.FIELD)
        submitted = value if isinstance(value, str) else None
    if not csrf.is_valid(get_settings().secret_key, csrf_binding(request), submitted):
        raise CsrfRejected()


def csrf_binding(request: Request) -> str | None:
    staff = getattr(request.state, "staff", None)
    return staff.session_id if staff is not None else request.cookies.get(csrf.COOKIE)


# Router-level dependencies: every route of a router declared with these is protected.
STAFF_PAGES = [Depends(require_staff), Depends(csrf_protect)]
ADMIN_PAGES = [Depends(require_staff), Depends(require_admin), Depends(csrf_protect)]
PLANNER_PAGES = [Depends(require_staff), Depends(require_planner), Depends(csrf_protect)]
SIGN_IN_PAGES = [Depends(csrf_protect)]
PROVIDER_PAGES = [Depends(require_provider), Depends(csrf_protect)]

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API token (created by an admin on /verwaltung/zugaenge "
    "or with `python -m app.cli create-token`).",
)


def api_token(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiToken:
    """The token of the request; 401 when it is missing, unknown or revoked."""
    token = staff_tokens.find_token(session, credentials.credentials) if credentials else None
    if token is None:
        raise HTTPException(
            status_code=401,
            detail=_("Ein gültiges API-Token fehlt."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token


def _token_with(role: str):  # noqa: ANN202
    def check(token: Annotated[ApiToken, Depends(api_token)]) -> ApiToken:
        if not allows(token.role, role):
            raise HTTPException(
                status_code=403, detail=_("Dieses Token hat nicht die Rolle „%(role)s“.", role=role)
            )
        return token

    check.__name__ = f"token_with_{role}"
    return check


require_api_reader = _token_with("reader")
require_api_editor = _token_with("editor")
ApiReaderDep = Annotated[ApiToken, Depends(require_api_reader)]
# Router-level: every route of the API's reader and editor routers.
API_READERS = [Depends(require_api_reader)]
API_EDITORS = [Depends(require_api_editor)]


def optional_token(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiToken | None:
    """The token, when one is sent (public reads work without; a bad one is a 401)."""
    if credentials is None:
        return None
    return api_token(session, credentials)


OptionalTokenDep = Annotated[ApiToken | None, Depends(optional_token)]
ApiEditorDep = Annotated[ApiToken, Depends(require_api_editor)]


def get_planning_view(request: Request, session: SessionDep) -> PlanningView:
    """The parsed /planung query, the cached coverage and the table built from them."""
    values = {k: request.query_params.getlist(k)[-1] for k in request.query_params}
    return planning_view(session, values)


PlanningDep = Annotated[PlanningView, Depends(get_planning_view)]

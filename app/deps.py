"""Every dependency a route declares, in one place.

Route functions name what they need in their signature (``session: SessionDep``);
tests override these functions instead of patching.
"""

from typing import Annotated, Any

from fastapi import Depends, Request
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
from app.web.planning_context import PlanningView, planning_view

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
    base = (str(request.app.url_path_for("static", path="vendor/leaflet"))
            if local else settings.leaflet_cdn_url)
    return {"url": settings.map_tiles_url, "attribution": settings.map_tiles_attribution,
            "js": f"{base}/leaflet.js", "css": f"{base}/leaflet.css", "local": local,
            "js_sri": LEAFLET_JS_SRI, "css_sri": LEAFLET_CSS_SRI, "version": LEAFLET_VERSION}


TilesDep = Annotated[dict[str, Any] | None, Depends(map_tiles)]


def get_planning_view(request: Request, session: SessionDep) -> PlanningView:
    """The parsed /planung query, the cached coverage and the table built from them."""
    return planning_view(request, session)


PlanningDep = Annotated[PlanningView, Depends(get_planning_view)]

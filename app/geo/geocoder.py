"""An optional external geocoder (Nominatim-compatible ``/search``), off by default."""

import logging
from dataclasses import dataclass

import httpx

from app.config import Settings

USER_AGENT = "Familienwegweiser-Bochum/0.1 (public family-services directory)"

# httpx logs every request's URL at INFO, and the geocoder's URL carries what was typed
# (an address): never below WARNING, whatever the logging configuration says.
logging.getLogger("httpx").setLevel(logging.WARNING)


class GeocoderUnavailable(Exception):
    """The external geocoder timed out, failed or answered nonsense."""


@dataclass(frozen=True)
class Geocoder:
    """A Nominatim-compatible ``/search`` endpoint answering JSON."""

    url: str
    timeout: float = 3.0

    def lookup(self, query: str) -> tuple[float, float, str] | None:
        """(lon, lat, display name) of the best match, or None when nothing matched."""
        q = query if "bochum" in query.casefold() else f"{query}, Bochum"
        params = {
            "q": q,
            "format": "jsonv2",
            "limit": "1",
            "countrycodes": "de",
            "accept-language": "de",
        }
        try:
            response = httpx.get(
                self.url, params=params, timeout=self.timeout, headers={"User-Agent": USER_AGENT}
            )
            response.raise_for_status()
            data = response.json()
        except httpx.HTTPStatusError as exc:
            raise GeocoderUnavailable(f"HTTP {exc.response.status_code}") from exc
        except (httpx.HTTPError, ValueError) as exc:
            # The class only: httpx names the URL, and its query is what was typed.
            raise GeocoderUnavailable(exc.__class__.__name__) from exc
        if not isinstance(data, list):
            raise GeocoderUnavailable("answer is not a JSON list")
        if not data:
            return None
        try:
            best = data[0]
            return float(best["lon"]), float(best["lat"]), str(best.get("display_name") or q)
        except (KeyError, TypeError, ValueError) as exc:
            raise GeocoderUnavailable(f"unexpected answer ({exc.__class__.__name__})") from exc


def geocoder_from_settings(settings: Settings) -> Geocoder | None:
    """The configured external geocoder, or None (the default: offline only)."""
    if not settings.geocoder_url:
        return None
    return Geocoder(settings.geocoder_url, settings.geocoder_timeout)

"""Where a what-if site stands when a planner types an address or clicks the map.

There is no address service: an address is looked up only in the data we hold, by the
offline gazetteer of the near-me search (``app.geo.resolve`` without a geocoder):

* ``adresse``: street and house number of an offer in the directory: that offer's point;
* ``strasse``: a street of the directory without that house number: the mean of the
  street's known offer points (the street's middle as far as we know it);
* ``plz``: a Bochum postcode: the centre of its area (OSM polygon);
* ``stadtteil``: a Stadtteil with a published centre point (places/, Wikipedia).

A whole Stadtbezirk or the city is refused: too large to stand for a site. A map click
(``karte``) is turned into a point by the map's own projection (``app.maps.svg.Frame``),
to about half a pixel. The page says for every site how its point was found."""

from dataclasses import dataclass

import shapely
from sqlmodel import Session

from app.geo.crs import utm_to_wgs
from app.geo.gazetteer import static_gazetteer
from app.geo.places import PlaceNotFound
from app.geo.resolve import resolve
from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.planning.scenario import clean_label

MAX_ADDRESS = 120
KIND_OF_PLACE = {
    "address": "adresse",
    "street": "strasse",
    "postcode": "plz",
    "stadtteil": "stadtteil",
}

# How each kind of point was found, and how exact it is (shown beside every site).
HOW_TEXT = {
    "koordinaten": _l("eingegebene Breite und Länge"),
    "karte": _l("Punkt auf der Karte, auf etwa %(m)s m genau"),
    "adresse": _l("Adresse eines Angebots im Verzeichnis: dessen Punkt (genau)"),
    "strasse": _l(
        "Straße im Verzeichnis, Hausnummer dort nicht bekannt: Mitte der bekannten "
        "Adressen dieser Straße (ungefähr, je nach Straßenlänge einige hundert Meter)"
    ),
    "plz": _l("Mitte des Postleitzahlgebiets (grob: das Gebiet ist einige Kilometer groß)"),
    "stadtteil": _l("veröffentlichter Ortsmittelpunkt des Stadtteils (grob)"),
}


@dataclass(frozen=True)
class Found:
    lat: float
    lon: float
    how: str
    label: str


class SiteNotFound(ValueError):
    """No point for what was given; the message says why, in words."""


def how_text(how: str, metres_per_pixel: float | None = None) -> str:
    text = HOW_TEXT.get(how, HOW_TEXT["koordinaten"])
    if how == "karte":
        return str(text) % {"m": round((metres_per_pixel or 0) / 2) or 1}
    return str(text)


def locate_address(session: Session, text: str) -> Found:
    """The point of a typed address, street, postcode or Stadtteil, from our own data;
    raises ``SiteNotFound`` with the reason (and suggestions where we have them)."""
    text = " ".join(text.split())
    if len(text) > MAX_ADDRESS:
        raise SiteNotFound(_("zu lang (höchstens %(n)s Zeichen)", n=MAX_ADDRESS))
    try:
        place = resolve(session, text, geocoder=None)
    except PlaceNotFound as exc:
        raise SiteNotFound(exc.message) from None
    how = KIND_OF_PLACE.get(place.kind)
    if how is None:
        raise SiteNotFound(
            _(
                "„%(name)s“ ist ein ganzer Stadtbezirk oder die ganze Stadt, zu groß für "
                "einen Standort. Geben Sie bitte Straße und Hausnummer, eine "
                "Postleitzahl oder einen Stadtteil ein.",
                name=place.label,
            )
        )
    lon, lat = utm_to_wgs(place.x, place.y)
    return Found(round(lat, 5), round(lon, 5), how, clean_label(place.label))


def locate_point(session: Session, x: float, y: float, label: str = "") -> Found:
    """A map point (EPSG:25832); raises ``SiteNotFound`` outside the city."""
    city = static_gazetteer(session).city
    if not city.is_empty and not city.contains(shapely.Point(x, y)):
        raise SiteNotFound(_("Der Punkt liegt außerhalb Bochums."))
    lon, lat = utm_to_wgs(x, y)
    return Found(round(lat, 5), round(lon, 5), "karte", clean_label(label))

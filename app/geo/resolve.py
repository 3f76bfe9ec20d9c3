"""Resolving what the user typed ("44866", "Hüller Str. 12", "Wattenscheid") into a
``Place``: the offline gazetteer first for postcodes and districts, the external
geocoder (when configured) for addresses, then the streets of the offers."""

import difflib
import logging
import re

from shapely.geometry import Point
from sqlmodel import Session

from app.geo.crs import wgs_to_utm
from app.geo.gazetteer import StaticGazetteer, Street, static_gazetteer, street_index
from app.geo.geocoder import Geocoder, GeocoderUnavailable
from app.geo.places import Place, PlaceNotFound
from app.i18n import gettext as _
from app.text import place_key, split_house_number

log = logging.getLogger(__name__)

# A geocoder answer further than this from the city is not a place in or near Bochum.
MAX_OUTSIDE_M = 10_000

_POSTCODE = re.compile(r"\b(\d{5})\b")


def _not_found(query: str, candidates: dict[str, str], key: str,
               reason: str | None = None) -> PlaceNotFound:
    close = difflib.get_close_matches(key, list(candidates), n=5, cutoff=0.6)
    suggestions = list(dict.fromkeys(candidates[c] for c in close))
    message = reason or _("Den Ort „%(query)s“ haben wir nicht gefunden.", query=query)
    if suggestions:
        message += " " + _("Meinten Sie: %(names)s?", names=", ".join(suggestions))
    else:
        message += " " + _("Geben Sie bitte eine Bochumer Postleitzahl (zum Beispiel 44866), "
                           "einen Straßennamen oder einen Stadtbezirk ein.")
    return PlaceNotFound(query, message, suggestions)


def _candidates(static: StaticGazetteer, streets: dict[str, Street]) -> dict[str, str]:
    names: dict[str, str] = {key: street.name for key, street in streets.items()}
    names.update({place_key(a.name): a.name for a in static.districts.values()})
    names.update({plz: plz for plz in static.postcodes})
    return names


def _streets_starting(streets: dict[str, Street], key: str) -> list[Street]:
    return [s for k, s in streets.items() if k.startswith(key)] if len(key) >= 4 else []


def _loose_street(streets: dict[str, Street], key: str) -> Street | None:
    """ "Hüller" finds "Hüller Str.", and a beginning finds the one street it begins."""
    if key + "str" in streets:
        return streets[key + "str"]
    starts = _streets_starting(streets, key)
    return starts[0] if len(starts) == 1 else None


def resolve(session: Session, query: str, *, geocoder: Geocoder | None = None) -> Place:
    """Turn what the user typed into a ``Place``; raise ``PlaceNotFound`` with suggestions."""
    static = static_gazetteer(session)
    text = re.sub(r"\s+", " ", query).strip()
    rest = re.sub(r"\bbochum\b", " ", text, flags=re.IGNORECASE)
    postcode_match = _POSTCODE.search(rest)
    postcode = postcode_match.group(1) if postcode_match else None
    if postcode:
        rest = rest.replace(postcode, " ")
    rest = rest.strip(" ,")

    key = place_key(rest)
    district = static.districts.get(key) if key else None
    if postcode and (not rest or district is not None):
        area = static.postcodes.get(postcode)
        if area is None:
            raise _not_found(text, {p: p for p in static.postcodes}, postcode, _(
                "Die Postleitzahl %(plz)s liegt nicht in Bochum.", plz=postcode))
        return Place(label=postcode, kind="postcode", x=area.x, y=area.y, plz=postcode)
    if district is not None:
        return Place(label=district.name, kind="district", x=district.x, y=district.y,
                     district=district.key)

    notice = None
    if geocoder is not None:
        try:
            found = geocoder.lookup(text)
        except GeocoderUnavailable as exc:
            # Never what was typed: logs must not hold personal data (an address).
            log.warning("geocoder unavailable (%s); the offline gazetteer answered", exc)
            found = None
            notice = _("Der Adressdienst hat nicht rechtzeitig geantwortet. Wir haben den Ort "
                       "deshalb in unserem eigenen Verzeichnis gesucht (Postleitzahlen, "
                       "Stadtbezirke und die Straßen der Angebote).")
        if found is not None:
            x, y = wgs_to_utm(found[0], found[1])
            if static.city.distance(Point(x, y)) <= MAX_OUTSIDE_M:
                return Place(label=text, kind="geocoder", x=x, y=y, found_as=found[2])

    try:
        return _resolve_offline(session, static, text, rest, key, postcode, notice)
    except PlaceNotFound as exc:
        if notice:
            exc.message = f"{notice} {exc.message}"
        raise


def _resolve_offline(session: Session, static: StaticGazetteer, text: str, rest: str,
                     key: str, postcode: str | None, notice: str | None) -> Place:
    """Streets of the offers, then the postcode alone, then Ortsteil names as hints."""
    streets = street_index(session)
    street_part, number = split_house_number(rest)
    street_key = place_key(street_part)
    street = streets.get(street_key) if street_key else None

    quarter = static.quarters.get(key)
    if street is None and quarter is not None:
        name, slug = quarter
        area = next(a for a in static.districts.values() if a.key == slug)
        also = [s.name for s in _streets_starting(streets, key)][:3]
        raise PlaceNotFound(text, _(
            "„%(quarter)s“ ist ein Stadtteil im Stadtbezirk %(district)s. Für Stadtteile "
            "haben wir keine Grenzen. Suchen Sie bitte mit Postleitzahl, Straße oder dem "
            "Stadtbezirk: %(district)s?", quarter=name, district=area.name), [area.name, *also])

    if street is None and street_key:
        street = _loose_street(streets, street_key)
    if street is not None:
        if number and number in street.addresses:
            ax, ay = street.addresses[number]
            return Place(label=f"{street.name} {number}", kind="address", x=ax, y=ay,
                         notice=notice)
        return Place(label=street.name, kind="street", x=street.x, y=street.y, notice=notice)

    if postcode and postcode in static.postcodes:
        area = static.postcodes[postcode]
        return Place(label=postcode, kind="postcode", x=area.x, y=area.y, plz=postcode,
                     notice=notice)

    raise _not_found(text, _candidates(static, streets), key)


def locate(session: Session, nahe: str, lat: float | None, lon: float | None, *,
           geocoder: Geocoder | None = None) -> Place | None:
    """The origin of a near-me search: the typed place first, else the browser's point."""
    if nahe:
        return resolve(session, nahe, geocoder=geocoder)
    if lat is not None and lon is not None:
        x, y = wgs_to_utm(lon, lat)
        return Place(label=_("Ihren Standort"), kind="point", x=x, y=y)
    return None

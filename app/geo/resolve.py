"""Resolving what the user typed ("44866", "Hüller Str. 12", "Wattenscheid", "Weitmar",
"Bochum") into a ``Place``: the offline gazetteer first for the city, postcodes and
districts, the external geocoder (when configured) for addresses, then the streets of
the offers and the names of Stadtteile."""

import difflib
import logging
import re

from shapely.geometry import Point
from sqlmodel import Session

from app.geo.crs import wgs_to_utm
from app.geo.gazetteer import Quarter, StaticGazetteer, Street, static_gazetteer, street_index
from app.geo.geocoder import Geocoder, GeocoderUnavailable
from app.geo.germany import postcode_point
from app.geo.places import Place, PlaceNotFound, Suggestion
from app.i18n import gettext as _
from app.text import place_key, split_house_number

log = logging.getLogger(__name__)

# A geocoder answer further than this from the city is not a place in or near Bochum.
MAX_OUTSIDE_M = 10_000
NEIGHBOURHOOD_RADIUS_M = 1500  # the default of Settings.neighbourhood_radius_m
SUGGESTIONS = 5
NEAREST_POSTCODES = 3

_POSTCODE = re.compile(r"\b(\d{5})\b")


def _not_found(
    query: str, static: StaticGazetteer, candidates: dict[str, Suggestion], key: str
) -> PlaceNotFound:
    """Unknown place: the known names most like what was typed, most alike first."""
    message = _("Den Ort „%(query)s“ haben wir nicht gefunden.", query=query)
    suggestions = similar(key, candidates)
    if suggestions:
        message += " " + _(
            "Meinten Sie: %(names)s?",
            names=", ".join(
                s.name if s.district is None else f"{s.name} ({s.district})" for s in suggestions
            ),
        )
    else:
        message += " " + _(
            "Geben Sie bitte eine Bochumer Postleitzahl (zum Beispiel 44866), "
            "einen Straßennamen oder einen Stadtteil ein."
        )
    return PlaceNotFound(query, message, suggestions)


def similar(
    key: str, candidates: dict[str, Suggestion], n: int = SUGGESTIONS, cutoff: float = 0.6
) -> list[Suggestion]:
    """The candidates whose key is most like ``key`` (difflib's ratio), best first;
    among equals, alphabetical. One suggestion per name."""
    if not key:
        return []
    scored = []
    for candidate_key, suggestion in candidates.items():
        matcher = difflib.SequenceMatcher(None, key, candidate_key)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            ratio = matcher.ratio()
            if ratio >= cutoff:
                scored.append((-ratio, suggestion.name, suggestion))
    found: dict[str, Suggestion] = {}
    for _ratio, name, suggestion in sorted(scored, key=lambda s: s[:2]):
        found.setdefault(name, suggestion)
    return list(found.values())[:n]


def _candidates(static: StaticGazetteer, streets: dict[str, Street]) -> dict[str, Suggestion]:
    names = {a.key: a.name for a in static.districts.values()}
    found: dict[str, Suggestion] = {
        key: Suggestion(street.name, names.get(street.district or ""))
        for key, street in streets.items()
    }
    found.update(
        {key: Suggestion(q.name, names.get(q.district or "")) for key, q in static.quarters.items()}
    )
    found.update({place_key(a.name): Suggestion(a.name) for a in static.districts.values()})
    found.update(
        {
            plz: Suggestion(plz, names.get(area.district or ""))
            for plz, area in static.postcodes.items()
        }
    )
    return found


def _outside_bochum(text: str, postcode: str, static: StaticGazetteer) -> PlaceNotFound:
    """A postcode that is not Bochum's: say so, and name the nearest Bochum postcodes
    by distance (not by spelling), when the postcode's position is known."""
    message = _("Die Postleitzahl %(plz)s liegt nicht in Bochum.", plz=postcode)
    point = postcode_point(postcode)
    if point is None:
        message += " " + _(
            "Geben Sie bitte eine Bochumer Postleitzahl (zum Beispiel 44866), "
            "einen Straßennamen oder einen Stadtteil ein."
        )
        return PlaceNotFound(text, message, [])
    names = {a.key: a.name for a in static.districts.values()}
    where = Point(point)
    nearest = sorted(static.postcodes.values(), key=lambda a: (a.geometry.distance(where), a.key))[
        :NEAREST_POSTCODES
    ]
    suggestions = [
        Suggestion(a.key, names.get(a.district or ""), a.geometry.distance(where)) for a in nearest
    ]
    message += " " + _(
        "Die nächsten Bochumer Postleitzahlen: %(list)s.",
        list=", ".join(
            s.name if s.district is None else f"{s.name} ({s.district})" for s in suggestions
        ),
    )
    return PlaceNotFound(text, message, suggestions)


def resolve(
    session: Session,
    query: str,
    *,
    geocoder: Geocoder | None = None,
    neighbourhood_radius_m: int = NEIGHBOURHOOD_RADIUS_M,
) -> Place:
    """Turn what the user typed into a ``Place``; raise ``PlaceNotFound`` with suggestions."""
    static = static_gazetteer(session)
    text = re.sub(r"\s+", " ", query).strip()
    rest = re.sub(r"\bbochum\b", " ", text, flags=re.IGNORECASE)
    postcode_match = _POSTCODE.search(rest)
    postcode = postcode_match.group(1) if postcode_match else None
    if postcode:
        rest = rest.replace(postcode, " ")
    rest = rest.strip(" ,-")

    key = place_key(rest)
    if not key and not postcode:
        centre = static.city.centroid if not static.city.is_empty else Point(0, 0)
        return Place(
            label="Bochum",
            kind="city",
            x=round(centre.x, 2),
            y=round(centre.y, 2),
            notice=_(
                "„Bochum“ ist die ganze Stadt: wir zeigen alle Angebote, ohne "
                "Entfernung. Für Angebote in Ihrer Nähe geben Sie bitte eine "
                "Postleitzahl, eine Straße oder einen Stadtteil ein."
            ),
        )
    district = static.districts.get(key) if key else None
    if postcode and (not key or district is not None):
        area = static.postcodes.get(postcode)
        if area is None:
            raise _outside_bochum(text, postcode, static)
        return Place(label=postcode, kind="postcode", x=area.x, y=area.y, plz=postcode)
    if district is not None:
        return Place(
            label=district.name, kind="district", x=district.x, y=district.y, district=district.key
        )

    notice = None
    if geocoder is not None and key not in static.quarters:
        try:
            found = geocoder.lookup(text)
        except GeocoderUnavailable as exc:
            # Never what was typed: logs must not hold personal data (an address).
            log.warning("geocoder unavailable (%s); the offline gazetteer answered", exc)
            found = None
            notice = _(
                "Der Adressdienst hat nicht rechtzeitig geantwortet. Wir haben den Ort "
                "deshalb in unserem eigenen Verzeichnis gesucht (Postleitzahlen, "
                "Stadtteile, Stadtbezirke und die Straßen der Angebote)."
            )
        if found is not None:
            x, y = wgs_to_utm(found[0], found[1])
            if static.city.distance(Point(x, y)) <= MAX_OUTSIDE_M:
                return Place(label=text, kind="geocoder", x=x, y=y, found_as=found[2])

    try:
        return _resolve_offline(
            session, static, text, rest, key, postcode, notice, neighbourhood_radius_m
        )
    except PlaceNotFound as exc:
        if notice:
            exc.message = f"{notice} {exc.message}"
        raise


def _quarter_place(
    static: StaticGazetteer, quarter: Quarter, text: str, radius_m: int, notice: str | None
) -> Place:
    """A Stadtteil: around its published centre point; a name without a point: its
    Stadtbezirk, saying so; a name the source cannot place in one: not found."""
    if quarter.x is not None and quarter.y is not None:
        return Place(
            label=quarter.name,
            kind="stadtteil",
            x=quarter.x,
            y=quarter.y,
            radius_m=radius_m,
            source=quarter.source,
            notice=notice,
        )
    area = static.district(quarter.district) if quarter.district else None
    if area is None:
        raise PlaceNotFound(
            text,
            _(
                "„%(name)s“ lässt sich keinem Stadtbezirk eindeutig zuordnen, und einen "
                "Ortsmittelpunkt kennen wir nicht. Suchen Sie bitte mit Postleitzahl, Straße oder "
                "einem Stadtteil.",
                name=quarter.name,
            ),
            [Suggestion(n) for n in quarter.nearby],
        )
    belongs = quarter.note or area.name
    message = _(
        "Für „%(name)s“ ist kein Ortsmittelpunkt veröffentlicht. %(name)s gehört zum "
        "Stadtbezirk %(belongs)s; wir zeigen die Angebote im Stadtbezirk "
        "%(district)s.",
        name=quarter.name,
        belongs=belongs,
        district=area.name,
    )
    return Place(
        label=area.name,
        kind="district",
        x=area.x,
        y=area.y,
        district=area.key,
        notice=f"{notice} {message}" if notice else message,
        nearby=quarter.nearby,
    )


def _resolve_offline(
    session: Session,
    static: StaticGazetteer,
    text: str,
    rest: str,
    key: str,
    postcode: str | None,
    notice: str | None,
    radius_m: int,
) -> Place:
    """Streets of the offers, then Stadtteile, then the beginning of a street, then the
    postcode alone."""
    streets = street_index(session)
    street_part, number = split_house_number(rest)
    street_key = place_key(street_part)
    street = streets.get(street_key) if street_key else None

    quarter = static.quarters.get(key)
    if street is None and quarter is not None:
        return _quarter_place(static, quarter, text, radius_m, notice)

    if street is None and street_key:
        street = _loose_street(streets, street_key)
    if street is not None:
        if number and number in street.addresses:
            ax, ay = street.addresses[number]
            return Place(label=f"{street.name} {number}", kind="address", x=ax, y=ay, notice=notice)
        return Place(label=street.name, kind="street", x=street.x, y=street.y, notice=notice)

    if postcode and postcode in static.postcodes:
        area = static.postcodes[postcode]
        return Place(
            label=postcode, kind="postcode", x=area.x, y=area.y, plz=postcode, notice=notice
        )
    if postcode:
        raise _outside_bochum(text, postcode, static)
    raise _not_found(text, static, _candidates(static, streets), key)


def _streets_starting(streets: dict[str, Street], key: str) -> list[Street]:
    return [s for k, s in streets.items() if k.startswith(key)] if len(key) >= 4 else []


def _loose_street(streets: dict[str, Street], key: str) -> Street | None:
    """ "Hüller" finds "Hüller Str.", and a beginning finds the one street it begins."""
    if key + "str" in streets:
        return streets[key + "str"]
    starts = _streets_starting(streets, key)
    return starts[0] if len(starts) == 1 else None


def locate(
    session: Session,
    nahe: str,
    lat: float | None,
    lon: float | None,
    *,
    geocoder: Geocoder | None = None,
    neighbourhood_radius_m: int = NEIGHBOURHOOD_RADIUS_M,
) -> Place | None:
    """The origin of a near-me search: the typed place first, else the browser's point."""
    if nahe:
        return resolve(
            session, nahe, geocoder=geocoder, neighbourhood_radius_m=neighbourhood_radius_m
        )
    if lat is not None and lon is not None:
        x, y = wgs_to_utm(lon, lat)
        return Place(label=_("Ihren Standort"), kind="point", x=x, y=y)
    return None

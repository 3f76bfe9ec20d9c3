"""Where an offer is: its location row, its point (EPSG:25832 and WGS84) and the
district and postcode area that point lies in, as the write path sets them."""

from collections.abc import Sequence

import numpy as np
from sqlmodel import Session

from app.catalogue.placing import place_points
from app.catalogue.writers import Actor, NewOffer, Placement
from app.geo.crs import utm_to_wgs_many, wgs_to_utm, wgs_to_utm_many
from app.models import Location, Offer, OfferCreate

# How a point that staff set is described to the public (never the person's name).
STAFF_PLACED = "Vom Amt gesetzt"


def points(items: Sequence[NewOffer]) -> dict[int, tuple[float, float]]:
    """(x, y) in EPSG:25832 of every item with a point, by position; lat/lon converted
    in one vectorised call."""
    points = {n: (i.placement.x, i.placement.y) for n, i in enumerate(items) if i.placement}
    wgs = [
        n
        for n, i in enumerate(items)
        if not i.placement and i.data.lat is not None and i.data.lon is not None
    ]
    if wgs:
        xs, ys = wgs_to_utm_many(
            np.array([items[n].data.lon for n in wgs]), np.array([items[n].data.lat for n in wgs])
        )
        points.update({n: (float(x), float(y)) for n, x, y in zip(wgs, xs, ys, strict=True)})
    return dict(sorted(points.items()))


def lonlat(
    item: NewOffer, n: int, points: dict[int, tuple[float, float]]
) -> tuple[float | None, float | None]:
    if n not in points:
        return None, None
    if item.data.lon is not None and item.data.lat is not None:
        return item.data.lon, item.data.lat
    lon, lat = utm_to_wgs_many(np.array([points[n][0]]), np.array([points[n][1]]))
    return float(lon[0]), float(lat[0])


def placement_differs(location: Location | None, placement: Placement) -> bool:
    if location is None:
        return True
    return (location.x, location.y, location.precision, location.placed_by) != (
        placement.x,
        placement.y,
        placement.precision,
        placement.placed_by,
    )


def lonlat_of(placement: Placement) -> tuple[float, float]:
    lon, lat = utm_to_wgs_many(np.array([placement.x]), np.array([placement.y]))
    return float(lon[0]), float(lat[0])


def apply_location(
    session: Session,
    offer: Offer,
    data: OfferCreate,
    diff: set[str],
    actor: Actor,
    placement: Placement | None,
    district_hint: str | None,
) -> None:
    has_point = data.lat is not None and data.lon is not None
    wants_location = bool(data.street or data.postcode or has_point)
    location = offer.location
    if not wants_location:
        if location is not None:
            offer.location = None
            session.flush()
            session.delete(location)
        district_without_point(offer, district_hint)
        return
    if location is None:
        location = offer.location = Location()
    location.street, location.postcode, location.city = data.street, data.postcode, data.city
    point_changed = (
        bool({"lat", "lon"} & diff) or placement is not None or (has_point and location.x is None)
    )
    if not point_changed:
        return
    if not has_point:
        location.lat = location.lon = location.x = location.y = None
        location.plz_area = location.precision = location.placed_by = None
        district_without_point(offer, district_hint)
        return
    if placement is not None:
        location.x, location.y = placement.x, placement.y
        location.precision, location.placed_by = placement.precision, placement.placed_by
    else:
        location.x, location.y = wgs_to_utm(data.lon, data.lat)
        location.precision = "staff" if actor.is_staff else "exact"
        location.placed_by = placed_by(actor)
    location.lon, location.lat = data.lon, data.lat
    if placement is not None and placement.areas is not None:
        district, plz = placement.areas
    else:
        district, plz = place_points(session, [(location.x, location.y)])[0]
    location.plz_area = plz
    offer.district_slug = district or district_hint
    offer.district_from = "point" if district else ("source" if district_hint else None)


def placed_by(actor: Actor) -> str:
    return STAFF_PLACED if actor.is_staff else actor.name


def district_without_point(offer: Offer, district_hint: str | None) -> None:
    """Without a point, the district is the one the source (or staff) names, if any."""
    if district_hint is not None:
        offer.district_slug, offer.district_from = district_hint, "source"
    elif offer.district_from == "point":
        offer.district_slug = offer.district_from = None

"""Writing offers: the one place that turns validated input into rows.

Used by the importer, the admin pages and the test factories, so that every path
keeps ``search_text``, categories, the location's coordinates and postcode area and
the district assignment consistent.
"""

from pathlib import Path

from sqlmodel import Session, select

from app.catalogue.categories import BY_SLUG
from app.config import get_settings
from app.geo.areas import locate_points, wgs_to_utm
from app.models.catalogue import (
    District,
    Location,
    Offer,
    OfferCategory,
    OfferCreate,
    Provider,
    utcnow,
)
from app.text import sort_key


def build_search_text(offer: Offer, provider: Provider | None, location: Location | None) -> str:
    """What full-text search looks in: name, description, provider, street, kinds."""
    parts = [offer.name, offer.description or "", offer.target_group or ""]
    if provider:
        parts.append(provider.name)
    if location and location.street:
        parts.append(location.street)
    for slug in offer.category_slugs:
        cat = BY_SLUG.get(slug)
        if cat:
            parts += [str(cat.label), str(cat.plural), slug]
    return " ".join(p for p in parts if p)


def get_or_create_provider(session: Session, name: str | None, kind: str = "unbekannt",
                           website: str | None = None) -> Provider | None:
    if not name:
        return None
    provider = session.exec(select(Provider).where(Provider.name == name)).first()
    if provider is None:
        provider = Provider(name=name, kind=kind, website=website)
        session.add(provider)
        session.flush()
    return provider


def set_categories(offer: Offer, slugs: list[str]) -> None:
    wanted = {offer.category, *slugs}
    current = {c.category for c in offer.categories}
    offer.categories = [c for c in offer.categories if c.category in wanted]
    for slug in sorted(wanted - current):
        offer.categories.append(OfferCategory(category=slug))


def set_point(location: Location, lon: float | None, lat: float | None) -> None:
    location.lon, location.lat = lon, lat
    if lon is None or lat is None:
        location.x = location.y = None
    else:
        location.x, location.y = wgs_to_utm(lon, lat)


def place_offer(session: Session, offer: Offer, *, keep_district: bool = False,
                data_dir: Path | None = None) -> None:
    """Give an offer with a point its Stadtbezirk and postcode area by point-in-polygon,
    as the import does; on every new entry and every change of its point.

    An offer without a point keeps the district its source states.
    """
    location = offer.location
    if location is None or location.x is None or location.y is None:
        if location is not None:
            location.plz_area = None
        return
    district, plz = locate_points([(location.x, location.y)],
                                  data_dir or get_settings().data_dir)[0]
    location.plz_area = plz
    if district is not None and session.get(District, district) is None:
        district = None  # the districts are not loaded (yet)
    if not keep_district:
        offer.district_slug = district
        offer.district_from = "point" if district else None


def refresh_search_text(offer: Offer) -> None:
    """Recompute what search and sorting read (call after any change to the offer)."""
    offer.search_text = build_search_text(offer, offer.provider, offer.location)
    offer.sort_name = sort_key(offer.name)


def create_offer(session: Session, data: OfferCreate, *, source: str, source_id: str,
                 district_slug: str | None = None, **extra: object) -> Offer:
    """Insert one validated offer (with provider and location) and flush it."""
    fields = data.model_dump(exclude={"extra_categories", "provider_name", "street",
                                      "postcode", "lat", "lon"})
    offer = Offer(**fields, source=source, source_id=source_id, district_slug=district_slug,
                  **extra)
    offer.provider = get_or_create_provider(session, data.provider_name)
    if data.street or data.postcode or data.lat is not None:
        location = Location(street=data.street, postcode=data.postcode)
        set_point(location, data.lon, data.lat)
        offer.location = location
    set_categories(offer, data.extra_categories)
    with session.no_autoflush:
        place_offer(session, offer, keep_district=district_slug is not None)
    refresh_search_text(offer)
    offer.updated_at = utcnow()
    session.add(offer)
    session.flush()
    return offer

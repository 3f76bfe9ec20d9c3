"""Reading the catalogue: one offer, district names, counts, the offers to place."""

from sqlalchemy import func
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.models import District, Location, Offer, OfferCategory
from app.models.categories import SLUGS


def get_offer(session: Session, offer_id: int, *, archived: bool = False) -> Offer | None:
    """One offer with everything the offer page shows; archived ones only if asked."""
    stmt = select(Offer).where(Offer.id == offer_id)
    if not archived:
        stmt = stmt.where(Offer.archived_at.is_(None))
    return session.exec(
        stmt.options(
            selectinload(Offer.location),
            selectinload(Offer.provider),
            selectinload(Offer.categories),
            selectinload(Offer.opening_hours),
        )
    ).first()


def district_names(session: Session) -> dict[str, str]:
    rows = session.exec(
        select(District.slug, District.name).order_by(District.number, District.name)
    ).all()
    return {slug: name for slug, name in rows}


def count_by_category(session: Session) -> dict[str, int]:
    """Offers per category (an offer with several categories counts in each)."""
    rows = session.exec(
        select(OfferCategory.category, func.count())
        .join(Offer, Offer.id == OfferCategory.offer_id)
        .where(Offer.archived_at.is_(None))
        .group_by(OfferCategory.category)
    ).all()
    counts = dict.fromkeys(SLUGS, 0)
    counts.update({slug: n for slug, n in rows})
    return counts


def count_closing_in_school_holidays(session: Session) -> int:
    """Live offers that close in (some) school holidays: what an unknown school year
    leaves unsure (``app.catalogue.opening``)."""
    return session.exec(
        select(func.count())
        .select_from(Offer)
        .where(Offer.archived_at.is_(None), func.coalesce(Offer.closed_school_holidays, "") != "")
    ).one()


def offers_to_place(session: Session) -> list[Offer]:
    """Offers with an address (or none) but no point: "not yet on the map", for staff to
    place. Visiting services, which have a service area instead, are not among them."""
    stmt = (
        select(Offer)
        .outerjoin(Location, Location.id == Offer.location_id)
        .where(Offer.service_area.is_(None), Location.x.is_(None), Offer.archived_at.is_(None))
        .order_by(Offer.sort_name, Offer.id)
    )
    return list(session.exec(stmt).all())

"""Which kinds of offer are rare: a kind filter reads their offers by the kind index
instead of testing every candidate (``app.search.filters.offer.Kinds``), and the offer
page finds a rare kind's neighbours among its own points (``app.maps.offer_map``)."""

from sqlalchemy import func, literal, union_all
from sqlmodel import Session, select

from app.db.state import OFFERS, cached
from app.models import OfferCategory
from app.models.categories import CATEGORIES

RARE_KIND_MAX = 2000  # a kind with at most this many offers (archived too) is read by its kind


def rare_kinds(session: Session) -> frozenset[str]:
    """The kinds (``offer_category``) with at most ``RARE_KIND_MAX`` offers, archived
    ones included, kept per catalogue version (in any worker: the version lives in the
    database). Each kind is counted from its index and only up to the limit, so the
    100,000 Kitas of a big catalogue cost as much as 2,001."""

    def count() -> frozenset[str]:
        counted = [
            select(literal(c.slug).label("kind"), func.count().label("n")).select_from(
                select(OfferCategory.offer_id)
                .where(OfferCategory.category == c.slug)
                .limit(RARE_KIND_MAX + 1)
                .subquery()
            )
            for c in CATEGORIES
        ]
        rows = session.exec(union_all(*counted)).all()
        return frozenset(kind for kind, n in rows if n <= RARE_KIND_MAX)

    return cached(session, OFFERS, f"rare-kinds-{RARE_KIND_MAX}", count)

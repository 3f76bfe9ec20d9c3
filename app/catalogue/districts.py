"""The districts: offers per district and category, residents, boundaries.

``district_overview`` is the one query behind ``/bezirke`` and its JSON, CSV and
GeoJSON twins. Counts are computed by the database (grouped by district and
category) and rolled up from child districts to their parent, should the data ever
hold finer districts than the six Stadtbezirke (it does not: no Ortsteil polygons).
Residents are the city's figures of 31 Dec 2018 (the only complete district table).
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import District, Offer, OfferCategory
from app.models.categories import SLUGS


@dataclass
class DistrictSummary:
    slug: str
    name: str
    level: str
    parent: str | None
    number: int | None
    area_km2: float | None
    population: int | None
    population_date: date | None
    population_source: str | None
    geometry: str | None  # GeoJSON, EPSG:4326
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SLUGS, 0))
    total: int = 0  # distinct offers (an offer with several categories counts once)

    @property
    def per_1000(self) -> float | None:
        """Offers per 1,000 residents (residents of 31 Dec 2018)."""
        if not self.population:
            return None
        return round(self.total / self.population * 1000, 2)

    def public(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "level": self.level,
            "parent": self.parent,
            "number": self.number,
            "area_km2": self.area_km2,
            "population": self.population,
            "population_date": self.population_date.isoformat() if self.population_date else None,
            "population_source": self.population_source,
            "offers": self.total,
            "offers_per_1000_residents": self.per_1000,
            "offers_by_category": self.counts,
        }


@dataclass
class DistrictOverview:
    districts: list[DistrictSummary]
    without_district: int  # offers the data places in no district (e.g. city-wide)

    def get(self, slug: str) -> DistrictSummary | None:
        return next((d for d in self.districts if d.slug == slug), None)

    @property
    def top_level(self) -> list[DistrictSummary]:
        return [d for d in self.districts if d.parent is None]


def district_overview(session: Session) -> DistrictOverview:
    """Every district with its offers per category, totals and residents."""
    rows = session.exec(select(District).order_by(District.number, District.name)).all()
    summaries = {
        d.slug: DistrictSummary(
            slug=d.slug,
            name=d.name,
            level=d.level,
            parent=d.parent_slug,
            number=d.number,
            area_km2=d.area_km2,
            population=d.population,
            population_date=d.population_date,
            population_source=d.population_source,
            geometry=d.geometry,
        )
        for d in rows
    }

    def chain(slug: str) -> list[DistrictSummary]:
        """The district and its ancestors."""
        found: list[DistrictSummary] = []
        while slug in summaries and summaries[slug] not in found:
            found.append(summaries[slug])
            slug = summaries[slug].parent or ""
        return found

    per_category = session.exec(
        select(Offer.district_slug, OfferCategory.category, func.count())
        .join(OfferCategory, OfferCategory.offer_id == Offer.id)
        .where(Offer.archived_at.is_(None))
        .group_by(Offer.district_slug, OfferCategory.category)
    ).all()
    for slug, category, n in per_category:
        for summary in chain(slug or ""):
            summary.counts[category] = summary.counts.get(category, 0) + n
    without = 0
    for slug, n in session.exec(
        select(Offer.district_slug, func.count(Offer.id))
        .where(Offer.archived_at.is_(None))
        .group_by(Offer.district_slug)
    ):
        targets = chain(slug or "")
        for summary in targets:
            summary.total += n
        if not targets:
            without += n
    return DistrictOverview(list(summaries.values()), without)

"""Small factories: build exactly the offers a test needs, through the real write path."""

import itertools

from sqlmodel import Session

from app.catalogue.write import create_offer
from app.geo.areas import district_records
from app.models.catalogue import District, Offer, OfferCreate

_seq = itertools.count(1)

# A point in Bochum-Mitte (near the Rathaus), WGS84; used where a test needs any point.
MITTE = (7.2162, 51.4818)


def make_offer(session: Session, *, name: str | None = None, category: str = "kita",
               district: str | None = None, **fields: object) -> Offer:
    n = next(_seq)
    extra = {k: fields.pop(k) for k in list(fields) if k not in OfferCreate.model_fields}
    data = OfferCreate(name=name or f"Testangebot {n} (generiert)", category=category,
                       **fields)
    offer = create_offer(session, data, source="test", source_id=f"t{n}",
                         district_slug=district, **extra)
    session.commit()
    session.refresh(offer)
    return offer


def add_districts(session: Session, data_dir) -> None:  # noqa: ANN001
    """The real six Stadtbezirke (boundaries and population) as District rows."""
    for rec in district_records(data_dir):
        session.add(District(slug=rec.slug, name=rec.name, number=rec.number,
                             area_km2=rec.area_km2, geometry=rec.geometry_geojson,
                             population=rec.population, population_date=rec.population_date,
                             population_source=rec.population_source))
    session.commit()

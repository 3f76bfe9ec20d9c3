"""The catalogue, modelled on Open Referral HSDS, simplified.

HSDS organization -> service -> location becomes Provider -> Offer -> Location. A
visiting service (HSDS ``service_area``) has ``service_area`` instead of a location.
Model families follow the FastAPI template: ``OfferBase`` holds the fields and their
validation once; ``Offer`` is the table, ``OfferCreate``/``OfferUpdate`` the inputs,
``OfferPublic`` the output.
"""

from datetime import UTC, date, datetime, time

from pydantic import model_validator
from sqlalchemy import JSON, Column, Index, String, UniqueConstraint, event
from sqlmodel import Field, Relationship, SQLModel

from app.models.hsds_ids import derived_ids
from app.models.types import (
    Age,
    CategorySlug,
    CostsKind,
    DeliveryMode,
    Email,
    LongText,
    Name,
    Phone,
    SchoolClosure,
    ShortText,
    WebAddress,
    YesNo,
    text,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


PROVIDER_KINDS = ("kommunal", "frei", "kirchlich", "privat", "verein", "unbekannt")

# How exact a point is, from best to worst: the city's own POI; another institution's
# POI at the same address; the same building or facility; a point somewhere on the
# street (shown as "ungefähre Lage"); set by staff on the map.
PRECISIONS = ("exact", "address", "building", "approximate", "staff")


class Provider(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=300)
    kind: str = Field(default="unbekannt", max_length=20)
    website: str | None = Field(default=None, max_length=500)
    version: int = Field(default=1)
    updated_at: datetime = Field(default_factory=lambda: utcnow())
    archived_at: datetime | None = None  # kept, with its offers, but not offered for choice

    offers: list["Offer"] = Relationship(back_populates="provider")


class Location(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    street: str | None = Field(default=None, max_length=200)
    postcode: str | None = Field(default=None, max_length=5)
    city: str = Field(default="Bochum", max_length=100)
    # WGS84 for the edges (GeoJSON, maps); ETRS89/UTM 32N metres for distances.
    lat: float | None = None
    lon: float | None = None
    x: float | None = None
    y: float | None = None
    # How the point was found, shown to users: e.g. "Stadt Bochum, Open Data (POI 8039)".
    placed_by: str | None = Field(default=None, max_length=300)
    # The postcode area the point lies in (point-in-polygon at import), for "in my postcode".
    plz_area: str | None = Field(default=None, max_length=5, index=True)
    # How exact the point is: see PRECISIONS. None: no point.
    precision: str | None = Field(default=None, max_length=20)

    offers: list["Offer"] = Relationship(back_populates="location")

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


class District(SQLModel, table=True):
    slug: str = Field(primary_key=True, max_length=80)
    name: str = Field(max_length=200)
    level: str = Field(default="stadtbezirk", max_length=20)
    parent_slug: str | None = Field(default=None, foreign_key="district.slug")
    number: int | None = None
    area_km2: float | None = None
    population: int | None = None
    population_date: date | None = None
    population_source: str | None = Field(default=None, max_length=500)
    geometry: str | None = None  # GeoJSON (EPSG:4326) of the boundary
    source: str | None = Field(default=None, max_length=300)


class OfferCategory(SQLModel, table=True):
    __tablename__ = "offer_category"
    offer_id: int = Field(foreign_key="offer.id", primary_key=True, ondelete="CASCADE")
    category: str = Field(primary_key=True, max_length=40, index=True)


class OpeningHours(SQLModel, table=True):
    __tablename__ = "opening_hours"
    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offer.id", index=True, ondelete="CASCADE")
    weekday: int = Field(ge=0, le=6)  # 0 = Monday
    opens: time
    closes: time
    note: str | None = Field(default=None, max_length=200)

    offer: "Offer" = Relationship(back_populates="opening_hours")


class OpeningException(SQLModel, table=True):
    """A day or a span of days that differs from the weekly hours: closed (no times),
    or open at other times (e.g. holidays, summer closure)."""

    __tablename__ = "opening_exception"
    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offer.id", index=True, ondelete="CASCADE")
    starts: date
    ends: date
    opens: time | None = None
    closes: time | None = None
    note: str | None = Field(default=None, max_length=200)


class DistinctPair(SQLModel, table=True):
    """Two offers staff checked and found to be different (not duplicates)."""

    __tablename__ = "distinct_pair"
    offer_a: int = Field(foreign_key="offer.id", primary_key=True)  # the smaller id
    offer_b: int = Field(foreign_key="offer.id", primary_key=True)
    marked_at: datetime = Field(default_factory=lambda: utcnow())
    marked_by: str = Field(max_length=200)


class OfferBase(SQLModel):
    """The fields of an offer that its inputs share, with their rules (``app.models.types``)."""

    name: Name = Field(max_length=300)
    category: CategorySlug = Field(max_length=40, description="main category slug")
    description: LongText | None = Field(default=None, max_length=5000)
    target_group: ShortText | None = Field(default=None, max_length=300)
    age_min: Age | None = Field(default=None, description="youngest age in years")
    age_max: Age | None = Field(default=None, description="oldest age in years")
    age_is_typical: bool = Field(
        default=False, description="the age range is typical of the kind, not stated"
    )
    # Where months matter (a Kita from 4 months, U3 up to 35 months): the exact ages in
    # months; age_min/age_max then hold the whole years they fall in (for the search).
    age_min_months: int | None = Field(
        default=None, ge=0, le=1440, description="youngest age in months, if stated so"
    )
    age_max_months: int | None = Field(
        default=None, ge=0, le=1440, description="oldest age in months, if stated so"
    )
    languages: list[ShortText] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    costs: text(500) | None = Field(default=None, max_length=500)  # type: ignore[valid-type]
    # What the costs come to, for the filter "kostenlos"; ``costs`` keeps the details.
    costs_kind: CostsKind | None = Field(
        default=None,
        sa_column=Column(String(20)),
        description="frei, kosten, einkommensabhaengig; empty: not known",
    )
    # How the offer reaches families: vor-ort, online, telefon, aufsuchend (comes to them).
    delivery: list[DeliveryMode] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # Closed on NRW public holidays (None: not known); closed in the NRW school holidays:
    # "alle", or named ones ("sommerferien"), or their first weeks ("sommerferien:3").
    closed_on_holidays: YesNo | None = None
    closed_school_holidays: SchoolClosure | None = Field(default=None, max_length=300)
    barrier_free: YesNo | None = None
    # Accessibility facts (None: not known). ``barrier_free`` is the summary a parent
    # filters by; these say what exactly is there.
    step_free_entrance: YesNo | None = None
    accessible_toilet: YesNo | None = None
    lift: YesNo | None = None
    induction_loop: YesNo | None = None
    easy_language: YesNo | None = Field(default=None, description="Leichte Sprache")
    capacity: int | None = Field(
        default=None, ge=0, le=100_000, description="places (Plätze), where staff entered them"
    )
    capacity_u3: int | None = Field(
        default=None, ge=0, le=100_000, description="of them for children under three"
    )
    contact_phone: Phone | None = Field(default=None, max_length=100)
    contact_email: Email | None = Field(default=None, max_length=200)
    website: WebAddress | None = Field(default=None, max_length=500)
    service_area: ShortText | None = Field(
        default=None, max_length=300, description="the area a visiting service covers"
    )
    notes: text(2000) | None = Field(default=None, max_length=2000)  # type: ignore[valid-type]

    @model_validator(mode="before")
    @classmethod
    def _years_from_months(cls, values: object) -> object:
        return years_from_months(values)

    @model_validator(mode="after")
    def _age_order(self) -> "OfferBase":
        check_age_order(self.age_min, self.age_max)
        check_age_order(self.age_min_months, self.age_max_months)
        if (
            self.capacity is not None
            and self.capacity_u3 is not None
            and self.capacity_u3 > self.capacity
        ):
            raise ValueError("capacity_u3 ist größer als capacity")
        return self


def years_from_months(values: object) -> object:
    """Ages given in months also set the whole years (what the search filters by)."""
    if not isinstance(values, dict):
        return values
    values = dict(values)
    for end in ("min", "max"):
        months = values.get(f"age_{end}_months")
        if isinstance(months, int) and not isinstance(months, bool) and 0 <= months <= 1440:
            values[f"age_{end}"] = months // 12
    return values


def check_age_order(age_min: int | None, age_max: int | None) -> None:
    if age_min is not None and age_max is not None and age_min > age_max:
        raise ValueError("age_min ist größer als age_max")


class Offer(OfferBase, table=True):
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_offer_source"),
        Index("ix_offer_district", "district_slug"),
        # Near-me reads the active offers at each location and their names from it.
        Index("ix_offer_location_near", "location_id", "archived_at", "sort_name"),
    )
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int | None = Field(default=None, foreign_key="provider.id", index=True)
    location_id: int | None = Field(default=None, foreign_key="location.id", index=True)
    district_slug: str | None = Field(default=None, foreign_key="district.slug")
    district_from: str | None = Field(default=None, max_length=20)  # "point" | "source"

    source: str = Field(max_length=60)
    source_id: str = Field(max_length=120)
    source_urls: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source_label: str | None = Field(default=None, max_length=300)
    source_date: str | None = Field(default=None, max_length=300)  # as the source states it
    source_changed: date | None = None
    source_hash: str | None = Field(default=None, max_length=64)
    # The HSDS service and service_at_location ids derived from source and source_id
    # (``app.models.hsds_ids``; stored by ``create_offers``, moved by a source id set
    # later, see below), so that
    # /api/hsds/services/{id} finds the offer by an index. An offer read from an HSDS
    # feed is published with the feed's id instead (``hsds_service``).
    hsds_service_id: str | None = Field(default=None, max_length=36, index=True)
    hsds_sal_id: str | None = Field(default=None, max_length=36, index=True)

    last_verified: date | None = None  # when a person last checked the entry
    verified_by: str | None = Field(default=None, max_length=20)  # "provider" | "staff"
    provider_edited_at: datetime | None = None  # last change through a provider account
    edited_at: datetime | None = None  # last edit by staff
    archived_at: datetime | None = None  # archived entries are kept but not shown
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)
    search_text: str = Field(default="")
    sort_name: str = Field(default="", max_length=300, index=True)  # see catalogue.sort_key

    provider: Provider | None = Relationship(back_populates="offers")
    location: Location | None = Relationship(back_populates="offers")
    categories: list[OfferCategory] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )
    opening_hours: list[OpeningHours] = Relationship(
        back_populates="offer",
        sa_relationship_kwargs={
            "cascade": "all, delete-orphan",
            "order_by": "(OpeningHours.weekday, OpeningHours.opens)",
        },
    )
    opening_exceptions: list[OpeningException] = Relationship(
        sa_relationship_kwargs={
            "cascade": "all, delete-orphan",
            "order_by": "OpeningException.starts",
        },
    )

    @property
    def category_slugs(self) -> list[str]:
        extra = sorted(c.category for c in self.categories if c.category != self.category)
        return [self.category, *extra]


@event.listens_for(Offer.source, "set")
@event.listens_for(Offer.source_id, "set")
def _derive_hsds_ids(target: Offer, value: str | None, old: object, initiator: object) -> None:
    """A source or source id set on an offer (a staff entry's "r<id>") moves its
    derived HSDS ids with it."""
    key = getattr(initiator, "key", "")
    source = value if key == "source" else target.source
    source_id = value if key == "source_id" else target.source_id
    if source is not None and source_id is not None:
        target.hsds_service_id, target.hsds_sal_id = derived_ids(source, source_id)


class KindGuidance(SQLModel, table=True):
    """How to get a place, for one kind of offer: a short text for parents with its
    source, set by staff, shown on the offers of that kind and on their search results."""

    __tablename__ = "kind_guidance"
    category: str = Field(primary_key=True, max_length=40)
    title: str = Field(max_length=200)
    body: str = Field(max_length=3000)
    source_url: str = Field(max_length=500)
    source_label: str = Field(max_length=300)
    updated_at: datetime = Field(default_factory=lambda: utcnow())
    updated_by: str = Field(max_length=200)

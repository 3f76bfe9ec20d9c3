"""The catalogue, modelled on Open Referral HSDS, simplified.

HSDS organization -> service -> location becomes Provider -> Offer -> Location. A
visiting service (HSDS ``service_area``) has ``service_area`` instead of a location.
Model families follow the FastAPI template: ``OfferBase`` holds the fields and their
validation once; ``Offer`` is the table, ``OfferCreate``/``OfferUpdate`` the inputs,
``OfferPublic`` the output.
"""

from datetime import UTC, date, datetime, time
from typing import Any

from pydantic import field_validator, model_validator
from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from app.catalogue.categories import SLUGS


def utcnow() -> datetime:
    return datetime.now(UTC)


PROVIDER_KINDS = ("kommunal", "frei", "kirchlich", "privat", "verein", "unbekannt")


class Provider(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=300)
    kind: str = Field(default="unbekannt", max_length=20)
    website: str | None = Field(default=None, max_length=500)

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


class OfferBase(SQLModel):
    name: str = Field(min_length=2, max_length=300)
    category: str = Field(max_length=40, description="main category slug")
    description: str | None = Field(default=None, max_length=5000)
    target_group: str | None = Field(default=None, max_length=300)
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    age_is_typical: bool = Field(
        default=False, description="the age range is typical of the kind, not stated"
    )
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    costs: str | None = Field(default=None, max_length=500)
    barrier_free: bool | None = None
    contact_phone: str | None = Field(default=None, max_length=100)
    contact_email: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=500)
    service_area: str | None = Field(default=None, max_length=300)
    notes: str | None = Field(default=None, max_length=2000)

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in SLUGS:
            raise ValueError(f"unbekannte Kategorie '{value}'")
        return value

    @field_validator("contact_email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        if value and ("@" not in value or " " in value.strip()):
            raise ValueError("keine gültige E-Mail-Adresse")
        return value

    @model_validator(mode="after")
    def _age_order(self) -> "OfferBase":
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("age_min ist größer als age_max")
        return self


class Offer(OfferBase, table=True):
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_offer_source"),
        Index("ix_offer_district", "district_slug"),
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

    last_verified: date | None = None
    edited_at: datetime | None = None  # last edit by staff
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
        sa_relationship_kwargs={"cascade": "all, delete-orphan",
                                "order_by": "OpeningHours.weekday"},
    )

    @property
    def category_slugs(self) -> list[str]:
        extra = sorted(c.category for c in self.categories if c.category != self.category)
        return [self.category, *extra]


class OfferCreate(OfferBase):
    extra_categories: list[str] = Field(default_factory=list)
    provider_name: str | None = None
    street: str | None = None
    postcode: str | None = Field(default=None, regex=r"^\d{5}$")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    @field_validator("extra_categories")
    @classmethod
    def _known_extra(cls, values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in SLUGS]
        if unknown:
            raise ValueError(f"unbekannte Kategorie '{unknown[0]}'")
        return values


class OfferUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=2, max_length=300)
    category: str | None = None
    description: str | None = None
    target_group: str | None = None
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    languages: list[str] | None = None
    costs: str | None = None
    barrier_free: bool | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    website: str | None = None
    notes: str | None = None
    version: int | None = None


class OfferPublic(SQLModel):
    id: int
    name: str
    category: str
    categories: list[str]
    description: str | None
    target_group: str | None
    age_min: int | None
    age_max: int | None
    age_is_typical: bool
    languages: list[str]
    costs: str | None
    barrier_free: bool | None
    provider: str | None
    street: str | None
    postcode: str | None
    city: str | None
    district: str | None
    service_area: str | None
    lat: float | None
    lon: float | None
    distance_m: float | None = None
    phone: str | None
    email: str | None
    website: str | None
    source: str
    source_urls: list[str]
    source_date: str | None
    last_verified: date | None
    updated_at: datetime

    @classmethod
    def from_offer(cls, offer: Offer, distance_m: float | None = None) -> "OfferPublic":
        loc = offer.location
        data: dict[str, Any] = {
            "id": offer.id,
            "name": offer.name,
            "category": offer.category,
            "categories": offer.category_slugs,
            "description": offer.description,
            "target_group": offer.target_group,
            "age_min": offer.age_min,
            "age_max": offer.age_max,
            "age_is_typical": offer.age_is_typical,
            "languages": offer.languages,
            "costs": offer.costs,
            "barrier_free": offer.barrier_free,
            "provider": offer.provider.name if offer.provider else None,
            "street": loc.street if loc else None,
            "postcode": loc.postcode if loc else None,
            "city": loc.city if loc else None,
            "district": offer.district_slug,
            "service_area": offer.service_area,
            "lat": loc.lat if loc else None,
            "lon": loc.lon if loc else None,
            "distance_m": round(distance_m) if distance_m is not None else None,
            "phone": offer.contact_phone,
            "email": offer.contact_email,
            "website": offer.website,
            "source": offer.source,
            "source_urls": offer.source_urls,
            "source_date": offer.source_date,
            "last_verified": offer.last_verified,
            "updated_at": offer.updated_at,
        }
        return cls(**data)

"""The inputs and the output of the offer write and read paths.

``OfferCreate`` and ``OfferUpdate`` share the rules of ``OfferBase``
(``app.models.types``): an update validates each field it sets like a create, and
the write path checks the merged offer once more (``app.catalogue.write``).
``OfferPublic`` is the one public shape of an offer: the JSON twins, the CSV and
GeoJSON exports and the API all emit it (``app.catalogue.public``).
"""

from datetime import date, datetime

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from app.models.catalogue import OfferBase, check_age_order
from app.models.types import (
    Age,
    CategorySlug,
    Email,
    Latitude,
    Longitude,
    LongText,
    Name,
    Phone,
    Postcode,
    ShortText,
    Street,
    WebAddress,
    text,
)


class OfferCreate(OfferBase):
    extra_categories: list[CategorySlug] = Field(default_factory=list)
    provider_name: ShortText | None = None
    street: Street | None = None
    postcode: Postcode | None = None
    city: text(100) = "Bochum"  # type: ignore[valid-type]
    lat: Latitude | None = None
    lon: Longitude | None = None

    @model_validator(mode="after")
    def _point_whole(self) -> "OfferCreate":
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat und lon gehören zusammen")
        return self


class OfferUpdate(SQLModel):
    """A partial change: only the fields that are set change (``exclude_unset``)."""

    name: Name | None = None
    category: CategorySlug | None = None
    extra_categories: list[CategorySlug] | None = None
    description: LongText | None = None
    target_group: ShortText | None = None
    age_min: Age | None = None
    age_max: Age | None = None
    age_is_typical: bool | None = None
    languages: list[ShortText] | None = None
    costs: text(500) | None = None  # type: ignore[valid-type]
    barrier_free: bool | None = None
    step_free_entrance: bool | None = None
    accessible_toilet: bool | None = None
    lift: bool | None = None
    induction_loop: bool | None = None
    easy_language: bool | None = None
    capacity: int | None = Field(default=None, ge=0, le=100_000)
    capacity_u3: int | None = Field(default=None, ge=0, le=100_000)
    contact_phone: Phone | None = None
    contact_email: Email | None = None
    website: WebAddress | None = None
    service_area: ShortText | None = None
    notes: text(2000) | None = None  # type: ignore[valid-type]
    provider_name: ShortText | None = None
    street: Street | None = None
    postcode: Postcode | None = None
    city: text(100) | None = None  # type: ignore[valid-type]
    lat: Latitude | None = None
    lon: Longitude | None = None
    version: int | None = Field(default=None, ge=1,
                                description="the version this change is based on")

    @model_validator(mode="after")
    def _age_order(self) -> "OfferUpdate":
        check_age_order(self.age_min, self.age_max)
        if self.name is None and "name" in self.model_fields_set:
            raise ValueError("name darf nicht leer sein")
        if self.category is None and "category" in self.model_fields_set:
            raise ValueError("category darf nicht leer sein")
        return self


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
    step_free_entrance: bool | None
    accessible_toilet: bool | None
    lift: bool | None
    induction_loop: bool | None
    easy_language: bool | None
    capacity: int | None
    capacity_u3: int | None
    provider: str | None
    street: str | None
    postcode: str | None
    city: str | None
    district: str | None
    service_area: str | None
    lat: float | None
    lon: float | None
    precision: str | None
    distance_m: float | None = None
    phone: str | None
    email: str | None
    website: str | None
    source: str
    source_urls: list[str]
    source_date: str | None
    last_verified: date | None
    updated_at: datetime
    version: int

"""The inputs and the output of the offer write and read paths.

``OfferCreate`` and ``OfferUpdate`` share the rules of ``OfferBase``
(``app.models.types``): an update validates each field it sets like a create, and
the write path checks the merged offer once more (``app.catalogue.write``).
``OfferPublic`` is the one public shape of an offer: the JSON twins, the CSV and
GeoJSON exports and the API all emit it (``app.catalogue.public``).
"""

from datetime import date, datetime

from pydantic import ConfigDict, model_validator
from sqlmodel import Field, SQLModel

from app.models.catalogue import OfferBase, check_age_order, years_from_months
from app.models.kitafacts import SourcedFactPublic
from app.models.types import (
    Age,
    CategorySlug,
    ClockTime,
    CostsKind,
    DeliveryMode,
    Email,
    Latitude,
    Longitude,
    LongText,
    Name,
    Phone,
    Postcode,
    SchoolClosure,
    ShortText,
    Street,
    WebAddress,
    YesNo,
    text,
)


class OpeningHoursIn(SQLModel):
    """One opening range on a weekday; a day may have several."""

    model_config = ConfigDict(extra="forbid")  # an unknown key is named, not dropped

    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    opens: ClockTime
    closes: ClockTime
    note: text(200) | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _order(self) -> "OpeningHoursIn":
        # An end before the start runs past midnight (22:00–02:00, into the next day).
        if self.closes == self.opens:
            raise ValueError("closes ist gleich opens")
        return self


class OpeningExceptionIn(SQLModel):
    """Days that differ from the weekly hours: closed, or open at other times."""

    model_config = ConfigDict(extra="forbid")

    starts: date
    ends: date | None = Field(default=None, description="last day; empty: only ``starts``")
    opens: ClockTime | None = Field(default=None, description="empty with closes: closed")
    closes: ClockTime | None = None
    note: text(200) | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _order(self) -> "OpeningExceptionIn":
        if self.ends is None:
            self.ends = self.starts
        if self.ends < self.starts:
            raise ValueError("ends liegt vor starts")
        if (self.opens is None) != (self.closes is None):
            raise ValueError("opens und closes gehören zusammen")
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValueError("closes liegt nicht nach opens")
        return self


class OfferCreate(OfferBase):
    extra_categories: list[CategorySlug] = Field(default_factory=list)
    provider_name: ShortText | None = None
    street: Street | None = None
    postcode: Postcode | None = None
    city: text(100) = "Bochum"  # type: ignore[valid-type]
    lat: Latitude | None = None
    lon: Longitude | None = None
    opening_hours: list[OpeningHoursIn] = Field(default_factory=list, max_length=100)
    opening_exceptions: list[OpeningExceptionIn] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _point_whole(self) -> "OfferCreate":
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat und lon gehören zusammen")
        return self


class OfferReplace(OfferCreate):
    """A whole offer (PUT): every field as given, missing ones empty."""

    version: int | None = Field(
        default=None, ge=1, description="the version this change is based on"
    )


class OfferUpdate(SQLModel):
    """A partial change: only the fields that are set change (``exclude_unset``)."""

    name: Name | None = None
    category: CategorySlug | None = None
    extra_categories: list[CategorySlug] | None = None
    description: LongText | None = None
    target_group: ShortText | None = None
    age_min: Age | None = None
    age_max: Age | None = None
    age_is_typical: YesNo | None = None
    age_min_months: int | None = Field(default=None, ge=0, le=1440)
    age_max_months: int | None = Field(default=None, ge=0, le=1440)
    languages: list[ShortText] | None = None
    costs: text(500) | None = None  # type: ignore[valid-type]
    costs_kind: CostsKind | None = None
    delivery: list[DeliveryMode] | None = None
    closed_on_holidays: YesNo | None = None
    closed_school_holidays: SchoolClosure | None = None
    barrier_free: YesNo | None = None
    step_free_entrance: YesNo | None = None
    accessible_toilet: YesNo | None = None
    lift: YesNo | None = None
    induction_loop: YesNo | None = None
    easy_language: YesNo | None = None
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
    opening_hours: list[OpeningHoursIn] | None = Field(default=None, max_length=100)
    opening_exceptions: list[OpeningExceptionIn] | None = Field(default=None, max_length=100)
    version: int | None = Field(
        default=None, ge=1, description="the version this change is based on"
    )

    @model_validator(mode="before")
    @classmethod
    def _years_from_months(cls, values: object) -> object:
        return years_from_months(values)

    @model_validator(mode="after")
    def _age_order(self) -> "OfferUpdate":
        # Ages set in years replace ages in months that were not set alongside.
        for end in ("min", "max"):
            if (
                f"age_{end}" in self.model_fields_set
                and f"age_{end}_months" not in self.model_fields_set
            ):
                setattr(self, f"age_{end}_months", None)
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
    age_min_months: int | None
    age_max_months: int | None
    languages: list[str]
    costs: str | None
    costs_kind: str | None
    delivery: list[str]
    closed_on_holidays: bool | None
    closed_school_holidays: str | None
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


class OfferPage(OfferPublic):
    """One offer as its page's JSON twin shows it: the public shape and the sourced
    facts the page lists, each with its source and date."""

    sourced_facts: list[SourcedFactPublic] = Field(default_factory=list)


class OfferDetail(OfferPublic):
    """One offer as the admin API returns it: the public shape, plus what only staff
    edit or see (hours and their exceptions, notes, whether it is archived)."""

    provider_id: int | None
    opening_hours: list[OpeningHoursIn]
    opening_exceptions: list[OpeningExceptionIn]
    notes: str | None
    archived: bool
    edited_at: datetime | None
    created_at: datetime
    sourced_facts: list[SourcedFactPublic] = Field(default_factory=list)

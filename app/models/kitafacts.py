"""Single facts about Kitas from press and provider pages (issue 18), each with its
source and date: shown as "laut <Quelle>, <Datum>", never copied into the offer."""

from datetime import date

from sqlmodel import Field, SQLModel

# What a fact is about; the offer's own fields it concerns are in app.catalogue.kitafacts.
FACT_KINDS = ("places", "groups", "phone", "hours", "status", "familienzentrum_since")


class SourcedFactPublic(SQLModel):
    """One sourced fact as the offer's JSON twins show it (the offer page's list)."""

    kind: str = Field(description="places, groups, phone, hours, status, familienzentrum_since")
    fact: str = Field(description="the source file's fact name, e.g. u3_plaetze")
    value: str
    source_url: str
    source_date: str = Field(description="the source's date, as the source states it")
    as_of: date | None = Field(description="the earliest day the source date allows")
    superseded: bool = Field(
        description="a person changed the field or confirmed the entry after this date"
    )


class OfferFact(SQLModel, table=True):
    __tablename__ = "offer_fact"
    id: int | None = Field(default=None, primary_key=True)
    # A hash of the source row's content: re-importing the same file changes nothing.
    row_key: str = Field(max_length=64, unique=True)
    offer_id: int | None = Field(default=None, foreign_key="offer.id", index=True)
    poi_id: str | None = Field(default=None, max_length=20)  # None: not in the city file
    kind: str = Field(max_length=30)  # FACT_KINDS
    fact: str = Field(max_length=40)  # the source file's fact name ("u3_plaetze")
    value: str = Field(max_length=500)
    name_in_source: str = Field(default="", max_length=300)
    address_in_source: str = Field(default="", max_length=300)
    source_url: str = Field(max_length=500)
    source_date: str = Field(max_length=300)  # as the source states it
    as_of: date | None = None  # the earliest day the source date allows, for comparisons
    note: str = Field(default="", max_length=1000)

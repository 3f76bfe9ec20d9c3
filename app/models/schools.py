"""Schools of the state's school directory (IT.NRW, with the NRW Schulsozialindex),
matched to the city's school POIs. The point is always the city POI's, never the
geocoder guess of the directory file."""

from sqlmodel import Field, SQLModel


class School(SQLModel, table=True):
    __tablename__ = "school"
    id: int = Field(primary_key=True)  # the state's Schulnummer
    name: str = Field(max_length=300)
    school_type: str = Field(max_length=100)  # Schulform, e.g. "Grundschule"
    street: str | None = Field(default=None, max_length=200)
    postcode: str | None = Field(default=None, max_length=5)
    phone: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=200)
    pupils: int | None = None  # "Anzahl", rounded by the source
    social_index: int | None = None  # 1 (low) to 9 (high social burden); None: none published
    startchancen: bool = False
    # The matched city POI (the same string as ``Offer.source_id`` of its offer); None
    # when no city POI has the same name and street.
    poi_id: str | None = Field(default=None, max_length=20, index=True)
    x: float | None = None  # EPSG:25832, the city POI's point
    y: float | None = None
    district_slug: str | None = Field(default=None, max_length=80)
    source: str = Field(max_length=500)

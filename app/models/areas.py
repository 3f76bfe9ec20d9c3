"""Areas and place names for placing offers and for the near-me search, loaded into
the database at set-up so that no request reads the source files."""

from sqlmodel import Field, SQLModel


class PostcodeArea(SQLModel, table=True):
    __tablename__ = "postcode_area"
    plz: str = Field(primary_key=True, max_length=5)
    geometry: str  # GeoJSON (EPSG:4326) of the area
    x: float  # centroid, EPSG:25832
    y: float
    district_slug: str | None = Field(default=None, max_length=80)  # the main Stadtbezirk
    source: str | None = Field(default=None, max_length=300)


class PlaceName(SQLModel, table=True):
    """A name people type for a place that is not a postcode, district or street:
    a Stadtteil or statistischer Bezirk, with its published centre point if known."""

    __tablename__ = "place_name"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    key: str = Field(max_length=200, index=True)  # app.text.place_key(name)
    kind: str = Field(max_length=40)  # "stadtteil", "ortsteil", "statistischer_bezirk"
    district_slug: str | None = Field(default=None, max_length=80)
    x: float | None = None  # EPSG:25832; None: a name without a published point
    y: float | None = None
    source: str | None = Field(default=None, max_length=500)
    # The Stadtbezirk as the source words it ("Mitte (teilweise Süd)"), and names of
    # nearby places that have a point ("Wiemelhausen|Innenstadt"), for a name without one.
    note: str | None = Field(default=None, max_length=300)
    nearby: str | None = Field(default=None, max_length=300)

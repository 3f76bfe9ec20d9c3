"""The rows of the source files as read and checked (their errors: ``app.errors.RowError``)."""

from dataclasses import dataclass, field
from datetime import date

from app.errors import RowError
from app.geo.crs import NRW_BOX  # noqa: F401  (the box lives with the CRS; re-exported)

POI_COLUMNS = (
    "poi_id",
    "name",
    "str_hausnr",
    "plz_ort",
    "kategorie",
    "hauptkateg",
    "beschreib",
    "link",
    "bedeut_id",
    "bedeutung",
    "erstkateg",
    "angelegt",
    "geaendert",
    "kateg_id",
    "kateg_pfad",
    "rechts_utm",
    "hoch_utm",
    "abrufdatum",
)
CURATED_COLUMNS = (
    "key",
    "kategorie",
    "name",
    "traeger",
    "strasse",
    "plz",
    "ort",
    "stadtbezirk",
    "poi_id",
    "website",
    "telefon",
    "zielgruppe",
    "beschreibung",
    "quellen",
    "quelle_datum",
    "hinweis",
    "versorgungsgebiet",
)


@dataclass(frozen=True)
class PoiRow:
    file: str
    line: int
    poi_id: str
    name: str
    street: str | None
    postcode: str
    city: str
    description: str | None
    link: str | None
    primary: bool
    path: str
    created: date
    changed: date | None
    retrieved: date | None
    x: float
    y: float
    categories: tuple[str, ...]  # ours, by CATEGORY_RULES; empty: not imported by itself


@dataclass(frozen=True)
class CuratedRow:
    file: str
    line: int
    key: str
    category: str
    name: str
    provider: str | None
    street: str | None
    postcode: str | None
    city: str
    district: str | None  # slug
    poi_id: str | None
    website: str | None
    phone: str | None
    target_group: str | None
    description: str | None
    urls: tuple[str, ...]
    source_date: str | None
    note: str | None
    service_area: str | None


@dataclass
class SourceFile:
    """One source file as read: its valid rows and the errors of the others."""

    rel: str
    kind: str  # "poi" | "curated" | "missing"
    rows: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    records: int = 0
    fatal: bool = False  # unreadable as a whole (missing, bad header, broken CSV)
    # POI rows that failed their checks, as (line, poi_id, street): an offer that would
    # have used one of them depends on this file even though the row is not used.
    bad_rows: list[tuple[int, str, str]] = field(default_factory=list)

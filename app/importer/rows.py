"""The rows of the source files as read and checked, and the error that names a line."""

from dataclasses import dataclass, field
from datetime import date

from app.i18n import gettext as _
from app.models.messages import field_label

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

# A generous box around North Rhine-Westphalia in EPSG:25832 (metres).
NRW_BOX = (270_000.0, 5_550_000.0, 560_000.0, 5_850_000.0)


@dataclass(frozen=True)
class RowError:
    """A bad line: ``str()`` is ``file:line: field: message`` (logs, the command line);
    ``worded()`` is what a page shows ("Zeile 3, Postleitzahl: fünf Ziffern, z. B.
    44787"). ``message`` is already in the language of the request that made it."""

    file: str
    line: int  # 0: the file as a whole
    field: str
    message: str
    kind: str = "line"  # "feature": ``line`` counts the features of a GeoJSON file

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    def worded(self) -> str:
        field = field_label(self.field) if self.field else None
        if self.line <= 0:
            where = None
        elif self.kind == "feature":
            where = _("Bezirk %(n)s der Datei", n=self.line)
        else:
            where = _("Zeile %(n)s", n=self.line)
        if where and field:
            return _(
                "%(where)s, %(field)s: %(message)s", where=where, field=field, message=self.message
            )
        if where or field:
            return f"{where or field}: {self.message}"
        return self.message


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

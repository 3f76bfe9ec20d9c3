"""Reading and checking the import's source files, and the category mapping table.

City POI files (Stadt Bochum, Open Data): ``;``-separated, every field quoted, UTF-8,
one row per POI *and category* (``erstkateg`` = 1 marks the primary row). The curated
offers file: comma-separated, one row per place or service. Quoted fields may hold line
breaks, so every record remembers the physical line where it starts, and errors read
``file:line: field: message`` with ``file`` relative to the data directory.
"""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from app.models.catalogue import OfferCreate
from app.text import slugify

DAYCARE = "bochum-opendata/bochum_daycare_centers.csv"
SCHOOLS = "bochum-opendata/bochum_schools.csv"
OGS = "bochum-opendata/bochum_ogs_schools_derived.csv"
PLAYGROUNDS = "bochum-opendata/bochum_playgrounds.csv"
CURATED = "offers/bochum_family_offers_curated.csv"

POI_FILES: tuple[str, ...] = (DAYCARE, SCHOOLS, OGS, PLAYGROUNDS)
DEFAULT_FILES: tuple[str, ...] = (*POI_FILES, CURATED)

OPENDATA_COMMIT = "07a7db3ca55cf3d2cbfd7b80cac3fa1a7aa0168c"
_BLOB = f"https://github.com/StadtBochum/OpenData/blob/{OPENDATA_COMMIT}/data/EDUC"
POI_SOURCE_URLS: dict[str, str] = {
    DAYCARE: f"{_BLOB}/daycare_centers/bochum_daycare_centers.csv",
    SCHOOLS: f"{_BLOB}/schools/bochum_schools.csv",
    OGS: f"{_BLOB}/schools/bochum_schools.csv",  # a row subset of the schools file
    PLAYGROUNDS: f"{_BLOB}/playgrounds/bochum_playgrounds.csv",
}


class CategoryRule(NamedTuple):
    """A POI row of ``file`` under ``path`` (and, if given, whose ``column`` matches the
    case-insensitive ``pattern``) belongs to ``category``."""

    file: str
    path: str
    category: str
    column: str | None = None
    pattern: str | None = None


# The mapping from the city's category paths to our categories. Order matters: the
# first category found on a POI's primary row is its main category.
CATEGORY_RULES: tuple[CategoryRule, ...] = (
    CategoryRule(DAYCARE, "Soziales/Kindertagesstätten", "kita"),
    CategoryRule(DAYCARE, "Soziales/Kindertagesstätten", "familienzentrum",
                 "name", r"familienzentrum"),
    CategoryRule(SCHOOLS, "Bildung/Weiterbildungseinrichtungen", "familienbildung",
                 "name", r"familienbildung"),
    CategoryRule(OGS, "Bildung", "ogs"),
    CategoryRule(PLAYGROUNDS, "Freizeit Kultur Tourismus/Spielplätze", "spielplatz"),
)

# Provider kind of a city Kita, from its category path (first match wins). The city
# data names no provider, so this is used only where the curated file names one.
KITA_PROVIDER_KINDS: tuple[tuple[str, str], ...] = (
    ("Soziales/Kindertagesstätten/Kommunale", "kommunal"),
    ("Soziales/Kindertagesstätten/Ev.", "kirchlich"),
    ("Soziales/Kindertagesstätten/Kath.", "kirchlich"),
    ("Soziales/Kindertagesstätten/Kindertagesstätten freie Wohlfahrtsverbände", "frei"),
    ("Soziales/Kindertagesstätten/Kitas von Vereinen und Elterninitiativen", "verein"),
    ("Soziales/Kindertagesstätten/Betriebs", "privat"),
)

STADTBEZIRKE: tuple[str, ...] = ("Mitte", "Wattenscheid", "Nord", "Ost", "Süd", "Südwest")

POI_COLUMNS = ("poi_id", "name", "str_hausnr", "plz_ort", "kategorie", "hauptkateg",
               "beschreib", "link", "bedeut_id", "bedeutung", "erstkateg", "angelegt",
               "geaendert", "kateg_id", "kateg_pfad", "rechts_utm", "hoch_utm", "abrufdatum")
CURATED_COLUMNS = ("key", "kategorie", "name", "traeger", "strasse", "plz", "ort",
                   "stadtbezirk", "poi_id", "website", "telefon", "zielgruppe", "beschreibung",
                   "quellen", "quelle_datum", "hinweis", "versorgungsgebiet")

# A generous box around North Rhine-Westphalia in EPSG:25832 (metres).
NRW_BOX = (270_000.0, 5_550_000.0, 560_000.0, 5_850_000.0)


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


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


def categories_for(file: str, row: dict[str, str]) -> list[str]:
    """Our category slugs for one POI row of ``file``, in rule order."""
    found: list[str] = []
    for rule in CATEGORY_RULES:
        if rule.file != file:
            continue
        path = row.get("kateg_pfad", "")
        if path != rule.path and not path.startswith(rule.path + "/"):
            continue
        if rule.column and not re.search(rule.pattern or "", row.get(rule.column, ""), re.I):
            continue
        if rule.category not in found:
            found.append(rule.category)
    return found


def kita_provider_kind(path: str) -> str:
    for prefix, kind in KITA_PROVIDER_KINDS:
        if path.startswith(prefix):
            return kind
    return "unbekannt"


class _BrokenCsv(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _records(path: Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(physical start line, values) per CSV record; the header is line 1."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        start = 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _BrokenCsv(start, str(exc)) from exc
            line, start = start, reader.line_num + 1
            if values:
                yield line, values


def _iso_date(value: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"'{value}' is not a date YYYY-MM-DD")
    return date.fromisoformat(value)


def _model_errors(exc: ValidationError, columns: dict[str, str]) -> list[tuple[str, str]]:
    out = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else "record"
        message = str(err["msg"]).removeprefix("Value error, ")
        out.append((columns.get(name, name), message))
    return out


def read_source(data_dir: Path, rel: str) -> SourceFile:
    """Read and check one source file; the kind is told by its header."""
    path = data_dir / rel
    if not path.is_file():
        source = SourceFile(rel, "missing", fatal=True)
        source.errors.append(RowError(rel, 0, "file", f"not found in {data_dir}"))
        return source
    content = path.read_bytes()
    try:
        first = content.decode("utf-8-sig").split("\n", 1)[0]
    except UnicodeDecodeError as exc:
        source = SourceFile(rel, "missing", fatal=True)
        line = content[: exc.start].count(b"\n") + 1
        source.errors.append(RowError(rel, line, "file",
                                      f"not UTF-8 (byte {content[exc.start]:#x}); file not read"))
        return source
    delimiter = ";" if first.count(";") > first.count(",") else ","
    kind = "curated" if delimiter == "," else "poi"
    source = SourceFile(rel, kind)
    columns = CURATED_COLUMNS if kind == "curated" else POI_COLUMNS
    header: list[str] | None = None
    try:
        for line, values in _records(path, delimiter):
            if header is None:
                header = values
                missing = [c for c in columns if c not in header]
                if missing:
                    source.errors.append(RowError(rel, line, "header",
                                                  f"missing column(s) {', '.join(missing)}"))
                    source.fatal = True
                    return source
                continue
            source.records += 1
            if len(values) != len(header):
                source.errors.append(RowError(
                    rel, line, "record", f"{len(values)} fields, the header has {len(header)}"))
                continue
            raw = {k: v.strip() for k, v in zip(header, values, strict=True)}
            check = _check_curated if kind == "curated" else _check_poi
            row, problems = check(rel, line, raw)
            if problems:
                source.errors += [RowError(rel, line, f, m) for f, m in problems]
                if kind == "poi":
                    source.bad_rows.append((line, raw["poi_id"], raw["str_hausnr"]))
            else:
                source.rows.append(row)
    except _BrokenCsv as exc:
        source.errors.append(RowError(rel, exc.line, "file", f"unreadable from here on: {exc}"))
        source.fatal = True
    if header is None:
        source.errors.append(RowError(rel, 1, "header", "the file is empty"))
        source.fatal = True
    if kind == "curated":
        _check_unique_keys(source)
    return source


def _check_unique_keys(source: SourceFile) -> None:
    seen: dict[str, int] = {}
    unique = []
    for row in source.rows:
        if row.key in seen:
            source.errors.append(RowError(source.rel, row.line, "key",
                                          f"'{row.key}' already used on line {seen[row.key]}"))
        else:
            seen[row.key] = row.line
            unique.append(row)
    source.rows = unique


_POI_MODEL_COLUMNS = {"name": "name", "description": "beschreib", "website": "link",
                      "street": "str_hausnr", "postcode": "plz_ort"}


def _check_poi(rel: str, line: int, raw: dict[str, str]) -> tuple[PoiRow | None, list]:
    problems: list[tuple[str, str]] = []
    if not re.fullmatch(r"\d+", raw["poi_id"]):
        problems.append(("poi_id", f"'{raw['poi_id']}' is not a number"))
    plz_ort = re.fullmatch(r"(\S+)\s+(.+)", raw["plz_ort"])
    postcode, city = (plz_ort.group(1), plz_ort.group(2)) if plz_ort else (raw["plz_ort"], "")
    if not re.fullmatch(r"\d{5}", postcode) or not city:
        problems.append(("plz_ort", f"'{raw['plz_ort']}' is not 'PLZ Ort' with a 5-digit PLZ"))
    if raw["erstkateg"] not in ("0", "1"):
        problems.append(("erstkateg", f"'{raw['erstkateg']}' is not 0 or 1"))
    if not raw["kateg_pfad"]:
        problems.append(("kateg_pfad", "empty"))
    dates: dict[str, date | None] = {}
    for column in ("angelegt", "geaendert", "abrufdatum"):
        if not raw[column] and column != "angelegt":
            dates[column] = None
            continue
        try:
            dates[column] = _iso_date(raw[column])
        except ValueError as exc:
            problems.append((column, str(exc) if raw[column] else "empty"))
    xy: list[float] = []
    for column in ("rechts_utm", "hoch_utm"):
        try:
            xy.append(float(raw[column].replace(",", ".")))
        except ValueError:
            problems.append((column, f"'{raw[column]}' is not a number"))
    if len(xy) == 2:
        x0, y0, x1, y1 = NRW_BOX
        if not x0 <= xy[0] <= x1:
            problems.append(("rechts_utm", f"{xy[0]:.10g} is not an EPSG:25832 easting in NRW"))
        if not y0 <= xy[1] <= y1:
            problems.append(("hoch_utm", f"{xy[1]:.10g} is not an EPSG:25832 northing in NRW"))
    try:
        OfferCreate(name=raw["name"], category="sonstiges", description=raw["beschreib"] or None,
                    website=raw["link"] or None, street=raw["str_hausnr"] or None)
    except ValidationError as exc:
        problems += _model_errors(exc, _POI_MODEL_COLUMNS)
    if problems:
        return None, problems
    return PoiRow(
        file=rel, line=line, poi_id=raw["poi_id"], name=raw["name"],
        street=raw["str_hausnr"] or None, postcode=postcode, city=city,
        description=raw["beschreib"] or None, link=raw["link"] or None,
        primary=raw["erstkateg"] == "1", path=raw["kateg_pfad"],
        created=dates["angelegt"], changed=dates["geaendert"],  # type: ignore[arg-type]
        retrieved=dates["abrufdatum"], x=xy[0], y=xy[1], categories=tuple(categories_for(rel, raw)),
    ), []


_CURATED_MODEL_COLUMNS = {"name": "name", "category": "kategorie", "description": "beschreibung",
                          "target_group": "zielgruppe", "contact_phone": "telefon",
                          "website": "website", "service_area": "versorgungsgebiet",
                          "notes": "hinweis", "street": "strasse", "postcode": "plz"}
_DISTRICT_SLUGS = {slugify(name): name for name in STADTBEZIRKE}


def _check_curated(rel: str, line: int, raw: dict[str, str]) -> tuple[CuratedRow | None, list]:
    problems: list[tuple[str, str]] = []
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,119}", raw["key"]):
        problems.append(("key", f"'{raw['key']}' is not a lowercase slug (a-z, 0-9, -)"))
    if raw["poi_id"] and not re.fullmatch(r"\d+", raw["poi_id"]):
        problems.append(("poi_id", f"'{raw['poi_id']}' is not a number"))
    if raw["plz"] and not re.fullmatch(r"\d{5}", raw["plz"]):
        problems.append(("plz", f"'{raw['plz']}' is not a 5-digit postcode"))
    district = slugify(raw["stadtbezirk"]) if raw["stadtbezirk"] else None
    if district and district not in _DISTRICT_SLUGS:
        problems.append(("stadtbezirk", f"'{raw['stadtbezirk']}' is not one of "
                                        f"{', '.join(STADTBEZIRKE)}"))
    urls = tuple(u.strip() for u in raw["quellen"].split(" | ") if u.strip())
    if not urls:
        problems.append(("quellen", "no source URL"))
    for url in urls:
        if not re.fullmatch(r"https?://\S+", url):
            problems.append(("quellen", f"'{url}' is not an http(s) URL"))
    if len(raw["traeger"]) > 300:
        problems.append(("traeger", "longer than 300 characters"))
    if len(raw["quelle_datum"]) > 200:
        problems.append(("quelle_datum", "longer than 200 characters"))
    if len(raw["ort"]) > 100:
        problems.append(("ort", "longer than 100 characters"))
    try:
        OfferCreate(name=raw["name"], category=raw["kategorie"],
                    description=raw["beschreibung"] or None,
                    target_group=raw["zielgruppe"] or None, contact_phone=raw["telefon"] or None,
                    website=raw["website"] or None, service_area=raw["versorgungsgebiet"] or None,
                    notes=raw["hinweis"] or None, street=raw["strasse"] or None)
    except ValidationError as exc:
        problems += _model_errors(exc, _CURATED_MODEL_COLUMNS)
    if problems:
        return None, problems
    return CuratedRow(
        file=rel, line=line, key=raw["key"], category=raw["kategorie"], name=raw["name"],
        provider=raw["traeger"] or None, street=raw["strasse"] or None,
        postcode=raw["plz"] or None, city=raw["ort"] or "Bochum", district=district,
        poi_id=raw["poi_id"] or None, website=raw["website"] or None,
        phone=raw["telefon"] or None, target_group=raw["zielgruppe"] or None,
        description=raw["beschreibung"] or None, urls=urls,
        source_date=raw["quelle_datum"] or None, note=raw["hinweis"] or None,
        service_area=raw["versorgungsgebiet"] or None,
    ), []

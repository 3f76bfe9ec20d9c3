"""Points, house numbers and phones for curated offers that the city's POI files do not
place: ``offers/bochum_offers_location_candidates.csv`` (data README section 7).

Each row names a curated ``key``, how exact its point is (``match_type``: the same
address, the same building, or only somewhere on the street) and where the point and
any newly found address or phone come from. ``apply`` puts a candidate on the curated
offer it names; an approximate point stays labelled as approximate everywhere.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from app.i18n import gettext as _
from app.importer.csvreader import read_table
from app.importer.rows import NRW_BOX, RowError, SourceFile
from app.importer.rules import MATCH_TYPES, precision_of
from app.models.types import Phone
from app.text import address_key, place_key
from app.urls import url_problem

COLUMNS = (
    "key",
    "found_address",
    "found_plz",
    "match_type",
    "source_record",
    "x_epsg25832",
    "y_epsg25832",
    "source",
    "source_date",
    "licence",
    "note",
)
LABEL = "Ortskandidaten (Stadt Bochum Open Data, Presse)"

_URL = re.compile(r"https?://[^\s|]+")
_PHONE = re.compile(r"(?:phone|telefon|tel\.)[^0-9+]{0,20}(\+?[0-9][0-9 /()\-]{4,}[0-9])", re.I)
_PARENTHESES = re.compile(r"\([^)]*\)")
_PHONE_CHECK = TypeAdapter(Phone)


@dataclass(frozen=True)
class Candidate:
    file: str
    line: int
    key: str
    street: str | None  # a found street with house number, e.g. "Wodanstraße 18"
    street_name: str | None  # the same without the house number
    postcode: str | None
    precision: str | None  # app.models.PRECISIONS; None: an address without a point
    x: float | None
    y: float | None
    placed_by: str
    phone: str | None
    urls: tuple[str, ...]
    source_date: str | None


def found_street(text: str) -> tuple[str | None, str | None]:
    """The street of a found address and, from the first part that has one, the street
    with its house number: "Hüller Str. (city POI); Hüller Straße 43a (WAZ)" ->
    ("Hüller Straße", "Hüller Straße 43a"); "Am Ruhrort" -> ("Am Ruhrort", None)."""
    name = None
    for part in text.split(";"):
        part = " ".join(_PARENTHESES.sub(" ", part).split()).strip(" ,")
        match = re.fullmatch(r"(?P<street>[^\d,]*[^\d\s,])\s+(?P<number>\d+\s?[a-zA-Z]?)", part)
        if match:
            return match["street"], f"{match['street']} {match['number']}"
        if name is None and part and "," not in part:
            name = part
    return name, None


def check_candidate(
    rel: str, line: int, raw: dict[str, str]
) -> tuple[Candidate | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,119}", raw["key"]):
        problems.append(
            ("key", _("„%(value)s“ ist kein Kürzel aus a-z, 0-9 und -", value=raw["key"]))
        )
    known, precision = precision_of(raw["match_type"])
    if not known:
        phrases = ", ".join(f"„{p}“" for p, _precision in MATCH_TYPES)
        problems.append(
            (
                "match_type",
                _(
                    "„%(value)s“ nennt keins von %(phrases)s",
                    value=raw["match_type"],
                    phrases=phrases,
                ),
            )
        )
    xy: list[float] = []
    for column in ("x_epsg25832", "y_epsg25832"):
        if raw[column]:
            try:
                xy.append(float(raw[column]))
            except ValueError:
                problems.append((column, _("„%(value)s“ ist keine Zahl", value=raw[column])))
    if len(xy) == 2:
        x0, y0, x1, y1 = NRW_BOX
        if not (x0 <= xy[0] <= x1 and y0 <= xy[1] <= y1):
            problems.append(
                (
                    "x_epsg25832",
                    _(
                        "(%(x)s, %(y)s) ist kein EPSG:25832-Punkt in NRW",
                        x=f"{xy[0]:.10g}",
                        y=f"{xy[1]:.10g}",
                    ),
                )
            )
    elif bool(raw["x_epsg25832"]) != bool(raw["y_epsg25832"]):
        problems.append(
            (
                "y_epsg25832" if raw["x_epsg25832"] else "x_epsg25832",
                _("x und y gehören zusammen"),
            )
        )
    if known and precision is not None and not raw["x_epsg25832"]:
        problems.append(
            (
                "x_epsg25832",
                _("match_type „%(value)s“ braucht einen Punkt", value=raw["match_type"]),
            )
        )
    if known and precision is None and raw["x_epsg25832"]:
        problems.append(
            (
                "match_type",
                _(
                    "„%(value)s“ ist eine Adresse ohne Punkt, aber die Zeile hat einen",
                    value=raw["match_type"],
                ),
            )
        )
    postcode = re.match(r"\d{5}(?!\d)", raw["found_plz"])
    if raw["found_plz"] and not postcode:
        problems.append(
            (
                "found_plz",
                _("„%(value)s“ beginnt nicht mit einer fünfstelligen PLZ", value=raw["found_plz"]),
            )
        )
    urls = tuple(_URL.findall(raw["source"]))
    if not urls:
        problems.append(("source", _("keine Quelle (Internetadresse)")))
    for url in urls:
        if (problem := url_problem(url)) is not None:
            problems.append(("source", f"„{url}“: {problem}"))
    phone = None
    if found := _PHONE.search(raw["note"]):
        try:
            phone = _PHONE_CHECK.validate_python(found.group(1).strip())
        except ValidationError:
            problems.append(
                ("note", _("„%(value)s“ ist keine Telefonnummer", value=found.group(1)))
            )
    placed_by = f"{raw['source_record']} ({raw['licence']})" if raw["source_record"] else ""
    if len(placed_by) > 300:
        problems.append(("source_record", _("mit der Lizenz länger als %(n)s Zeichen", n=300)))
    if len(raw["source_date"]) > 150:
        problems.append(("source_date", _("länger als %(n)s Zeichen", n=150)))
    if problems:
        return None, problems
    street_name, street = found_street(raw["found_address"])
    return Candidate(
        file=rel,
        line=line,
        key=raw["key"],
        street=street,
        street_name=street_name,
        postcode=postcode.group(0) if postcode else None,
        precision=precision,
        x=xy[0] if precision else None,
        y=xy[1] if precision else None,
        placed_by=placed_by or raw["match_type"],
        phone=phone,
        urls=urls,
        source_date=raw["source_date"] or None,
    ), []


def read_candidates(data_dir: Path, rel: str) -> SourceFile:
    source = read_table(data_dir, rel, "candidates", COLUMNS, check_candidate)
    seen: dict[str, int] = {}
    for row in list(source.rows):
        if row.key in seen:
            source.errors.append(
                RowError(
                    rel,
                    row.line,
                    "key",
                    _("„%(key)s“ steht schon in Zeile %(line)s", key=row.key, line=seen[row.key]),
                )
            )
            source.rows.remove(row)
        else:
            seen[row.key] = row.line
    return source


def same_place(current: str | None, candidate: Candidate) -> bool:
    """The candidate's address is the offer's (or the offer has none): its postcode and
    house number may complete the offer's."""
    if not current:
        return True
    return place_key(candidate.street_name or "") == place_key(current) or (
        address_key(current) is not None and address_key(current) == address_key(candidate.street)
    )


def street_for(current: str | None, candidate: Candidate) -> str | None:
    """The street an offer gets: the candidate's street with house number where the
    source gave none or only the street, else the source's own."""
    if candidate.street is None:
        return current
    if not current or place_key(candidate.street_name or "") == place_key(current):
        return candidate.street
    return current

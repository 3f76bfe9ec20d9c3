"""The state's school directory (IT.NRW 2024/25 with the NRW Schulsozialindex), matched
to the city's school POIs, into the ``school`` table; and the school contacts of the
OGS offers (data README section 6).

A directory row and a city POI are the same school when their streets are the same
(the house numbers overlap: "27 / 29" and "27-29") and their names agree: the
distinctive words of one name (not "Schule", "Städt.", "Gem." ...) all occur in the
other. A directory row with a generic name only ("Städt. Gem. Grundschule") agrees
with a POI of the same school form. A branch site (Teilstandort) has its own street,
so it matches no directory row; what stays unmatched is reported. The point of a
school is always the city POI's, never the geocoder guess of the directory file.
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import delete, select
from sqlmodel import Session

from app.catalogue.placing import place_points
from app.i18n import gettext as _
from app.importer.csvreader import read_table
from app.importer.rows import PoiRow, SourceFile
from app.models import School
from app.models.types import Email
from app.text import fold, place_key

COLUMNS = (
    "Schulform",
    "Schulnummer",
    "Amtliche Bezeichnung 1",
    "Amtliche Bezeichnung 2",
    "Amtliche Bezeichnung 3",
    "Straße und Hausnummer",
    "Postleitzahl",
    "Telefonnummer Vorwahl",
    "Telefonnummer Durchwahl",
    "Offizielle E-Mail-Adresse",
    "Anzahl",
    "Sozialindex",
    "Startchancen-Schule",
)
SOURCE = (
    "IT.NRW, Schulverzeichnis 2024/25 (dl-de/by-2-0); Schulsozialindex 2025/26: "
    "Ministerium für Schule und Bildung NRW (dl-de/by-2-0)"
)

GENERIC_WORDS = frozenset(
    "schule schulen grundschule gemeinschaftsgrundschule gemeinschaftshauptschule gem "
    "gemeinschafts staedt staedtische staedtischer stadt bochum der die das des in im am "
    "an auf dem und u fuer mit von schulverbund teilstandort foerderschule lwl gymnasium "
    "realschule gesamtschule hauptschule sekundarschule berufskolleg kath evang ev priv "
    "private primarstufe sekundarstufe sekundarstufen i ii ganztagsschule".split()
)
_EMAIL = TypeAdapter(Email)


@dataclass(frozen=True)
class SchoolRow:
    file: str
    line: int
    number: int
    name: str
    school_type: str
    street: str
    postcode: str | None
    phone: str | None
    email: str | None
    pupils: int | None
    social_index: int | None
    startchancen: bool


def _int(value: str) -> int:
    """ "234.0" -> 234 (the directory stores numbers as floats)."""
    number = float(value)
    if number != int(number) or number < 0:
        raise ValueError(value)
    return int(number)


def check_school(
    rel: str, line: int, raw: dict[str, str]
) -> tuple[SchoolRow | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    values: dict[str, int | None] = {}
    for column in (
        "Schulnummer",
        "Telefonnummer Vorwahl",
        "Telefonnummer Durchwahl",
        "Anzahl",
        "Sozialindex",
    ):
        try:
            values[column] = _int(raw[column]) if raw[column] else None
        except ValueError:
            problems.append((column, _("„%(value)s“ ist keine ganze Zahl", value=raw[column])))
    if not raw["Schulnummer"]:
        problems.append(("Schulnummer", _("leer")))
    if values.get("Sozialindex") is not None and not 1 <= values["Sozialindex"] <= 9:
        problems.append(
            ("Sozialindex", _("„%(value)s“ liegt nicht zwischen 1 und 9", value=raw["Sozialindex"]))
        )
    if raw["Startchancen-Schule"] not in ("0", "1", ""):
        problems.append(
            (
                "Startchancen-Schule",
                _("„%(value)s“ ist nicht 0 oder 1", value=raw["Startchancen-Schule"]),
            )
        )
    if not raw["Amtliche Bezeichnung 1"]:
        problems.append(("Amtliche Bezeichnung 1", _("leer")))
    if not re.search(r"\d", raw["Straße und Hausnummer"]):
        problems.append(
            (
                "Straße und Hausnummer",
                _("„%(value)s“ hat keine Hausnummer", value=raw["Straße und Hausnummer"]),
            )
        )
    if raw["Postleitzahl"] and not re.fullmatch(r"\d{5}", raw["Postleitzahl"]):
        problems.append(
            ("Postleitzahl", _("„%(value)s“: fünf Ziffern, z. B. 44787", value=raw["Postleitzahl"]))
        )
    email = raw["Offizielle E-Mail-Adresse"] or None
    if email:
        try:
            _EMAIL.validate_python(email)
        except ValidationError:
            problems.append(
                (
                    "Offizielle E-Mail-Adresse",
                    _("„%(value)s“ ist keine E-Mail-Adresse", value=email),
                )
            )
    if problems:
        return None, problems
    area, local = values["Telefonnummer Vorwahl"], values["Telefonnummer Durchwahl"]
    return SchoolRow(
        file=rel,
        line=line,
        number=int(values["Schulnummer"] or 0),
        name=" ".join(raw["Amtliche Bezeichnung 1"].split()),
        school_type=raw["Schulform"],
        street=" ".join(raw["Straße und Hausnummer"].split()),
        postcode=raw["Postleitzahl"] or None,
        phone=f"0{area} {local}" if area and local else None,
        email=email,
        pupils=values["Anzahl"],
        social_index=values["Sozialindex"],
        startchancen=raw["Startchancen-Schule"] == "1",
    ), []


def read_school_directory(data_dir: Path, rel: str) -> SourceFile:
    return read_table(data_dir, rel, "schools", COLUMNS, check_school)


# --- matching ---------------------------------------------------------------------------


def _address(street: str | None) -> tuple[str, tuple[int, int] | None, str]:
    """ "Arndtstr. 27 / 29" -> ("arndtstr", (27, 29), ""), "Weitmarer Str. 115 a" ->
    ("weitmarerstr", (115, 115), "a"): the street key, the house number range and the
    letter of the first number."""
    text = street or ""
    match = re.search(r"\d", text)
    if not match:
        return place_key(text), None, ""
    rest = text[match.start() :]
    numbers = [int(n) for n in re.findall(r"\d+", rest)[:2]]
    letter = re.match(r"\d+\s*([a-zA-Z])?(?![a-zA-Z])", rest)
    suffix = (letter.group(1) or "").lower() if letter else ""
    if re.match(r"\d+\s*[a-zA-Z]\s*[-–/]\s*[a-zA-Z]\b", rest):  # "117 a - b": any letter
        suffix = ""
    return place_key(text[: match.start()]), (numbers[0], max(numbers)), suffix


def same_address(a: str | None, b: str | None) -> bool:
    (street_a, range_a, letter_a), (street_b, range_b, letter_b) = _address(a), _address(b)
    if not street_a or street_a != street_b:
        return False
    if range_a is None or range_b is None:
        return True
    if letter_a and letter_b and letter_a != letter_b:
        return False
    return range_a[0] <= range_b[1] and range_b[0] <= range_a[1]


def name_words(name: str) -> set[str]:
    """The distinctive words of a school's name: "Friederika-Schule" and
    "Friederikaschule" -> {"friederika"}."""
    words = set()
    for word in re.split(r"[^a-z0-9]+", fold(name)):
        if word in GENERIC_WORDS:
            continue
        for suffix in ("schulen", "schule"):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                word = word[: -len(suffix)]
        if len(word) > 1 and word not in GENERIC_WORDS and not word.isdigit():
            words.add(word)
    return words


def _word_in(word: str, words: set[str]) -> bool:
    """``word`` is one of ``words``, a spelling of one ("Lieselotte", "Liselotte") or,
    cut short, its beginning ("Seelen-" of "Seelenpflegebedürftige")."""
    if word in words:
        return True
    return len(word) >= 5 and any(
        w.startswith(word) or difflib.SequenceMatcher(None, word, w).ratio() >= 0.85 for w in words
    )


def name_score(school: SchoolRow, poi: PoiRow, paths: str) -> int:
    """How well the names agree (0: not at all); ``paths`` are the POI's categories."""
    same_form = fold(school.school_type) in fold(paths)
    mine, theirs = name_words(school.name), name_words(poi.name)
    if not mine or not theirs:
        return 1 if same_form else 0
    if all(_word_in(w, theirs) for w in mine) or all(_word_in(w, mine) for w in theirs):
        return 1 + len(mine & theirs) + same_form
    return 0


@dataclass
class SchoolMatch:
    poi_of: dict[int, PoiRow] = field(default_factory=dict)  # Schulnummer -> city POI
    school_of: dict[str, SchoolRow] = field(default_factory=dict)  # poi_id -> school

    def unmatched(self, schools: Iterable[SchoolRow], pois: Iterable[PoiRow]) -> list[str]:
        """What a person should know: directory rows without a city POI, and the given
        city POIs (the OGS sites) without a directory row."""
        lines = [
            f"{s.file}:{s.line}: "
            + _(
                "%(name)s, %(street)s: kein Schul-POI der Stadt mit diesem Namen und dieser Straße",
                name=s.name,
                street=s.street,
            )
            for s in schools
            if s.number not in self.poi_of
        ]
        lines += [
            f"{p.file}:{p.line}: "
            + _(
                "POI %(id)s %(name)s, %(street)s: keine Zeile des Schulverzeichnisses mit "
                "diesem Namen und dieser Straße",
                id=p.poi_id,
                name=p.name,
                street=p.street,
            )
            for p in pois
            if p.poi_id not in self.school_of
        ]
        return lines


def match_schools(schools: list[SchoolRow], pois: Iterable[PoiRow]) -> SchoolMatch:
    """Pair directory rows and city POIs, best name agreement first: each POI with one
    row, then rows left over with a POI already taken where the names agree (one
    school listed under two school forms, e.g. a Primar- and a Sekundarstufe)."""
    by_id: dict[str, PoiRow] = {}
    paths: dict[str, str] = {}
    for poi in pois:
        by_id.setdefault(poi.poi_id, poi)
        paths[poi.poi_id] = paths.get(poi.poi_id, "") + " " + poi.path
    pairs = []
    for school in schools:
        for poi in by_id.values():
            if same_address(school.street, poi.street):
                score = name_score(school, poi, paths[poi.poi_id])
                if score:
                    exact = _address(school.street)[1] == _address(poi.street)[1]
                    pairs.append((-score, not exact, school.number, int(poi.poi_id), school, poi))
    pairs.sort(key=lambda p: p[:4])
    match = SchoolMatch()
    for *_key, school, poi in pairs:
        if school.number not in match.poi_of and poi.poi_id not in match.school_of:
            match.poi_of[school.number] = poi
            match.school_of[poi.poi_id] = school
    for *_key, school, poi in pairs:
        if school.number not in match.poi_of:
            match.poi_of[school.number] = poi
    return match


# --- the school table ---------------------------------------------------------------------


def school_records(
    session: Session, schools: list[SchoolRow], match: SchoolMatch
) -> dict[int, dict]:
    """The rows of the ``school`` table, placed in their Stadtbezirk by the city POI."""
    placed = [s for s in schools if s.number in match.poi_of]
    areas = place_points(
        session, [(match.poi_of[s.number].x, match.poi_of[s.number].y) for s in placed]
    )
    district_of = {s.number: a[0] for s, a in zip(placed, areas, strict=True)}
    records = {}
    for s in schools:
        poi = match.poi_of.get(s.number)
        generic = not name_words(s.name)
        records[s.number] = dict(
            id=s.number,
            name=poi.name if poi and generic else s.name,
            school_type=s.school_type,
            street=s.street,
            postcode=s.postcode,
            phone=s.phone,
            email=s.email,
            pupils=s.pupils,
            social_index=s.social_index,
            startchancen=s.startchancen,
            poi_id=poi.poi_id if poi else None,
            x=poi.x if poi else None,
            y=poi.y if poi else None,
            district_slug=district_of.get(s.number),
            source=SOURCE
            + (f"; Lage: Stadt Bochum, Open Data, POI {poi.poi_id} (CC0)" if poi else ""),
        )
    return records


def write_schools(session: Session, records: dict[int, dict]) -> bool:
    """Replace the school table by ``records``; False when it already holds them."""
    stored = {
        s.id: {k: getattr(s, k) for k in School.model_fields}
        for s in session.exec(select(School)).scalars()
    }
    if stored == records:
        return False
    session.execute(delete(School))
    session.add_all(School(**r) for r in records.values())
    session.flush()
    return True

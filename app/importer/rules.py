"""The import's source files and the mapping from the city's categories to ours.

One table (``CATEGORY_RULES``) decides which city POI becomes which kind of offer; the
file registry names the standard files and where each comes from.
"""

import re
from typing import NamedTuple

DAYCARE = "bochum-opendata/bochum_daycare_centers.csv"
SCHOOLS = "bochum-opendata/bochum_schools.csv"
OGS = "bochum-opendata/bochum_ogs_schools_derived.csv"
PLAYGROUNDS = "bochum-opendata/bochum_playgrounds.csv"
CURATED = "offers/bochum_family_offers_curated.csv"

POI_FILES: tuple[str, ...] = (DAYCARE, SCHOOLS, OGS, PLAYGROUNDS)
DEFAULT_FILES: tuple[str, ...] = (*POI_FILES, CURATED)

# Files that enrich the offers of the files above (points, house numbers, phones,
# school contacts); read when present, never a source of offers of their own.
CANDIDATES = "offers/bochum_offers_location_candidates.csv"
SCHOOL_DIRECTORY = "schools/bochum_schulen_2024_25_sozialindex_koordinaten_startchancen.csv"
ENRICHING_FILES: tuple[str, ...] = (CANDIDATES, SCHOOL_DIRECTORY)

OPENDATA_COMMIT = "07a7db3ca55cf3d2cbfd7b80cac3fa1a7aa0168c"
_BLOB = f"https://github.com/StadtBochum/OpenData/blob/{OPENDATA_COMMIT}/data/EDUC"
POI_SOURCE_URLS: dict[str, str] = {
    DAYCARE: f"{_BLOB}/daycare_centers/bochum_daycare_centers.csv",
    SCHOOLS: f"{_BLOB}/schools/bochum_schools.csv",
    OGS: f"{_BLOB}/schools/bochum_schools.csv",  # a row subset of the schools file
    PLAYGROUNDS: f"{_BLOB}/playgrounds/bochum_playgrounds.csv",
}


SCHOOL_DIRECTORY_URL = (
    "https://github.com/homlador/schulsozialindex-karte/blob/"
    "564c10bb5ba94bed827da40c54eb131e0e845d15/"
    "AS_BS_Verzeichnis_2024_25_mit_Sozialindex_und_Koordinaten_und_Startchancen.csv"
)
SCHOOL_DIRECTORY_LABEL = (
    "Schulverzeichnis NRW 2024/25 (IT.NRW, dl-de/by-2-0): Telefon und E-Mail der Schule"
)

# How exact a candidate point is, from the ``match_type`` of the candidates file (data
# README section 7): the first phrase found decides. None: an address without a point.
MATCH_TYPES: tuple[tuple[str, str | None], ...] = (
    ("address only", None),
    ("location description only", None),
    ("approximate", "approximate"),
    ("street-level", "approximate"),
    ("exact address", "address"),
    ("same building", "building"),
    ("building named", "building"),
    ("same facility", "building"),
    ("same operator/site", "building"),
)


def precision_of(match_type: str) -> tuple[bool, str | None]:
    """(known, precision) of a candidate's ``match_type``."""
    folded = match_type.casefold()
    for phrase, precision in MATCH_TYPES:
        if phrase in folded:
            return True, precision
    return False, None


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
    CategoryRule(
        DAYCARE, "Soziales/Kindertagesstätten", "familienzentrum", "name", r"familienzentrum"
    ),
    CategoryRule(
        SCHOOLS,
        "Bildung/Weiterbildungseinrichtungen",
        "familienbildung",
        "name",
        r"familienbildung",
    ),
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

"""Property tests of the parsers that meet outside text first: the importer's row checks
and CSV reader, and the search's parameter parser. Any text in a cell and any query
string gives a result or an error that names the line or field; never an exception.
"""

import csv
import io
import re
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.db.backend import query_words
from app.importer.checks import check_curated, check_poi
from app.importer.csvreader import read_source
from app.importer.rows import CURATED_COLUMNS, POI_COLUMNS
from app.search.filters import FilterErrors, Filters, SearchQuery, parse_filters
from app.search.run import run_search
from tests.factories import add_districts, make_offer
from tests.security.conftest import FUZZ_CASES, PROPERTY

pytestmark = pytest.mark.fuzz

# Any text, including control characters, NUL, quotes, separators and line breaks.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
CELL = st.one_of(
    ANY_TEXT,
    st.sampled_from(
        [
            "",
            " ",
            ";",
            '"',
            "\n",
            "\x00",
            "0",
            "-1",
            "1e309",
            "nan",
            "2024-02-30",
            "44787 Bochum",
            "99999999999999999999",
            "=1+1",
        ]
    ),
)

VALID_POI = {
    "poi_id": "900001",
    "name": "Generierte Kita 1 (generiert)",
    "str_hausnr": "Generierte Straße 1",
    "plz_ort": "44787 Bochum",
    "kategorie": "Kindertagesstätten",
    "hauptkateg": "Soziales",
    "beschreib": "Generierter Eintrag, keine echte Einrichtung.",
    "link": "",
    "bedeut_id": "3",
    "bedeutung": "Örtlich",
    "erstkateg": "1",
    "angelegt": "2020-01-01",
    "geaendert": "2023-06-01",
    "kateg_id": "1",
    "kateg_pfad": "Soziales/Kindertagesstätten/Kommunale Kindertagesstätten",
    "rechts_utm": "376500",
    "hoch_utm": "5705000",
    "abrufdatum": "2023-10-17",
}
VALID_CURATED = {
    "key": "generiert-1",
    "kategorie": "beratung",
    "name": "Generierte Beratung (generiert)",
    "traeger": "",
    "strasse": "",
    "plz": "44787",
    "ort": "Bochum",
    "stadtbezirk": "Mitte",
    "poi_id": "",
    "website": "",
    "telefon": "",
    "zielgruppe": "",
    "beschreibung": "",
    "quellen": "https://beispiel.invalid/quelle",
    "quelle_datum": "2024",
    "hinweis": "",
    "versorgungsgebiet": "",
}
POI_FILE = "bochum-opendata/bochum_daycare_centers.csv"
CURATED_FILE = "offers/bochum_family_offers_curated.csv"


def rows_with_hostile_cells(valid: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    """The valid row with any subset of its cells replaced by any text."""
    return st.fixed_dictionaries({k: st.one_of(st.just(v), CELL) for k, v in valid.items()})


def assert_named_problems(problems: list, columns: tuple[str, ...]) -> None:
    for name, message in problems:
        assert name in columns, f"problem names {name!r}, not a column"
        assert isinstance(message, str) and message.strip()


@PROPERTY
@given(raw=rows_with_hostile_cells(VALID_POI))
def test_any_text_in_a_poi_row_is_a_row_or_problems_naming_its_columns(raw):
    FUZZ_CASES["importer poi row"] += 1
    row, problems = check_poi(POI_FILE, 7, {k: v.strip() for k, v in raw.items()})
    assert (row is None) == bool(problems)
    assert_named_problems(problems, POI_COLUMNS)
    if row is not None:
        assert row.line == 7 and row.poi_id.isdigit()


@PROPERTY
@given(raw=rows_with_hostile_cells(VALID_CURATED))
def test_any_text_in_a_curated_row_is_a_row_or_problems_naming_its_columns(raw):
    FUZZ_CASES["importer curated row"] += 1
    row, problems = check_curated(CURATED_FILE, 3, {k: v.strip() for k, v in raw.items()})
    assert (row is None) == bool(problems)
    assert_named_problems(problems, CURATED_COLUMNS)


def _write(tmp: Path, rel: str, content: bytes) -> Path:
    path = tmp / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _csv(header: tuple[str, ...], rows: list[list[str]], delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


@PROPERTY
@given(
    rows=st.lists(st.lists(CELL, min_size=0, max_size=len(POI_COLUMNS) + 2), max_size=6),
    tail=st.binary(max_size=40),
)
def test_any_poi_file_is_read_into_rows_and_errors_naming_file_line_and_field(
    tmp_path_factory, rows, tail
):
    FUZZ_CASES["importer poi file"] += 1
    tmp = tmp_path_factory.mktemp("poi")
    text = _csv(POI_COLUMNS, rows, ";")
    _write(tmp, POI_FILE, text.encode("utf-8") + tail)
    source = read_source(tmp, POI_FILE)
    # Lines as the reader and an editor count them: \r\n, \r and \n each end one.
    physical_lines = len(re.split(rb"\r\n|\r|\n", text.encode("utf-8") + tail))
    for error in source.errors:
        assert error.file == POI_FILE
        assert 0 <= error.line <= physical_lines, str(error)
        assert error.field and error.message, str(error)
        assert str(error).startswith(f"{POI_FILE}:{error.line}: {error.field}: ")
    assert (
        len(source.rows) + len({e.line for e in source.errors if e.field != "file"})
        <= source.records + 1
    )


@PROPERTY
@given(content=st.binary(max_size=300))
def test_any_bytes_as_a_curated_file_are_rows_or_named_errors(tmp_path_factory, content):
    FUZZ_CASES["importer curated file (bytes)"] += 1
    tmp = tmp_path_factory.mktemp("cur")
    header = ",".join(CURATED_COLUMNS).encode() + b"\n"
    _write(tmp, CURATED_FILE, header + content)
    source = read_source(tmp, CURATED_FILE)
    for error in source.errors:
        assert error.file == CURATED_FILE and error.line >= 1 and error.field


PARAMETERS = tuple(SearchQuery.model_fields)
KEY = st.one_of(st.sampled_from(PARAMETERS), ANY_TEXT)
VALUE = st.one_of(
    CELL,
    st.integers().map(str),
    st.floats().map(str),
    st.sampled_from(["kita", "mitte", "44866", "51.48", "7.22", "de", "en"]),
)
DISTRICTS = ["mitte", "wattenscheid", "nord", "ost", "sued", "suedwest"]


@PROPERTY
@given(pairs=st.lists(st.tuples(KEY, VALUE), max_size=12))
def test_any_query_string_is_filters_or_errors_naming_parameters(pairs):
    FUZZ_CASES["search parameters"] += 1
    try:
        filters = parse_filters(pairs, DISTRICTS)
    except FilterErrors as exc:
        assert exc.errors and set(exc.errors) <= set(PARAMETERS), exc.errors
        assert all(isinstance(m, str) and m for m in exc.errors.values())
        filters = exc.filters
    assert isinstance(filters, Filters)
    assert filters.seite >= 1 and len(filters.q) <= 200 and len(filters.nahe) <= 200
    assert filters.bezirk in ("", *DISTRICTS)
    assert filters.umkreis is None or 1 <= filters.umkreis <= 50_000
    assert (filters.lat is None) == (filters.lon is None)


TEXTISH = st.text(
    st.characters(codec="utf-8") | st.sampled_from(["\x00", "'", "%", "*", '"', "\\", ":"]),
    max_size=30,
)


# Characters that are no part of a word: around a word they change nothing.
NOT_A_WORD = st.text(st.sampled_from(list("\x00'%*\"\\:; -.()&|!^~<>[]{}/\t")), max_size=6)


@pytest.fixture
def searchable(session, data_dir):  # noqa: ANN001, ANN201
    add_districts(session, data_dir)
    offer = make_offer(session, name="Kita Regenbogen (generiert)", district="mitte")
    return session, offer.id


def assert_answered(outcome, offer_id: int) -> None:  # noqa: ANN001
    """A result or errors naming parameters, never both (but for a page past the last);
    a result holding only what exists (the one offer, counted as it is listed) and
    searched near the place asked for."""
    if outcome.result is None:  # refused: it says why
        assert outcome.errors, outcome
    else:  # answered: the only word beside it is a page past the last
        assert set(outcome.errors) <= {"seite"}, outcome.errors
    assert set(outcome.errors) <= set(PARAMETERS)
    assert all(isinstance(m, str) and m.strip() for m in outcome.errors.values())
    if outcome.result is not None:
        ids = [hit.offer.id for hit in outcome.result.hits]
        assert outcome.result.total in (0, 1) and set(ids) <= {offer_id}
        if "seite" not in outcome.errors:
            assert len(ids) == outcome.result.total
        # A place asked for is resolved or named as not found, never silently dropped.
        assert not outcome.filters.nahe or outcome.result.place is not None


def test_any_search_text_or_place_is_answered_on_both_databases(searchable):
    session, offer_id = searchable

    @PROPERTY
    @given(
        q=st.one_of(TEXTISH, st.builds(lambda a, b: f"{a}Kita{b}", NOT_A_WORD, NOT_A_WORD)),
        nahe=TEXTISH,
        extra=st.lists(st.tuples(KEY, VALUE), max_size=4),
    )
    def search(q: str, nahe: str, extra: list[tuple[str, str]]) -> None:
        FUZZ_CASES["search on the database"] += 1
        outcome = run_search(session, [("q", q), ("nahe", nahe), *extra], page_size=20)
        assert_answered(outcome, offer_id)
        if not extra and not nahe.strip() and query_words(q) in ([], ["kita"]):
            # Nothing but the offer's own word (or no word at all): it is found.
            assert outcome.result is not None and outcome.result.total == 1, (q, outcome.errors)
        session.rollback()

    search()


def test_text_that_databases_reject_is_searched_not_crashed(searchable):
    """NUL and lone surrogates cannot be stored in PostgreSQL text; a query holding them
    is still answered: the words around them are searched, a place made of them is
    named as not found."""
    session, offer_id = searchable
    for text, found in (
        ("\x00", 1),
        ("Kita\x00", 1),
        ("\x00Regenbogen'", 1),
        ("a\x00b", 0),
        (string.punctuation.replace("_", ""), 1),  # "_" is a word character
        ("ü" * 200, 0),
    ):
        outcome = run_search(session, [("q", text)], page_size=20)
        assert_answered(outcome, offer_id)
        assert outcome.result is not None and outcome.result.total == found, text
        outcome = run_search(session, [("nahe", text)], page_size=20)
        assert_answered(outcome, offer_id)
        assert outcome.result is None and "nahe" in outcome.errors, text

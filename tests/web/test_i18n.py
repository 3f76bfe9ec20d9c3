"""The English catalogue is complete and safe to format, and the site speaks English."""

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app import i18n
from app.models.categories import BY_SLUG
from app.search.filters import Filters
from app.search.result import SearchResult
from app.search.wording import describe

LOCALES = i18n.LOCALE_DIR
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog(path) -> Catalog:
    with open(path, "rb") as f:
        return read_po(f)


EN = _catalog(LOCALES / "en" / "LC_MESSAGES" / "messages.po")
MESSAGES = [m for m in EN if m.id]


def _key(m: Message) -> str:
    return m.id[0] if isinstance(m.id, tuple) else m.id


def _pairs(m: Message) -> list[tuple[str, str]]:
    """(source, translation) pairs: msgid/msgstr, or for plurals msgid/msgstr[0] and
    msgid_plural/msgstr[n] for every further form."""
    if not isinstance(m.id, tuple):
        return [(m.id, m.string or "")]
    singular, plural = m.id
    forms = m.string if isinstance(m.string, tuple) else (m.string,)
    return [(singular if i == 0 else plural, s or "") for i, s in enumerate(forms)]


def _extracted() -> set[str]:
    """Every msgid in the code and templates now, extracted as `make messages` does
    (babel.cfg, the same keywords), not read from a messages.pot that may be stale."""
    root = i18n.LOCALE_DIR.parents[1]
    with open(root / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = extract_from_dir(root, method_map, options_map, keywords=keywords)
    return {m[0] if isinstance(m, tuple) else m for _f, _l, m, *_ in found if m}


def test_every_template_string_is_in_the_english_catalogue():
    missing = sorted(_extracted() - {_key(m) for m in MESSAGES})
    assert not missing, f"translate in app/locales/en/LC_MESSAGES/messages.po: {missing}"


def test_every_message_is_translated_and_checked():
    problems = []
    for m in MESSAGES:
        if m.fuzzy:
            problems.append(f"fuzzy (check it, then remove the flag): {_key(m)!r}")
        pairs = _pairs(m)
        if len(pairs) != (2 if isinstance(m.id, tuple) else 1):  # nplurals=2
            problems.append(f"wrong number of plural forms: {_key(m)!r}")
        if any(not translation.strip() for _source, translation in pairs):
            problems.append(f"empty msgstr: {_key(m)!r}")
    assert not problems, "\n".join(problems)


def test_placeholders_match():
    problems = []
    for m in MESSAGES:
        for source, translation in _pairs(m):
            if sorted(PLACEHOLDER.findall(translation)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"placeholders differ: {source!r} -> {translation!r}")
            # Templates always %-format (Jinja newstyle gettext): any other % must be %%.
            if "%" in PLACEHOLDER.sub("", translation).replace("%%", ""):
                problems.append(f"stray %: {translation!r}")
    assert not problems, "\n".join(problems)


def test_catalogue_header_is_english_with_two_plural_forms():
    assert str(EN.locale) == "en"
    assert EN.num_plurals == 2
    assert not EN.fuzzy


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_locale("en")
    yield
    i18n.set_locale(i18n.DEFAULT)


def test_search_sentence_reads_as_english(english):
    filters = Filters(kategorie=("kita",), bezirk="wattenscheid", alter=3)
    result = SearchResult(filters=filters, total=12, hits=[], page=1, page_size=20)
    assert (
        describe(result, {"wattenscheid": "Wattenscheid"})
        == "12 Daycare centres (Kitas) in Wattenscheid for 3-year-olds"
    )
    one = SearchResult(
        filters=Filters(q="awo", barrierefrei=True), total=1, hits=[], page=1, page_size=20
    )
    assert describe(one, {}) == "1 service matching “awo” with barrier-free access"
    # The number is that of the known matches; those listed apart follow it.
    apart = SearchResult(
        filters=Filters(geoeffnet="jetzt"),
        total=284,
        hits=[],
        page=1,
        page_size=20,
        unknown_counts={"geoeffnet": 100},
        apart_total=100,
    )
    assert describe(apart, {}) == (
        "184 services open now, plus 100 listed separately (Opening hours unknown)"
    )
    assert str(BY_SLUG["kita"].label) == "Daycare centre (Kita)"


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def test_home_page_in_english(client):
    page = client.get("/?lang=en")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert page.headers["content-language"] == "en"
    parser = _Headings()
    parser.feed(page.text)
    assert parser.h1, "the home page has no <h1>"
    heading = " ".join(parser.h1[0].split())
    english = {" ".join(s.split()) for m in MESSAGES for _src, s in _pairs(m)}
    german = {" ".join(src.split()) for m in MESSAGES for src, _s in _pairs(m)}
    assert heading in english and heading not in german, (
        f"<h1> {heading!r} is not an English catalogue string (is the .mo compiled? "
        "run `make locales`)"
    )


def test_home_page_stays_german_by_default(client):
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in page.text
    parser = _Headings()
    parser.feed(page.text)
    german = {" ".join(src.split()) for m in MESSAGES for src, _s in _pairs(m)}
    assert " ".join(parser.h1[0].split()) in german


def test_no_message_is_translated_twice():
    # Helpers append to the catalogue and it merges as a union: a msgid written twice gets
    # whichever translation the compiler keeps ("keine Zahl" once had two meanings).
    import re
    from collections import Counter

    from app.config import PROJECT_ROOT

    for po in (PROJECT_ROOT / "app" / "locales").glob("*/LC_MESSAGES/*.po"):
        text = po.read_text(encoding="utf-8")
        entries = re.findall(r'^(?:msgctxt (".*")\n)?msgid ((?:".*"\n)+)msgstr', text, re.M)
        twice = [k for k, n in Counter(entries).items() if n > 1 and k[1].strip() != '""']
        assert twice == [], f"{po.name}: {twice}"

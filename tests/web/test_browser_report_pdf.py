"""/planung/bericht printed to PDF as a person prints it from Chromium: every word
whole or hyphenated (never "Ganztagssc|hulen"), the running title and "Seite n von m"
on every page (CSS @page margin boxes), plain names instead of internal ones.

The PDF is read back with poppler's ``pdftotext`` (Debian ``poppler-utils``)."""

import re
import shutil
import subprocess

import pytest

from tests.browser import IN_CI, open_page
from tests.factories import add_planning_inputs, make_offer

browser_test = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)

PUNCTUATION = "()[]{},.;:!?„“”\"'‚‘’…*▼"
TITLE = "Versorgung je Bezirk: Bericht für die Bestandsaufnahme"


@pytest.fixture(scope="module")
def pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        reason = "pdftotext missing: apt-get install poppler-utils"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture
def city(session, data_dir):
    add_planning_inputs(session, data_dir)
    for i, (lon, lat) in enumerate([(7.2162, 51.4818), (7.1290, 51.4830), (7.2600, 51.53)]):
        make_offer(session, name=f"Kita {i} (generiert)", category="kita", lon=lon, lat=lat)
    make_offer(session, name="OGS (generiert)", category="ogs", lon=7.21, lat=51.47)
    return session


def words(text: str) -> list[str]:
    return [w.strip(PUNCTUATION) for w in text.split() if w.strip(PUNCTUATION)]


def broken_words(pdf_text: str, page_text: str, urls: list[str]) -> list[str]:
    """Tokens of the PDF that are no word of the page: a word cut without a hyphen
    ("Ganztagssc", "hulen"). A hyphenated break ("Ganztags-" + "schulen") and a URL
    broken anywhere are fine."""
    known = set(words(page_text))
    tokens = words(pdf_text)
    heads = {t for t in tokens if t.endswith("-")}
    found = []
    for token in tokens:
        ok = (
            token in known
            or any(token in u for u in urls)
            # the head of a word broken with a hyphen: "Ganztags-", "%-"
            or (token.endswith("-") and any(w.startswith(token[:-1]) for w in known))
            # its tail: "schulen" of "Ganztags-" (pdftotext's layout mode may put other
            # columns between them), or "Ziel" of "%-Ziel"
            or any(
                w.endswith(token)
                and len(w) > len(token)
                and (w[: -len(token)].endswith("-") or w[: -len(token)] + "-" in heads)
                for w in known
            )
        )
        if not ok:
            found.append(token)
    return found


def pdf_pages(pdftotext: str, pdf: str) -> list[str]:
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info)[1])
    return [
        subprocess.run(
            [pdftotext, "-layout", "-f", str(n), "-l", str(n), pdf, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


@pytest.mark.browser
@browser_test
@pytest.mark.parametrize(
    "params", ["", "?mass=erreichbar_1000&art=ogs", "?ebene=stadtbezirk&mass=sozialindex"]
)
def test_the_printed_report_keeps_words_whole_and_numbers_every_page(
    live_server, city, browser, console_errors, tmp_path, pdftotext, params
):
    with open_page(browser, console_errors) as page:
        page.goto(f"{live_server}/planung/bericht{params}")
        page.emulate_media(media="print")
        page_text = page.evaluate(
            "() => document.body.innerText + ' ' + [...document.querySelectorAll('svg text')]"
            ".map(t => t.textContent).join(' ')"
        )
        urls = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
        pdf = tmp_path / "bericht.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)

    pages = pdf_pages(pdftotext, str(pdf))
    assert len(pages) >= 2
    for n, text in enumerate(pages, start=1):
        assert f"Seite {n} von {len(pages)}" in text, f"page {n} has no page number"
        assert TITLE in text, f"page {n} has no running title"
    whole = "\n".join(pages)
    running = f"{TITLE} Familienwegweiser Bochum " + " ".join(
        f"Seite {n} von {len(pages)}" for n in range(1, len(pages) + 1)
    )
    broken = broken_words(whole, page_text + " " + running, urls)
    assert broken == [], broken
    assert "Tabelle „presse“" not in whole and "Blatt" not in whole


def test_the_check_finds_a_word_cut_without_a_hyphen():
    page = "Offene Ganztagsschulen in Wattenscheid"
    assert broken_words("Offene Ganztagssc\nhulen in Wattensc\nheid", page, []) == [
        "Ganztagssc",
        "hulen",
        "Wattensc",
        "heid",
    ]
    assert broken_words("Offene Ganztags-\nschulen in Wattenscheid", page, []) == []


@pytest.mark.browser
@browser_test
def test_the_english_report_numbers_its_pages_in_english(
    live_server, city, browser, console_errors, tmp_path, pdftotext
):
    with open_page(browser, console_errors) as page:
        page.goto(f"{live_server}/planung/bericht?lang=en")
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True)
    first = pdf_pages(pdftotext, str(pdf))[0]
    assert re.search(r"Page 1 of \d+", first), first[-300:]

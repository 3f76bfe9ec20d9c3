"""Sources read as publisher and date, with the full link behind them; a link that may
need a subscription says so. Pages, the planning report, the XLSX and the CSV."""

import csv
import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from app.catalogue.write import create_offer
from app.catalogue.writers import IMPORT, SourceInfo
from app.i18n import set_locale
from app.models import OfferCreate
from app.sources import SourceNames, link_says, publisher, source_link, sources_of
from tests.factories import add_planning_inputs, make_offer

WAZ_APP = (
    "https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/bochum/article236781341/"
    "Kita-in-Bochum-Ueber-1000-Plaetze-fehlen-auch-im-Ue3-Bereich.html?paid=true"
)


# Three WAZ articles of the real data that give no date: "WAZ, ohne Datum" three times.
WAZ_UNDATED = [
    "https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/bochum/article237089103/"
    "327-Kinder-ohne-Kita-Platz-Diese-Stadtteile-sind-betroffen.html",
    WAZ_APP,
    "https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/bochum/article235644409/"
    "Anspruch-auf-OGS-Platz-ab-2026-genuegt-Kapazitaet-in-Bochum.html",
]
WAZ_UNDATED_LABELS = [
    "WAZ: „327 Kinder ohne Kita Platz Diese Stadtteile sind betroffen“, ohne Datum",
    "WAZ: „Kita in Bochum Ueber 1000 Plaetze fehlen auch im Ue3 Bereich“, ohne Datum",
    "WAZ: „Anspruch auf OGS Platz ab 2026 genuegt Kapazitaet in Bochum“, ohne Datum",
]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (WAZ_APP, "WAZ"),
        ("https://www.waz.de/staedte/bochum/article241734914/x.html", "WAZ"),
        ("https://www.bochum.de/C125708500379A31/Print/W29GFAN9348BOCMDE", "Stadt Bochum"),
        ("https://bochum.de/Familienbuero", "Stadt Bochum"),
        ("https://www.it.nrw/statistik", "IT.NRW"),
        ("https://www.wr.de/staedte/wattenscheid/x.html", "Westfälische Rundschau"),
        ("https://github.com/StadtBochum/OpenData/blob/x/data.csv", "Stadt Bochum, Open Data"),
        ("https://de.m.wikipedia.org./wiki/Bochum", "Wikipedia"),
        ("https://www.kinder-oase-hamme.de/kontakt", "kinder-oase-hamme.de"),  # the host
    ],
)
def test_a_source_is_named_by_its_publisher_or_else_its_host(url, name):
    assert publisher(url) == name


@pytest.mark.parametrize(
    ("date", "label"),
    [
        ("2024-03-12", "WAZ, 12.03.2024"),
        ("2024-02", "WAZ, Februar 2024"),
        ("2019", "WAZ, 2019"),
        ("nicht angegeben (2025)", "WAZ, ohne Datum (2025)"),
        ("nicht angegeben (2013-08-01)", "WAZ, ohne Datum (2013)"),
        ("nicht angegeben (bezieht sich auf 2023/24)", "WAZ, ohne Datum"),
        ("o. D.", "WAZ, ohne Datum"),
        (None, "WAZ"),
    ],
)
def test_a_source_reads_as_publisher_and_date(date, label):
    assert source_link("https://www.waz.de/a.html", date).label == label


def test_a_subscription_is_decided_by_the_link_or_its_host():
    assert source_link(WAZ_APP).paywall  # paid=true
    assert source_link("https://www.waz.de/staedte/bochum/a.html").paywall  # the host
    assert source_link("https://www.ruhrnachrichten.de/a.html").paywall
    assert not source_link("https://www.bochum.de/a").paywall
    assert not source_link("https://www.radiobochum.de/a.html").paywall
    assert source_link(WAZ_APP, "2025-08-07").text == "WAZ, 07.08.2025 (Bezahlschranke möglich)"


def test_links_of_one_publisher_and_date_in_one_list_say_what_the_link_says():
    names = SourceNames((u, "nicht angegeben") for u in WAZ_UNDATED)
    assert [names(u, "nicht angegeben").label for u in WAZ_UNDATED] == WAZ_UNDATED_LABELS
    # an entry's own links, without a date: told apart the same way
    assert [s.label for s in sources_of(WAZ_UNDATED)] == [
        label.removesuffix(", ohne Datum") for label in WAZ_UNDATED_LABELS
    ]
    # a link that no other link repeats reads as before, in the list and on its own
    alone = SourceNames([(WAZ_UNDATED[0], "nicht angegeben"), (WAZ_APP, "2024-03-12")])
    assert alone(WAZ_UNDATED[0], "nicht angegeben").label == "WAZ, ohne Datum"
    assert names(WAZ_UNDATED[0], "2019").label == "WAZ, 2019"  # a pair it was not given
    # the same link twice is one source, not two
    assert [s.label for s in sources_of([WAZ_APP, WAZ_APP])] == ["WAZ", "WAZ"]


def test_a_link_that_is_told_apart_gets_its_words_in_all_its_places():
    names = SourceNames(
        [(WAZ_UNDATED[0], "nicht angegeben"), (WAZ_APP, "nicht angegeben"), (WAZ_APP, "2024")]
    )
    assert names(WAZ_APP, "2024").label == (
        "WAZ: „Kita in Bochum Ueber 1000 Plaetze fehlen auch im Ue3 Bereich“, 2024"
    )
    assert names(WAZ_APP, "2024").text.endswith("2024 (Bezahlschranke möglich)")


@pytest.mark.parametrize(
    ("urls", "labels"),
    [
        (  # the slug without its ending and trailing article number; no ü made of "ue"
            [
                "https://www.waz.de/staedte/bochum/kita-check-bochum-vergleich-welche-kita-ist"
                "-die-richtige-id230670594.html",
                "https://www.waz.de/staedte/bochum/Landesamt-gibt-aktuelle-Einwohnerzahl.html",
            ],
            [
                "WAZ: „kita check bochum vergleich welche kita ist die richtige“",
                "WAZ: „Landesamt gibt aktuelle Einwohnerzahl“",
            ],
        ),
        (  # no slug: the article number
            [
                "https://www.waz.de/staedte/bochum/article241734914.html",
                "https://www.waz.de/staedte/bochum/article241734915.html",
            ],
            ["WAZ: Artikel 241734914", "WAZ: Artikel 241734915"],
        ),
        (  # no slug, no number: the address
            ["https://bochum-journal.de/?p=14063", "https://www.bochum-journal.de/?p=14064"],
            [
                "Bochum Journal: bochum-journal.de/?p=14063",
                "Bochum Journal: bochum-journal.de/?p=14064",
            ],
        ),
        (  # one article on two hosts: the host
            [
                "https://www.waz.de/staedte/bochum/article241735022/Vier-Kitas-eroeffnen.html",
                "https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/bochum/"
                "article241735022/Vier-Kitas-eroeffnen.html",
            ],
            [
                "WAZ: „Vier Kitas eroeffnen“ (waz.de)",
                "WAZ: „Vier Kitas eroeffnen“ (app-webview.sparknews.funkemedien.de)",
            ],
        ),
        (  # the same address but for its query: the query
            ["https://www.waz.de/a/Vier-Kitas.html?x=1", "https://www.waz.de/a/Vier-Kitas.html"],
            ["WAZ: waz.de/a/Vier-Kitas.html?x=1", "WAZ: waz.de/a/Vier-Kitas.html"],
        ),
    ],
)
def test_what_a_link_says_falls_back_to_its_number_address_host_and_query(urls, labels):
    assert [s.label for s in sources_of(urls)] == labels


def test_what_a_link_says_is_translated_and_never_a_date():
    set_locale("en")
    try:
        assert [s.label for s in sources_of(WAZ_UNDATED[:2])] == [
            "WAZ: “327 Kinder ohne Kita Platz Diese Stadtteile sind betroffen”",
            "WAZ: “Kita in Bochum Ueber 1000 Plaetze fehlen auch im Ue3 Bereich”",
        ]
        assert link_says("https://www.waz.de/article241734914.html") == "article 241734914"
    finally:
        set_locale("de")
    assert link_says("https://www.waz.de/staedte/bochum/u3-ausbau-geht-weiter-bis-2015.html") == (
        "„u3 ausbau geht weiter bis 2015“"  # a year in the slug stays the slug's word
    )


def test_an_entrys_date_belongs_to_its_link_only_when_it_has_one():
    one = sources_of(["https://www.waz.de/a"], "2021-11")
    two = sources_of(["https://www.waz.de/a", "https://lokalkompass.de/b"], "2007-08-29; 2011")
    assert [s.label for s in one] == ["WAZ, November 2021"]
    assert [s.label for s in two] == ["WAZ", "Lokalkompass"]


@pytest.fixture
def city(session, data_dir):
    add_planning_inputs(session, data_dir)
    make_offer(session, name="Kita 1 (generiert)", category="kita", lon=7.2162, lat=51.4818)
    return session


def links(page: str, cls: str = "source-link") -> list[tuple[str, str, str]]:
    """(href, title, text) of every source link on the page."""
    return [
        (unescape(h), unescape(t), unescape(x))
        for h, t, x in re.findall(
            rf'<a class="{cls}" href="([^"]*)" title="([^"]*)">([^<]*)</a>', page
        )
    ]


@pytest.mark.parametrize("url", ["/planung", "/planung/bericht"])
def test_the_planning_pages_name_publisher_and_date_with_the_full_link(client, city, url):
    page = client.get(url).text
    found = links(page)
    assert found, "no source links"
    for href, title, text in found:
        assert href == title and href.startswith("http")  # the full link, never cut
        assert "…" not in text and "sparknews" not in text
    texts = {t for _, _, t in found}
    # two undated WAZ articles of 2025 were both "WAZ, ohne Datum (2025)"
    assert (
        "WAZ: „332 kita plaetze fehlen wo es in bochum besonders eng wird“, ohne Datum (2025)"
        in (texts)
    )
    assert (
        "WAZ: „kita stadt erreicht ihr zwischenziel obwohl plaetze fehlen“, ohne Datum (2025)"
        in (texts)
    )
    assert "Radio Bochum, 07.08.2025" in texts  # alone with its publisher and date: as before
    assert "Bezahlschranke möglich" in unescape(page)
    # no two different links read the same on the page
    label_of = {href: text for href, _, text in found}
    assert len(set(label_of.values())) == len(label_of) > 5
    english = {t for _, _, t in links(client.get(url, params={"lang": "en"}).text)}
    assert "WAZ: “332 kita plaetze fehlen wo es in bochum besonders eng wird”, undated (2025)" in (
        english
    )


def test_the_report_lists_each_source_once_and_names_no_internal_table(client, city):
    page = unescape(client.get("/planung/bericht").text)
    assert "Tabelle „presse“" not in page and "Blatt" not in page
    listed = page.split("Quellen der veröffentlichten Zahlen")[1]
    hrefs = re.findall(r'class="source-link" href="([^"]+)"', listed)
    assert len(hrefs) == len(set(hrefs)) > 5


def test_the_offer_page_and_its_csv_name_the_sources(client, session, data_dir):
    add_planning_inputs(session, data_dir)
    data = OfferCreate(name="Seniorenbüro (generiert)", category="seniorenbuero")
    urls = [WAZ_APP, "https://www.bochum.de/Seniorenbueros"]
    source = SourceInfo("test", "s1", source_urls=urls, source_date="WAZ o. D.; 2024-08")
    offer = create_offer(session, data, IMPORT, source=source)
    session.commit()
    page = client.get(f"/angebote/{offer.id}").text
    assert links(page) == [(WAZ_APP, WAZ_APP, "WAZ"), (urls[1], urls[1], "Stadt Bochum")]
    assert "Bezahlschranke möglich" in unescape(page)
    assert unescape(page).count(WAZ_APP) == 3  # href, title and the printed URL

    body = client.get("/angebote.csv", params={"q": "Seniorenbüro"}).text
    row = next(csv.DictReader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert row["source_labels"] == "WAZ (Bezahlschranke möglich) | Stadt Bochum"
    assert row["source_urls"] == " | ".join(urls)


def test_the_xlsx_has_a_sources_sheet_with_label_and_full_url(client, city):
    book = load_workbook(io.BytesIO(client.get("/planung.xlsx").content))
    sheet = book["Quellen"]
    head = [c.value for c in sheet[1]]
    assert head == [
        "Quelle",
        "Bezahlschranke möglich",
        "Datum der Quelle",
        "Link",
        "Veröffentlichte Zahlen",
    ]
    rows = list(sheet.iter_rows(min_row=2))
    urls = [r[3].value for r in rows]
    assert len(urls) == len(set(urls)) and all(u.startswith("http") for u in urls)
    assert all(r[3].hyperlink is not None and r[3].hyperlink.target == r[3].value for r in rows)
    waz = next(r for r in rows if "article407667160" in r[3].value)
    assert waz[0].value == (
        "WAZ: „332 kita plaetze fehlen wo es in bochum besonders eng wird“, ohne Datum (2025)"
    )
    assert waz[1].value == "ja"
    # no two links read the same, and each reads as in the report's list of sources
    labels = {r[3].value: r[0].value for r in rows}
    assert len(set(labels.values())) == len(labels) > 5
    report = unescape(client.get("/planung/bericht").text)
    listed = report.split("Quellen der veröffentlichten Zahlen")[1]
    assert {h: t for h, _, t in links(listed)} == labels
    assert sum(r[4].value for r in rows) == 59  # every published figure has its source
    published = book["Veröffentlichte Zahlen"]
    head = [c.value for c in published[1]]
    first = [c.value for c in published[2]]
    assert first[head.index("Quelle")].startswith("WAZ: „Kita in Bochum Ueber 1000 Plaetze")
    assert first[head.index("Link")].startswith("https://app-webview.sparknews.funkemedien.de/")


def test_what_a_link_says_is_escaped_on_the_offer_page(client, session, data_dir):
    add_planning_inputs(session, data_dir)
    data = OfferCreate(name="Seniorentreff (generiert)", category="seniorenbuero")
    hostile = "https://www.waz.de/staedte/bochum/%3Cscript%3Ealert(1)%3C-script%3E-x.html"
    urls = [WAZ_UNDATED[0], hostile]
    source = SourceInfo("test", "s2", source_urls=urls, source_date="2024; 2025")
    offer = create_offer(session, data, IMPORT, source=source)
    session.commit()
    page = client.get(f"/angebote/{offer.id}").text
    assert "<script>alert" not in page
    assert [t for _, _, t in links(page)] == [
        "WAZ: „327 Kinder ohne Kita Platz Diese Stadtteile sind betroffen“",
        "WAZ: „<script>alert(1)< script> x“",  # the words of the link, escaped in the HTML
    ]
    assert "&lt;script&gt;alert(1)&lt; script&gt; x" in page

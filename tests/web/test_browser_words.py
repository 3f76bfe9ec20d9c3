"""No word is cut between two letters: headings, tables and buttons on a phone keep
their words whole (or hyphenate them), in Chromium at 320 and 360 px.

Each word of the page's visible text is measured with a DOM Range: a word whose
letters lie on two lines was broken. Debian's Chromium has no hyphenation dictionary
(``--disable-component-update``), so such a break is always one without a hyphen,
unless the server put a soft hyphen there (then the break shows a hyphen)."""

import pytest

from tests.browser import open_page
from tests.factories import add_planning_inputs, make_offer
from tests.staff.helpers import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]

# Words split across lines, as "Familienbildungsstätt|e", with the tag they are in.
SPLIT_WORDS = r"""() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const word = /[\p{L}\u00ad]{4,}/gu;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("svg, script")) continue;
    const style = getComputedStyle(parent);
    if (style.display === "none" || style.visibility === "hidden") continue;
    for (const m of node.data.matchAll(word)) {
      // addresses (URLs, e-mail) may break anywhere: they are not words
      const start = node.data.lastIndexOf(" ", m.index) + 1;
      const end = node.data.indexOf(" ", m.index);
      const token = node.data.slice(start, end < 0 ? undefined : end);
      if (/:\/\/|@|www\.|\.(de|com|org)\b|\//.test(token)) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set();
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
      const lines = [...tops].sort((a, b) => a - b);
      if (lines.length > 1 && lines[lines.length - 1] - lines[0] > 4) {
        // where it breaks: the first letter on the next line
        let at = 0;
        for (let i = 1; i <= m[0].length; i++) {
          const r = document.createRange();
          r.setStart(node, m.index);
          r.setEnd(node, m.index + i);
          const rects = [...r.getClientRects()].filter(x => x.width > 0);
          const last = rects[rects.length - 1];
          if (last && Math.round(last.top) !== lines[0]) { at = i - 1; break; }
        }
        // a break at a soft hyphen shows a hyphen: not a broken word
        if (m[0][at - 1] !== "\u00ad") {
          const plain = m[0].replaceAll("\u00ad", "");
          found.push(`${parent.tagName.toLowerCase()}: ${plain.slice(0, at)}|${plain.slice(at)}`);
        }
      }
    }
  }
  return found;
}"""

WIDTHS = [{"width": 320, "height": 640}, {"width": 360, "height": 740}]


@pytest.fixture
def city(session, data_dir):
    add_planning_inputs(session, data_dir)
    make_user(session, email="redaktion@example.org", role="editor")
    fbs = make_offer(
        session,
        name="Evangelische Familienbildungsstätte Bochum (generiert)",
        category="familienbildung",
        lon=7.2162,
        lat=51.4818,
        street="Westring 26",
        postcode="44787",
    )
    make_offer(
        session, name="Kita Wattenscheid (generiert)", category="kita", lon=7.129, lat=51.483
    )
    return {"fbs": fbs.id}


PUBLIC = [
    "/",
    "/angebote?kategorie=familienbildung",
    "/angebote/{fbs}",
    "/bezirke",
    "/bezirke/wattenscheid",
    "/planung",
    "/planung/bericht",
    "/planung/bezirke/wattenscheid",
]


@pytest.mark.parametrize("viewport", WIDTHS, ids=["320", "360"])
def test_no_public_page_cuts_a_word_between_two_letters(
    live_server, city, browser, console_errors, viewport
):
    broken = {}
    with open_page(browser, console_errors, viewport=viewport) as page:
        for path in PUBLIC:
            page.goto(live_server + path.format(**city))
            found = page.evaluate(SPLIT_WORDS)
            if found:
                broken[path] = found
    assert not broken, broken


@pytest.mark.parametrize("viewport", WIDTHS, ids=["320", "360"])
def test_the_staff_buttons_keep_their_words_whole(
    live_server, city, browser, console_errors, viewport
):
    with open_page(browser, console_errors, viewport=viewport) as page:
        page.goto(f"{live_server}/verwaltung/anmelden")
        page.get_by_label("E-Mail-Adresse").fill("redaktion@example.org")
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        broken = {}
        for path in ("/verwaltung/pruefen", f"/verwaltung/angebote/{city['fbs']}"):
            page.goto(live_server + path)
            found = page.evaluate(SPLIT_WORDS)
            if found:
                broken[path] = found
    assert not broken, broken

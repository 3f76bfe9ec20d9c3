"""In Chromium: no page that shows hostile text, or echoes hostile input, opens a dialog,
gains an element from it, or runs a script the CSP would have to block."""

import pytest

from app.main import create_app
from tests.factories import add_districts
from tests.security.hostile import make_hostile_offer, xss_offer_fields
from tests.security.xss_pages import hostile_urls

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)]


def test_no_dialog_opens_on_any_page_showing_hostile_text(
    live_server, session, data_dir, page, console_errors
):
    add_districts(session, data_dir)
    offer = make_hostile_offer(session, xss_offer_fields())
    values = {"offer_id": offer.id, "id": offer.id, "slug": "mitte"}
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    urls = [
        url
        for url in hostile_urls(create_app(), values, "Testkita")
        if page.request.head(live_server + url)
        .headers.get("content-type", "")
        .startswith("text/html")
    ]
    for url in urls:
        page.goto(live_server + url)
        injected = page.evaluate("""() => ({
            images: document.querySelectorAll('img[src="x"]').length,
            inline: [...document.scripts].filter(s => !s.src).length,
            handlers: [...document.querySelectorAll('*')].filter(
                e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
        })""")
        assert injected == {"images": 0, "inline": 0, "handlers": 0}, url
    assert not dialogs, dialogs
    blocked = [e for e in console_errors if "Content Security Policy" in e]
    assert not blocked, blocked
    assert len(urls) > 20

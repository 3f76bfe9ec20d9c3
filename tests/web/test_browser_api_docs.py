"""The API documentation in Chromium: it works under the app's own CSP with nothing
loaded from elsewhere, passes axe (WCAG 2.1 AA) and fits 360 px."""

import pytest

from tests.browser import assert_meets_wcag

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)]


def test_the_api_documentation_renders_under_the_csp_and_meets_wcag(
    live_server, page, console_errors, failed_requests
):
    page.goto(f"{live_server}/api/docs")
    assert page.locator("h1").inner_text() == "API-Dokumentation"
    assert page.locator("article.api-operation").count() >= 10
    assert not console_errors, console_errors
    assert not failed_requests, failed_requests
    assert all(
        r.startswith(live_server)
        for r in page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    )
    assert_meets_wcag(page)


def test_the_api_documentation_fits_a_small_screen(live_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/api/docs")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"{overflow}px wider than the screen"

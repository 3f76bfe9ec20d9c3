"""The one way a page turns a URL from data into a link (``{{ link(url, text) }}``).

Only what ``app.urls.safe_href`` allows becomes an ``href``; anything else (a
``javascript:`` link stored before the loaders refused it, say) is shown as its text
without a link. Callers choose the text (a publisher and date, a host name, the URL)."""

from markupsafe import Markup, escape

from app.urls import safe_href


def link(
    url: object,
    text: object = None,
    *,
    contact: bool = False,
    cls: str | None = None,
    title: str | None = None,
) -> Markup:
    """``<a href="url">text</a>`` for an allowed ``url``, else the escaped text (the
    URL itself when no text is given); ``title`` e.g. the full URL behind a label."""
    shown = url if text is None else text
    shown = "" if shown is None else shown
    href = safe_href(url, contact=contact)
    if href is None:
        return escape(shown)
    if cls and title:
        return Markup('<a class="{}" href="{}" title="{}">{}</a>').format(cls, href, title, shown)
    if cls:
        return Markup('<a class="{}" href="{}">{}</a>').format(cls, href, shown)
    return Markup('<a href="{}">{}</a>').format(href, shown)

"""Gettext for code and templates; the locale is chosen per request.

German is the source language: a string without a translation shows in German.
Catalogs live in ``app/locales/<lang>/LC_MESSAGES/messages.po`` and are compiled to
``.mo`` by ``make`` (build output, not committed).
"""

from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.support import LazyProxy, NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locales"
SUPPORTED = ("de", "en")
DEFAULT = "de"

_current: ContextVar[str] = ContextVar("locale", default=DEFAULT)


@cache
def translations(locale: str) -> NullTranslations:
    if locale == DEFAULT:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [locale], domain="messages")


API_DOCS = "apidocs"  # the OpenAPI texts on /api/docs, in both languages


@cache
def api_docs_translations(locale: str) -> NullTranslations:
    """The catalogue of the API documentation's texts. Unlike the site's own strings
    the schema's texts are partly English (docstrings, response descriptions), so
    German has a catalogue too."""
    return Translations.load(str(LOCALE_DIR), [locale], domain=API_DOCS)


def api_docs_gettext(text: str) -> str:
    """An OpenAPI text in the request's language (as written when not in the catalogue)."""
    return api_docs_translations(get_locale()).ugettext(text)


def set_locale(locale: str) -> None:
    _current.set(locale if locale in SUPPORTED else DEFAULT)


def get_locale() -> str:
    return _current.get()


def gettext(message: str, /, **variables: object) -> str:
    text = translations(get_locale()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, /, **variables: object) -> str:
    text = translations(get_locale()).ungettext(singular, plural, n)
    variables.setdefault("num", n)
    return text % variables


def template_gettext(message: str) -> str:
    """For Jinja's i18n extension, which does the %-formatting itself."""
    return translations(get_locale()).ugettext(message)


def template_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(get_locale()).ungettext(singular, plural, n)


def lazy_gettext(message: str) -> LazyProxy:
    return LazyProxy(gettext, message, enable_cache=False)


_ = gettext


def negotiate(query_lang: str | None, cookie_lang: str | None) -> str:
    """Pick the locale: explicit ?lang=, then the remembered choice, else German.

    The browser's Accept-Language is deliberately not used: the city's site is German
    unless a visitor chooses otherwise with the language link, so every visitor (and
    every shared link) sees the same page.
    """
    for candidate in (query_lang, cookie_lang):
        if candidate in SUPPORTED:
            return candidate
    return DEFAULT

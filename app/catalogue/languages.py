"""Languages of offers: staff type names ("Deutsch, Türkisch"); the search takes ISO
639-1 codes (``sprache=tr``). Names and codes come from CLDR (``babel``), in German
and English, so that "Türkisch", "Turkish" and "tr" are the same language."""

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale
from sqlalchemy import String, cast
from sqlmodel import Session, select

from app.db import state
from app.i18n import get_locale
from app.models import Offer


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, ...]]:
    de, en = Locale("de").languages, Locale("en").languages
    return {
        code: tuple(dict.fromkeys((de[code], en.get(code, de[code]), code)))
        for code in de
        if len(code) == 2 and code.isalpha()
    }


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    return {name.casefold(): code for code, names in _names().items() for name in names}


def is_code(code: str) -> bool:
    return code in _names()


def names_of(code: str) -> list[str]:
    """Every way the language ``code`` may be written in an offer."""
    names = _names().get(code, ())
    return list(dict.fromkeys([*names, *(n.lower() for n in names)]))


def code_of(name: str) -> str | None:
    return _codes().get(name.strip().casefold())


def label(code: str) -> str:
    """The language's name in the page's language ("Türkisch" / "Turkish")."""
    return Locale(get_locale()).languages.get(code, code)


def codes_in_use(session: Session) -> list[str]:
    """The ISO codes of the languages active offers are given in, by name (read once
    per catalogue version: the search form asks on every page)."""

    def read() -> frozenset[str]:
        found: set[str] = set()
        rows: Iterable[list[str]] = session.exec(
            select(Offer.languages).where(
                Offer.archived_at.is_(None), cast(Offer.languages, String) != "[]"
            )
        ).all()
        for languages in rows:
            found.update(c for c in map(code_of, languages or []) if c)
        return frozenset(found)

    return sorted(state.cached(session, state.OFFERS, "languages_in_use", read), key=label)

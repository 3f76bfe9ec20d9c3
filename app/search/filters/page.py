"""The page of the results and the page's language: parameters that filter nothing."""

from typing import Any, Literal

from pydantic import Field

from app.i18n import gettext as _
from app.search.declare import Filter

MAX_PAGE = 100_000


class Page(Filter):
    name = "seite"
    annotation = int
    default = 1
    keep_typed = True

    def field(self) -> Any:
        return Field(1, ge=1, le=MAX_PAGE, description="Seite der Ergebnisliste")

    def message(self, given: Any) -> str:
        return _("Die Seite muss eine Zahl ab 1 sein.")

    def is_set(self, value: Any) -> bool:
        return value != 1

    def count(self, filters: Any) -> int:
        return 0


class Language(Filter):
    """The page's language: documented and checked here, read by the middleware."""

    name = "lang"
    annotation = Literal["de", "en"] | None
    default = None
    kept = False

    def field(self) -> Any:
        return Field(None, description="Sprache der Seite")

    def message(self, given: Any) -> str:
        return _("Die Sprache muss „de“ oder „en“ sein.")

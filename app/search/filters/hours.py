"""When: open at a moment (now, a weekday, a weekday and a time)."""

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import Field
from sqlalchemy import ColumnElement, or_

from app.catalogue import opening_sql
from app.catalogue.hours import WEEKDAYS
from app.i18n import gettext as _
from app.search.declare import UNSET, Described, Known, Query
from app.search.filters.base import ListedApart

WEEKDAY_SLUGS = ("mo", "di", "mi", "do", "fr", "sa", "so")
_OPEN = re.compile(r"^(jetzt|mo|di|mi|do|fr|sa|so)(?:-([01]\d|2[0-3]):([0-5]\d))?$")


class OpenAt(ListedApart):
    """``geoeffnet=jetzt``, ``=mo`` … ``=so`` (the next such day), ``=mo-10:00``: open
    at that moment in Europe/Berlin, with exceptions and NRW holidays. Offers without
    hours are listed apart ("Öffnungszeiten unbekannt"), and so are those that close in
    school holidays when the moment lies in a school year the library does not know."""

    name = "geoeffnet"
    clock = True
    template = "components/filter_fields/geoeffnet.html"

    def field(self) -> Any:
        return Field(
            "",
            max_length=20,
            pattern=r"^\s*(jetzt|mo|di|mi|do|fr|sa|so)(-([01]\d|2[0-3]):[0-5]\d)?\s*$",
            description="jetzt, ein Wochentag (mo … so) oder Wochentag und Uhrzeit "
            "(mo-10:00): geöffnet zu dieser Zeit (Europe/Berlin)",
        )

    def read(self, strings: list[str]) -> Any:
        value = super().read(strings)
        return value if value is UNSET else value.lower()

    def message(self, given: Any) -> str:
        return _(
            "„Geöffnet“ ist jetzt, ein Wochentag (mo, di, mi, do, fr, sa, so) oder ein "
            "Wochentag mit Uhrzeit, zum Beispiel mo-10:00."
        )

    def check(self, value: str, known: Known) -> str | None:
        if value.startswith("jetzt-"):
            return self.message(value)
        return None

    def moment(self, value: str, now: datetime) -> tuple[date, time | None]:
        """The day and time (None: any time of the day) ``value`` asks about."""
        m = _OPEN.match(value)
        assert m is not None
        if m.group(1) == "jetzt":
            return now.date(), now.time()
        ahead = (WEEKDAY_SLUGS.index(m.group(1)) - now.weekday()) % 7
        if m.group(2) is None:
            return now.date() + timedelta(days=ahead), None
        at = time(int(m.group(2)), int(m.group(3)))
        if ahead == 0 and at < now.time().replace(second=0, microsecond=0):
            ahead = 7
        return now.date() + timedelta(days=ahead), at

    def matches(self, value: str, ctx: Query) -> ColumnElement[bool]:
        return opening_sql.open_sql(*self.moment(value, ctx.now))

    def missing(self, value: str, ctx: Query) -> ColumnElement[bool]:
        # Without hours, or open then only if it is no school holiday of a school year
        # the ``holidays`` library does not know yet (``opening.unsure_at``).
        return or_(opening_sql.no_hours_sql(), opening_sql.unsure_sql(*self.moment(value, ctx.now)))

    def unknown_label(self) -> str:
        return _("Öffnungszeiten unbekannt")

    def words(self, value: str) -> str:
        m = _OPEN.match(value)
        if m is None:
            return value
        if m.group(1) == "jetzt":
            return _("jetzt geöffnet")
        day = WEEKDAYS[WEEKDAY_SLUGS.index(m.group(1))]
        if m.group(2) is None:
            return _("geöffnet am %(day)s", day=day)
        return _("geöffnet am %(day)s um %(time)s", day=day, time=f"{m.group(2)}:{m.group(3)}")

    def sentence(self, value: str, ctx: Described) -> str | None:
        return self.words(value) if value else None

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        if not filters.geoeffnet:
            return []
        label = _("„%(what)s“ entfernen", what=self.words(filters.geoeffnet))
        return [(label, filters.without("geoeffnet"))]

    def relax(self, filters: Any) -> tuple[str, str] | None:
        return (_("auch geschlossene Angebote"), filters.without("geoeffnet"))

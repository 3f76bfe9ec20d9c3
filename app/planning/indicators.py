"""Published figures (the city's Kita shortage per district, coverage rates, OGS
places as the press quotes them): a table of indicators with area, period, value and
source, shown beside the view's own measures. Staff can load further tables in the
same format; a table replaces the one of the same name."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlmodel import Session

from app.db import state
from app.errors import RowError
from app.i18n import gettext as _
from app.models import PlaceName, PlanningIndicator
from app.planning.population import area_resolver
from app.planning.tables import TableInput, read_table
from app.text import place_key
from app.urls import url_problem

COLUMNS = ("period", "area", "indicator", "value", "source_url")
OPTIONAL = ("topic", "level", "unit", "source_date", "note")
PRESS_TABLE = "presse"  # the table loaded at set-up from the shared data

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


def parse_value(text: str) -> float | None:
    """ "8,1" -> 8.1, "11.843" -> 11843; None for text such as ">97" or "fast 57.000"."""
    cleaned = text.strip().replace("\u202f", "").replace(" ", "")
    if not _NUMBER.match(cleaned):
        return None
    return float(cleaned.replace(".", "").replace(",", "."))


def indicator_area_resolver(session: Session) -> Callable[[str], str | None]:
    """The district an area name belongs to: a district itself (any loaded level), the
    city, or the Stadtbezirk of a statistischer Bezirk or Ortsteil by its name."""
    district = area_resolver(session)
    places = {
        p.key: p.district_slug for p in session.exec(select(PlaceName)).scalars() if p.district_slug
    }

    def resolve(name: str) -> str | None:
        found = district(name)
        if found:
            return found
        for part in (name, *re.split(r"[/,]", name)):
            slug = places.get(place_key(part.strip())) if part.strip() else None
            if slug:
                return slug
        return None

    return resolve


@dataclass
class IndicatorReport:
    loaded: int = 0
    unmatched: list[str] = field(default_factory=list)  # areas not matched to a district
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        if self.errors:
            return _("nichts geladen: %(n)s Fehler", n=len(self.errors))
        text = _("%(n)s Kennzahlen geladen", n=self.loaded)
        if self.unmatched:
            text += _(
                "; keinem Bezirk zugeordnet: %(areas)s",
                areas=", ".join(sorted(set(self.unmatched))),
            )
        return text


def load_indicators_csv(session: Session, file: TableInput, *, name: str) -> IndicatorReport:
    """Replace the indicator table ``name`` with ``file`` (columns ``period``, ``area``,
    ``indicator``, ``value``, ``source_url``; optional ``topic``, ``level``, ``unit``,
    ``source_date``, ``note``). All or nothing; the caller commits. Nothing changes
    (and no version is bumped) when the stored table is the same."""
    report = IndicatorReport()
    table = read_table(file, name, COLUMNS, OPTIONAL)
    report.errors.extend(table.errors)
    resolve = indicator_area_resolver(session)
    wanted: list[dict] = []
    for line, row in table.rows:
        missing = [c for c in COLUMNS if not row[c]]
        for column in missing:
            report.errors.append(RowError(name, line, column, _("leer")))
        too_long = [
            c
            for c, limit in (
                ("period", 200),
                ("area", 200),
                ("indicator", 200),
                ("value", 100),
                ("source_url", 1000),
            )
            if len(row[c]) > limit
        ]
        for column in too_long:
            report.errors.append(RowError(name, line, column, _("zu lang")))
        bad_url = None
        if "source_url" not in missing and "source_url" not in too_long:
            bad_url = url_problem(row["source_url"])
            if bad_url is not None:
                report.errors.append(RowError(name, line, "source_url", bad_url))
        if missing or too_long or bad_url:
            continue
        slug = resolve(row["area"])
        if slug is None:
            report.unmatched.append(row["area"])
        wanted.append(
            dict(
                table_name=name,
                line=line,
                topic=row.get("topic") or None,
                period=row["period"],
                level=row.get("level") or None,
                area=row["area"],
                area_slug=slug,
                indicator=row["indicator"],
                value=parse_value(row["value"]),
                value_text=row["value"],
                unit=(row.get("unit") or None),
                source=row["source_url"],
                source_date=row.get("source_date") or None,
                note=(row.get("note") or "")[:1000] or None,
            )
        )
    if report.errors:
        return report
    stored = (
        session.exec(
            select(PlanningIndicator)
            .where(PlanningIndicator.table_name == name)
            .order_by(PlanningIndicator.line)
        )
        .scalars()
        .all()
    )
    keys = [k for k in wanted[0]] if wanted else []
    if [{k: getattr(s, k) for k in keys} for s in stored] != wanted or not wanted:
        session.execute(delete(PlanningIndicator).where(PlanningIndicator.table_name == name))
        session.add_all(PlanningIndicator(**w) for w in wanted)
        session.flush()
        state.bump(session, state.PLANNING)
    report.loaded = len(wanted)
    return report


@dataclass(frozen=True)
class Published:
    """One published figure, as the page and the exports show it."""

    area: str
    area_slug: str | None
    level: str | None
    period: str
    indicator: str
    value: float | None
    value_text: str
    unit: str | None
    source: str
    source_date: str | None
    note: str | None
    table: str
    topic: str | None = None


def published(session: Session) -> list[Published]:
    rows = session.exec(
        select(PlanningIndicator).order_by(PlanningIndicator.table_name, PlanningIndicator.line)
    ).scalars()
    return [
        Published(
            r.area,
            r.area_slug,
            r.level,
            r.period,
            r.indicator,
            r.value,
            r.value_text,
            r.unit,
            r.source,
            r.source_date,
            r.note,
            r.table_name,
            r.topic,
        )
        for r in rows
    ]

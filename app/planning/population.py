"""Residents per area, age band and year: loading official tables, and the target
group of each district with how it was obtained.

A district's target group comes from, in this order:

1. an official figure: loaded bands of the district that make up exactly the target
   ages, in the newest year that has them;
2. an estimate ("Schätzung"): the district's residents (newest year) × the target
   group's share of the city's residents (newest year with city age bands);
3. nothing ("keine Bevölkerungsdaten"): never a made-up number.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select
from sqlmodel import Session

from app.db import state
from app.errors import RowError
from app.i18n import gettext as _
from app.models import District, PopulationFigure
from app.models.planning import CITY
from app.planning.kinds import ALL_AGES, Band
from app.planning.tables import TableInput, parse_date, parse_int, read_table
from app.text import slugify
from app.urls import source_text_problem

COLUMNS = ("bezirk", "alter_von", "alter_bis_unter", "jahr", "einwohner", "quelle")
OPTIONAL = ("stichtag",)
CITY_NAMES = ("bochum", "stadt-bochum", "stadt", "gesamtstadt")


def compose(bands: dict[Band, int], group: Band) -> int | None:
    """The residents of ``group`` as a sum of ``bands`` that tile it exactly, or None."""
    if group in bands:
        return bands[group]
    start, end = group

    def inside(band: Band) -> bool:
        return band[0] >= start and (end is None or (band[1] is not None and band[1] <= end))

    candidates = sorted(
        (b for b in bands if inside(b) and b != group),
        key=lambda b: (b[0], -1 if b[1] is None else b[1]),
    )

    def walk(position: int, depth: int) -> int | None:
        if depth > 40:
            return None
        for band in candidates:
            if band[0] != position:
                continue
            if band[1] == end:
                return bands[band]
            if band[1] is None:
                continue
            rest = walk(band[1], depth + 1)
            if rest is not None:
                return bands[band] + rest
        return None

    return walk(start, 0)


@dataclass(frozen=True)
class Figure:
    """Residents of a target group in one area, and how the number was obtained."""

    value: float | None
    year: int | None = None
    basis: str = "none"  # "official", "estimate", "spread", "none"
    source: str | None = None
    share_year: int | None = None  # estimate: the year of the city's age shares
    spread_from: str | None = None  # spread: the parent district's name

    @property
    def estimated(self) -> bool:
        return self.basis in ("estimate", "spread")

    def note(self) -> str:
        """How the figure was obtained, in words (for the page and every export)."""
        if self.basis == "official":
            return _("amtliche Zahl %(year)s", year=self.year)
        if self.basis == "estimate":
            return _(
                "Schätzung: Einwohner des Bezirks (%(year)s) × Anteil der Altersgruppe "
                "an der Bevölkerung der Stadt (%(share_year)s)",
                year=self.year,
                share_year=self.share_year,
            )
        if self.basis == "spread":
            return _(
                "Schätzung: aus dem Stadtbezirk %(parent)s nach Fläche verteilt (%(year)s)",
                parent=self.spread_from,
                year=self.year,
            )
        return _("keine Bevölkerungsdaten")


NO_DATA = Figure(None)


@dataclass
class PopulationTable:
    """Every loaded figure: area -> year -> age band -> residents."""

    bands: dict[str, dict[int, dict[Band, int]]] = field(default_factory=dict)
    sources: dict[tuple[str, int], set[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> "PopulationTable":
        table = cls()
        for row in session.exec(select(PopulationFigure)).scalars():
            table.add(
                row.area_slug, row.year, (row.age_from, row.age_to), row.residents, row.source
            )
        return table

    def add(self, area: str, year: int, band: Band, residents: int, source: str) -> None:
        self.bands.setdefault(area, {}).setdefault(year, {})[band] = residents
        self.sources.setdefault((area, year), set()).add(source)

    def _source(self, area: str, year: int) -> str:
        return "; ".join(sorted(self.sources.get((area, year), ())))

    def official(self, area: str, group: Band) -> Figure | None:
        for year in sorted(self.bands.get(area, {}), reverse=True):
            value = compose(self.bands[area][year], group)
            if value is not None:
                return Figure(float(value), year, "official", self._source(area, year))
        return None

    def city_share(self, group: Band) -> tuple[float, int] | None:
        """The group's share of the city's residents, in the newest year that has it."""
        for year in sorted(self.bands.get(CITY, {}), reverse=True):
            bands = self.bands[CITY][year]
            part, total = compose(bands, group), compose(bands, ALL_AGES)
            if part is not None and total:
                return part / total, year
        return None

    def figure(self, area: str, group: Band) -> Figure:
        """The residents of ``group`` in ``area``: official, else estimated, else none."""
        found = self.official(area, group)
        if found is not None:
            return found
        total = self.official(area, ALL_AGES)
        share = self.city_share(group)
        if total is None or share is None or total.value is None:
            return NO_DATA
        source = "; ".join(sorted({total.source or "", self._source(CITY, share[1])} - {""}))
        return Figure(total.value * share[0], total.year, "estimate", source, share[1])

    def years(self) -> list[int]:
        return sorted({y for years in self.bands.values() for y in years})


# --- loading -------------------------------------------------------------------------


@dataclass
class PopulationReport:
    loaded: int = 0
    replaced: int = 0
    errors: list[RowError] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _("nichts geladen: %(n)s Fehler", n=len(self.errors))
        return _(
            "%(n)s Zahlen geladen (%(replaced)s ersetzt) für %(areas)s Gebiete, Jahr %(years)s",
            n=self.loaded,
            replaced=self.replaced,
            areas=len(self.areas),
            years=", ".join(map(str, self.years)),
        )


def area_resolver(session: Session) -> Callable[[str], str | None]:
    """Slug of a district (by slug, name, "Bochum-Name" or number) or ``CITY``."""
    names: dict[str, str] = {}
    for d in session.exec(select(District)).scalars():
        for key in (d.slug, slugify(d.name), slugify(f"Bochum-{d.name}")):
            names.setdefault(key, d.slug)
        if d.number is not None and d.level == "stadtbezirk":
            names.setdefault(str(d.number), d.slug)
    for key in CITY_NAMES:
        names[key] = CITY

    def resolve(text: str) -> str | None:
        return names.get(slugify(text)) or names.get(text.strip())

    return resolve


def load_population_csv(
    session: Session, file: TableInput, *, name: str = "upload", loaded_by: str = "upload"
) -> PopulationReport:
    """Load a table of residents per district and age band (columns ``bezirk``,
    ``alter_von``, ``alter_bis_unter`` (empty: open), ``jahr``, ``einwohner``,
    ``quelle``, optional ``stichtag``). All or nothing: with any bad line, nothing is
    stored and each error names its line. A figure for the same district, band and year
    replaces the stored one. The caller commits."""
    report = PopulationReport()
    table = read_table(file, name, COLUMNS, OPTIONAL)
    report.errors.extend(table.errors)
    resolve = area_resolver(session)
    wanted: dict[tuple[str, int, int | None, int], dict] = {}
    for line, row in table.rows:
        errors_before = len(report.errors)

        def bad(column: str, message: str, line: int = line) -> None:
            report.errors.append(RowError(name, line, column, message))

        area = resolve(row["bezirk"]) if row["bezirk"] else None
        if area is None:
            bad(
                "bezirk",
                _(
                    "unbekannter Bezirk „%(name)s“ (Name, Kürzel oder Nummer eines geladenen "
                    "Bezirks, oder „Bochum“)",
                    name=row["bezirk"],
                )
                if row["bezirk"]
                else _("leer"),
            )
        values: dict[str, int | None] = {}
        for column, low, high in (
            ("alter_von", 0, 120),
            ("jahr", 1900, 2100),
            ("einwohner", 0, 10_000_000),
        ):
            try:
                values[column] = parse_int(row[column], low=low, high=high)
            except ValueError as exc:
                bad(column, str(exc) if row[column] else _("leer"))
        values["alter_bis_unter"] = None
        if row["alter_bis_unter"]:
            try:
                values["alter_bis_unter"] = parse_int(row["alter_bis_unter"], low=1, high=121)
            except ValueError as exc:
                bad("alter_bis_unter", str(exc))
            else:
                if (
                    values.get("alter_von") is not None
                    and values["alter_bis_unter"] <= values["alter_von"]
                ):
                    bad("alter_bis_unter", _("muss größer sein als „Alter von“"))
        if not row["quelle"]:
            bad("quelle", _("leer: jede Zahl braucht ihre Quelle"))
        elif len(row["quelle"]) > 500:
            bad("quelle", _("länger als %(n)s Zeichen", n=500))
        elif (problem := source_text_problem(row["quelle"])) is not None:
            bad("quelle", problem)
        reference: date | None = None
        if row.get("stichtag"):
            try:
                reference = parse_date(row["stichtag"])
            except ValueError as exc:
                bad("stichtag", str(exc))
        if len(report.errors) > errors_before or area is None:
            continue
        key = (area, values["alter_von"], values["alter_bis_unter"], values["jahr"])
        if key in wanted:
            bad(
                "bezirk",
                _(
                    "derselbe Bezirk, dieselben Alter und dasselbe Jahr wie in Zeile %(line)s",
                    line=wanted[key]["line"],
                ),
            )
            continue
        wanted[key] = dict(
            line=line,
            area_slug=area,
            age_from=key[1],
            age_to=key[2],
            year=key[3],
            residents=values["einwohner"],
            source=row["quelle"],
            reference_date=reference,
        )
    if report.errors:
        report.errors.sort(key=lambda e: (e.line, e.field))
        return report
    report.replaced = store_figures(session, wanted.values(), loaded_by)
    report.loaded = len(wanted)
    report.areas = sorted({v["area_slug"] for v in wanted.values()})
    report.years = sorted({v["year"] for v in wanted.values()})
    return report


def store_figures(
    session: Session, figures: Iterable[dict], loaded_by: str, *, keep_others: bool = False
) -> int:
    """Upsert figures by (area, band, year); returns how many stored ones changed.
    ``keep_others``: a stored figure that someone else loaded is kept (set-up never
    overwrites an official table staff loaded)."""
    stored = {
        (r.area_slug, r.age_from, r.age_to, r.year): r
        for r in session.exec(select(PopulationFigure)).scalars()
    }
    replaced = 0
    changed = False
    for fig in figures:
        key = (fig["area_slug"], fig["age_from"], fig["age_to"], fig["year"])
        old = stored.get(key)
        if old is not None:
            if keep_others and old.loaded_by != loaded_by:
                continue
            if (old.residents, old.source, old.reference_date) == (
                fig["residents"],
                fig["source"],
                fig.get("reference_date"),
            ):
                continue
            session.execute(delete(PopulationFigure).where(PopulationFigure.id == old.id))
            replaced += 1
        session.add(
            PopulationFigure(**{k: v for k, v in fig.items() if k != "line"}, loaded_by=loaded_by)
        )
        changed = True
    if changed:
        session.flush()
        state.bump(session, state.PLANNING)
    return replaced

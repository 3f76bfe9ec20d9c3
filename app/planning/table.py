"""The planning table: what /planung shows and every export writes, built by one
function from the cached coverage and the query.

Rows are the districts of the chosen level (sorted as asked), then the city. For a
supply measure the columns are the kinds of offer, then the need indicator (school
social index, Startchancen schools); for the need measure only the need columns.
Each cell keeps its value, its text, whether the figure rests on an estimated
population ("Schätzung") and whether it is the weakest of its column.
"""

from dataclasses import dataclass, field

from app.i18n import gettext as _
from app.numbers import format_number
from app.planning.coverage_model import AreaCoverage, Coverage, KindMeasures
from app.planning.kinds import KIND_BY_SLUG
from app.planning.population import Figure
from app.planning.query import MEASURE_LABELS, NEED, PlanningQuery, column_keys

PERCENT = ("erreichbar_500", "erreichbar_1000")
DIGITS = {
    "angebote": 0,
    "je_1000": 1,
    "plaetze_je_100": 1,
    "erreichbar_500": 1,
    "erreichbar_1000": 1,
    "zugang": 1,
    NEED: 1,
    "startchancen": 0,
    "grundschulen": 0,
    "schueler": 0,
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str
    higher_is_worse: bool = False
    with_basis: bool = False  # the value rests on a target population: say how it was got


@dataclass(frozen=True)
class Cell:
    value: float | int | None  # a count is an int (exports write 3, never 3.0)
    text: str
    basis: str = ""  # "official", "estimate", "spread", "none"; "" where no population is used
    basis_text: str = ""
    worst: bool = False
    note: str = ""  # e.g. "Platzzahl bekannt für 0 von 55"

    @property
    def estimated(self) -> bool:
        return self.basis in ("estimate", "spread")


@dataclass(frozen=True)
class Row:
    slug: str
    name: str
    cells: tuple[Cell, ...]
    is_city: bool = False


@dataclass
class PlanningTable:
    query: PlanningQuery
    coverage: Coverage
    columns: list[Column]
    rows: list[Row]
    city: Row
    caption: str
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def all_rows(self) -> list[Row]:
        return [*self.rows, self.city]

    def header(self) -> list[str]:
        """Flat header of the exports: each column, and its basis where it has one."""
        names = [_("Gebiet"), _("Kennung")]
        for c in self.columns:
            names.append(f"{c.label} ({c.unit})" if c.unit else c.label)
            if c.with_basis:
                names.append(_("%(column)s: Grundlage", column=c.label))
        return names

    def header_keys(self) -> list[str | None]:
        """The measure key of each header column (None for names and basis texts), so
        an export can give each column its number format."""
        keys: list[str | None] = [None, None]
        for c in self.columns:
            keys.append(self.query.mass if c.key in KIND_BY_SLUG else c.key)
            if c.with_basis:
                keys.append(None)
        return keys

    def records(self) -> list[list[object]]:
        """The rows as the exports write them (numbers unformatted)."""
        out = []
        for row in self.all_rows:
            values: list[object] = [row.name, row.slug]
            for column, cell in zip(self.columns, row.cells, strict=True):
                values.append(cell.value)
                if column.with_basis:
                    values.append(cell.basis_text)
            out.append(values)
        return out


def measure_value(measures: KindMeasures, measure: str) -> float | int | None:
    """The value a table cell shows: a count as a whole number, a share in per cent."""
    if measure == "angebote":
        return measures.offers
    value = measures.value(measure)
    if value is not None and measure in PERCENT:
        return round(value * 100, 1)
    return value


def format_value(value: float | None, key: str) -> str:
    if value is None:
        return ""
    text = format_number(value, DIGITS.get(key, 1))
    return f"{text} %" if key in PERCENT else text


def basis_text(figure: Figure) -> str:
    if figure.basis == "official":
        return _("amtlich (%(year)s)", year=figure.year)
    if figure.basis == "estimate":
        return _("Schätzung (%(year)s)", year=figure.year)
    if figure.basis == "spread":
        return _(
            "Schätzung, aus %(parent)s verteilt (%(year)s)",
            parent=figure.spread_from,
            year=figure.year,
        )
    return _("keine Bevölkerungsdaten")


def status_note(measures: KindMeasures) -> str:
    """For kinds counted only where known (U3): for how many offers it is known."""
    if measures.status_known is None or measures.status_known >= measures.candidates:
        return ""
    return _(
        "U3 bekannt für %(known)s von %(all)s Kitas",
        known=measures.status_known,
        all=measures.candidates,
    )


def _kind_cell(measures: KindMeasures, measure: str) -> Cell:
    if measures.unknown:
        return Cell(None, _("unbekannt"), note=status_note(measures))
    value = measure_value(measures, measure)
    if measure == "angebote":
        return Cell(value, format_value(value, measure), note=status_note(measures))
    figure = measures.population
    note = status_note(measures)
    if measure == "plaetze_je_100" and measures.places_known < measures.offers:
        note = (note + "; " if note else "") + _(
            "Platzzahl bekannt für %(known)s von %(all)s",
            known=measures.places_known,
            all=measures.offers,
        )
    if value is None:
        text = (
            _("keine Bevölkerungsdaten")
            if figure.value is None
            else (_("Platzzahl unbekannt") if measure == "plaetze_je_100" else _("keine Angabe"))
        )
        return Cell(None, text, figure.basis, basis_text(figure), note=note)
    return Cell(value, format_value(value, measure), figure.basis, basis_text(figure), note=note)


def _need_cells(area: AreaCoverage, keys: tuple[str, ...]) -> list[Cell]:
    need = area.need
    cells = []
    for key in keys:
        if key == NEED:
            value = None if need.mean_index is None else round(need.mean_index, 2)
            text = format_value(value, key) if value is not None else _("keine Schuldaten")
            cells.append(
                Cell(
                    value,
                    text,
                    note=_(
                        "%(n)s von %(all)s Grundschulen mit Index",
                        n=need.with_index,
                        all=need.schools,
                    )
                    if need.schools
                    else "",
                )
            )
        else:
            value = {
                "startchancen": need.startchancen,
                "grundschulen": need.with_index,
                "schueler": need.pupils,
            }[key]
            cells.append(Cell(value, format_value(value, key)))
    return cells


def _columns(query: PlanningQuery) -> list[Column]:
    need = [
        Column(
            NEED, _("Schulsozialindex"), _("1–9, Mittel nach Schülerzahl"), higher_is_worse=True
        ),
        Column("startchancen", _("Startchancen-Schulen"), _("Anzahl"), higher_is_worse=True),
    ]
    if query.mass == NEED:
        return [
            *need,
            Column("grundschulen", _("Grundschulen mit Index"), _("Anzahl")),
            Column("schueler", _("Schülerinnen und Schüler"), _("Anzahl")),
        ]
    unit = {
        "angebote": _("Anzahl"),
        "je_1000": _("je 1.000"),
        "plaetze_je_100": _("je 100"),
        "erreichbar_500": "%",
        "erreichbar_1000": "%",
        "zugang": _("je 1.000"),
    }[query.mass]
    kinds = [
        Column(slug, str(KIND_BY_SLUG[slug].label), unit, with_basis=query.mass != "angebote")
        for slug in column_keys(query.mass)
        if slug in KIND_BY_SLUG
    ]
    return [*kinds, *need]


def _cells(area: AreaCoverage, query: PlanningQuery, columns: list[Column]) -> list[Cell]:
    if query.mass == NEED:
        return _need_cells(area, tuple(c.key for c in columns))
    kinds = [_kind_cell(area.kinds[c.key], query.mass) for c in columns if c.key in KIND_BY_SLUG]
    return [*kinds, *_need_cells(area, (NEED, "startchancen"))]


def _mark_worst(rows: list[list[Cell]], columns: list[Column]) -> None:
    """The weakest value of each column (highest where higher is worse), when the
    column has at least two different values."""
    for j, column in enumerate(columns):
        values = [r[j].value for r in rows if r[j].value is not None]
        if len(set(values)) < 2:
            continue
        worst = max(values) if column.higher_is_worse else min(values)
        for r in rows:
            if r[j].value == worst:
                r[j] = Cell(r[j].value, r[j].text, r[j].basis, r[j].basis_text, True, r[j].note)


def planning_table(
    coverage: Coverage, query: PlanningQuery, errors: dict[str, str] | None = None
) -> PlanningTable:
    """The one table behind /planung and its exports."""
    columns = _columns(query)
    cells = [_cells(a, query, columns) for a in coverage.areas]
    _mark_worst(cells, columns)
    rows = [Row(a.slug, a.name, tuple(c)) for a, c in zip(coverage.areas, cells, strict=True)]
    if query.sortierung == "name":
        rows.sort(key=lambda r: r.name, reverse=query.richtung == "ab")
    elif query.sortierung:
        j = next(i for i, c in enumerate(columns) if c.key == query.sortierung)
        known = [r for r in rows if r.cells[j].value is not None]
        known.sort(key=lambda r: r.cells[j].value, reverse=query.richtung == "ab")
        rows = known + [r for r in rows if r.cells[j].value is None]
    city = Row(
        coverage.city.slug,
        _("Stadt Bochum"),
        tuple(_cells(coverage.city, query, columns)),
        is_city=True,
    )
    caption = (
        _("Schulsozialindex und Startchancen-Schulen je Gebiet")
        if query.mass == NEED
        else _("%(measure)s je Gebiet und Art von Angebot", measure=MEASURE_LABELS[query.mass])
    )
    return PlanningTable(query, coverage, columns, rows, city, caption, dict(errors or {}))

"""The population grid: square cells (100 m by default, EPSG:25832) over the
districts, and the residents of each target group spread over them.

Without a loaded grid the residents of a district are spread evenly over its cells.
A grid with residents per cell (the Zensus 100 m grid, or any table of cell centres
and counts) is a drop-in: ``load_grid_csv`` stores it in ``grid_cell``, and the
spread then follows its counts inside each district.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry
from sqlalchemy import delete, insert, select
from sqlmodel import Session

from app.db import state
from app.errors import RowError
from app.i18n import gettext as _
from app.models import GridCell
from app.planning.tables import TableInput, parse_int, read_table

ZENSUS_CRS = "EPSG:3035"  # the Zensus grid's CRS (ETRS89-LAEA)
SUPPRESSED = ("-", "–", "—", ".", "x", "X")  # values withheld for confidentiality
AGE_COLUMNS = ("unter_18", "alter_65_plus")  # the Zensus 2011 grid's classes we use


@dataclass(frozen=True)
class Grid:
    """Cell centres with the index of the area (in ``areas``) each lies in."""

    x: np.ndarray
    y: np.ndarray
    area: np.ndarray  # int index into the polygons the grid was built from
    size: int

    def __len__(self) -> int:
        return len(self.x)

    @property
    def xy(self) -> np.ndarray:
        return np.column_stack((self.x, self.y))


def build_grid(polygons: Sequence[BaseGeometry], size: int) -> Grid:
    """Cells whose centre lies in one of ``polygons`` (EPSG:25832), aligned to
    multiples of ``size`` metres; a centre on a shared border goes to the first."""
    if not polygons:
        empty = np.empty(0)
        return Grid(empty, empty, np.empty(0, dtype=int), size)
    minx, miny, maxx, maxy = shapely.union_all(list(polygons)).bounds
    x0, y0 = np.floor(minx / size) * size, np.floor(miny / size) * size
    xs = np.arange(x0 + size / 2, maxx + size, size)
    ys = np.arange(y0 + size / 2, maxy + size, size)
    gx, gy = (a.ravel() for a in np.meshgrid(xs, ys))
    owner = np.full(len(gx), -1, dtype=int)
    for index, polygon in enumerate(polygons):
        bx0, by0, bx1, by1 = polygon.bounds
        candidates = np.flatnonzero(
            (owner < 0) & (gx >= bx0) & (gx <= bx1) & (gy >= by0) & (gy <= by1)
        )
        shapely.prepare(polygon)
        inside = shapely.contains_xy(polygon, gx[candidates], gy[candidates])
        owner[candidates[inside]] = index
    keep = owner >= 0
    return Grid(gx[keep], gy[keep], owner[keep], size)


def locate(grid: Grid, polygons: Sequence[BaseGeometry]) -> np.ndarray:
    """For each cell, the index of the polygon (e.g. a finer level) holding its centre,
    or -1."""
    owner = np.full(len(grid), -1, dtype=int)
    for index, polygon in enumerate(polygons):
        bx0, by0, bx1, by1 = polygon.bounds
        candidates = np.flatnonzero(
            (owner < 0) & (grid.x >= bx0) & (grid.x <= bx1) & (grid.y >= by0) & (grid.y <= by1)
        )
        shapely.prepare(polygon)
        owner[candidates[shapely.contains_xy(polygon, grid.x[candidates], grid.y[candidates])]] = (
            index
        )
    return owner


# The columns of a loaded cell (``loaded_cells``): x, y, residents, under 18, 65+.
RESIDENTS, UNDER_18, OVER_65 = 2, 3, 4


def weight_column(ages: tuple[int, int | None], cells: Sequence[tuple]) -> int:
    """Which count of the loaded grid spreads the target group ``ages``: the under-18
    class for children's groups, the 65+ class for groups from 60 up, where the grid
    has that class; all residents otherwise."""

    def has(column: int) -> bool:
        return any(len(c) > column and c[column] is not None for c in cells)

    start, end = ages
    if end is not None and end <= 18 and has(UNDER_18):
        return UNDER_18
    if end is None and start >= 60 and has(OVER_65):
        return OVER_65
    return RESIDENTS


def cell_weights(grid: Grid, cells: Sequence[tuple], column: int = RESIDENTS) -> np.ndarray | None:
    """Residents of loaded cells (centre x, y in EPSG:25832, counts) summed into the
    grid's cells, by ``column`` (an age class: a cell without it counts 0); None when
    nothing is loaded (the spread is then even)."""
    if not cells or not len(grid):
        return None
    size = grid.size
    loaded = np.array(
        [
            (c[0], c[1], c[column] if len(c) > column and c[column] is not None else 0)
            for c in cells
        ],
        dtype=float,
    )
    # each loaded cell into the grid cell holding its centre: one sorted lookup
    span = np.int64(10_000_000)
    keys = np.floor(grid.x / size).astype(np.int64) * span + np.floor(grid.y / size).astype(
        np.int64
    )
    order = np.argsort(keys)
    ordered = keys[order]
    wanted = np.floor(loaded[:, 0] / size).astype(np.int64) * span + np.floor(
        loaded[:, 1] / size
    ).astype(np.int64)
    at = np.clip(np.searchsorted(ordered, wanted), 0, len(ordered) - 1)
    hit = ordered[at] == wanted
    weights = np.bincount(order[at[hit]], weights=loaded[hit, 2], minlength=len(grid)).astype(float)
    return weights


def spread(
    area: np.ndarray, residents: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """Residents per cell: each area's residents (``residents[area]``; NaN: unknown)
    spread over its cells, in proportion to ``weights`` where the area has any, else
    evenly. Cells outside every area (-1) get nothing."""
    n_areas = len(residents)
    inside = area >= 0
    safe = np.where(inside, area, 0)
    even = np.where(inside, 1.0, 0.0)
    if weights is not None:
        loaded_sum = np.bincount(safe, weights=np.where(inside, weights, 0.0), minlength=n_areas)
        w = np.where(loaded_sum[safe] > 0, weights, even)
    else:
        w = even
    totals = np.bincount(safe, weights=np.where(inside, w, 0.0), minlength=n_areas)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals[safe] > 0, w / totals[safe], 0.0)
    values = np.nan_to_num(residents[safe], nan=0.0)
    return np.where(inside, values * share, 0.0)


# --- loading a grid with residents per cell -------------------------------------------


@dataclass
class GridReport:
    loaded: int = 0
    suppressed: int = 0  # cells whose count the source withholds (counted as 0)
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        if self.errors:
            return _("nichts geladen: %(n)s Fehler", n=len(self.errors))
        return _(
            "%(n)s Rasterzellen geladen (%(withheld)s geheim gehaltene Zahlen als 0)",
            n=self.loaded,
            withheld=self.suppressed,
        )


def load_grid_csv(
    session: Session,
    file: TableInput,
    *,
    year: int,
    source: str,
    name: str = "upload",
    size_m: int = 100,
    reference_date: date | None = None,
) -> GridReport:
    """Replace the population grid with a table of cell centres and residents: the
    Zensus format (``x_mp_100m``, ``y_mp_100m`` in EPSG:3035, ``einwohner``) or
    ``x``, ``y`` (EPSG:25832), ``einwohner``; optional age classes ``unter_18`` and
    ``alter_65_plus`` (blank: not in the source). All or nothing; the caller commits."""
    report = GridReport()
    table = read_table(
        file,
        name,
        ("einwohner",),
        ("x_mp_100m", "y_mp_100m", "x", "y", *AGE_COLUMNS),
    )
    report.errors.extend(table.errors)
    zensus = "x_mp_100m" in table.header
    xcol, ycol = ("x_mp_100m", "y_mp_100m") if zensus else ("x", "y")
    if table.header and not {xcol, ycol} <= set(table.header):
        report.errors.append(
            RowError(
                name,
                1,
                "header",
                _("braucht x_mp_100m und y_mp_100m (EPSG:3035) oder x und y (EPSG:25832)"),
            )
        )
    if report.errors:
        return report
    xs, ys, counts = [], [], []
    ages: list[tuple[int | None, int | None]] = []
    for line, row in table.rows:
        try:
            x, y = float(row[xcol]), float(row[ycol])
        except ValueError:
            report.errors.append(
                RowError(name, line, xcol, _("die Koordinaten müssen Zahlen sein"))
            )
            continue
        value = row["einwohner"]
        if value in SUPPRESSED or value.startswith("-"):
            report.suppressed += 1
            count = 0
        else:
            try:
                count = parse_int(value, low=0, high=100_000)
            except ValueError as exc:
                report.errors.append(RowError(name, line, "einwohner", str(exc)))
                continue
        classes: list[int | None] = []
        for column in AGE_COLUMNS:
            text = (row.get(column) or "").strip()
            if not text or text in SUPPRESSED:
                classes.append(None)
                continue
            try:
                classes.append(parse_int(text, low=0, high=100_000))
            except ValueError as exc:
                report.errors.append(RowError(name, line, column, str(exc)))
        if len(classes) < len(AGE_COLUMNS):
            continue
        ages.append((classes[0], classes[1]))
        xs.append(x)
        ys.append(y)
        counts.append(count)
    if report.errors:
        return report
    if zensus:
        to_utm = Transformer.from_crs(ZENSUS_CRS, "EPSG:25832", always_xy=True)
        xs, ys = (list(a) for a in to_utm.transform(np.array(xs), np.array(ys)))
    session.execute(delete(GridCell))
    # One executemany without ORM objects: the values are parsed and checked above.
    cells = [
        {
            "x": round(float(x), 2),
            "y": round(float(y), 2),
            "size_m": size_m,
            "residents": c,
            "under_18": a[0],
            "over_65": a[1],
            "year": year,
            "reference_date": reference_date,
            "source": source,
        }
        for x, y, c, a in zip(xs, ys, counts, ages, strict=True)
    ]
    if cells:
        session.execute(insert(GridCell.__table__), cells)
    session.flush()
    state.bump(session, state.PLANNING)
    report.loaded = len(counts)
    return report


@dataclass(frozen=True)
class LoadedGrid:
    cells: list[tuple]  # x, y, residents, under 18, 65+ (None: class not in the source)
    source: str | None  # its source and year; None: no grid loaded
    reference_date: date | None = None


def loaded_cells(session: Session) -> LoadedGrid:
    """The loaded grid (x, y, residents, under 18, 65+) with its source and date."""
    rows = session.execute(
        select(GridCell.x, GridCell.y, GridCell.residents, GridCell.under_18, GridCell.over_65)
    ).all()
    if not rows:
        return LoadedGrid([], None)
    first = session.execute(
        select(GridCell.source, GridCell.year, GridCell.reference_date).limit(1)
    ).one()
    return LoadedGrid([tuple(r) for r in rows], f"{first[0]} ({first[1]})", first[2])

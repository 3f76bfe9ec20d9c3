"""What the map draws for offers: one marker per offer, its kind told by shape and
colour (never colour alone), an approximate point drawn hollow and dashed; and, when a
map would hold too many markers, counts per grid cell instead.

Shapes are SVG paths around (0, 0); the template places each with a ``translate``, so
the stylesheet can scale markers (and their larger, invisible tap areas) on small
screens. The colours live in ``site.css`` (``.map-kind-<slug>``), the shapes here.
"""

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from app.models.categories import BY_SLUG, CATEGORIES

MARKER_SIZE = 9.0  # half the width of a marker, in SVG units (1000 across the map)
HIT_R = 16.0  # the invisible tap area around a marker
MAX_MARKERS = 200  # more points than this are counted per grid cell
GRID_COLUMNS = 10  # about this many cells across the map
CELL_R_MIN, CELL_R_MAX = 17.0, 34.0

# The shape of each kind; the colour comes from the stylesheet.
KIND_SHAPES: dict[str, str] = {
    "kita": "circle",
    "familienzentrum": "square",
    "familienbildung": "diamond",
    "ogs": "triangle",
    "spielplatz": "triangle-down",
    "jugendfreizeithaus": "star",
    "seniorenbuero": "pentagon",
    "beratung": "cross",
    "kinderbuero": "hexagon",
    "begruessungsteam": "ring",
    "sonstiges": "bar",
}
assert set(KIND_SHAPES) == set(BY_SLUG), "every kind needs a shape"


def _polygon(corners: int, size: float, start_deg: float = -90.0) -> str:
    points = []
    for i in range(corners):
        angle = math.radians(start_deg + 360.0 * i / corners)
        points.append(f"{size * math.cos(angle):.1f},{size * math.sin(angle):.1f}")
    return "M" + " L".join(points) + "Z"


def _star(size: float) -> str:
    points = []
    for i in range(10):
        r = size * (1.2 if i % 2 == 0 else 0.5)
        angle = math.radians(-90 + 36 * i)
        points.append(f"{r * math.cos(angle):.1f},{r * math.sin(angle):.1f}")
    return "M" + " L".join(points) + "Z"


def shape_path(shape: str, size: float = MARKER_SIZE) -> str:
    """The outline of ``shape``, centred on (0, 0), about ``2 * size`` across."""
    s = size
    if shape == "circle":
        return f"M{-s},0a{s},{s} 0 1,0 {2 * s},0a{s},{s} 0 1,0 {-2 * s},0Z"
    if shape == "ring":  # a circle with a hole (even-odd fill)
        h = s * 0.45
        return (
            f"M{-s},0a{s},{s} 0 1,0 {2 * s},0a{s},{s} 0 1,0 {-2 * s},0Z"
            f"M{-h},0a{h},{h} 0 1,0 {2 * h},0a{h},{h} 0 1,0 {-2 * h},0Z"
        )
    if shape == "square":
        q = s * 0.88
        return f"M{-q:.1f},{-q:.1f}H{q:.1f}V{q:.1f}H{-q:.1f}Z"
    if shape == "bar":
        return f"M{-s * 1.1:.1f},{-s * 0.55:.1f}H{s * 1.1:.1f}V{s * 0.55:.1f}H{-s * 1.1:.1f}Z"
    if shape == "diamond":
        d = s * 1.2
        return f"M0,{-d:.1f}L{d:.1f},0L0,{d:.1f}L{-d:.1f},0Z"
    if shape == "triangle":
        return _polygon(3, s * 1.25)
    if shape == "triangle-down":
        return _polygon(3, s * 1.25, 90.0)
    if shape == "pentagon":
        return _polygon(5, s * 1.1)
    if shape == "hexagon":
        return _polygon(6, s * 1.1)
    if shape == "star":
        return _star(s)
    if shape == "cross":
        w = s * 0.38
        return (
            f"M{-w:.1f},{-s:.1f}H{w:.1f}V{-w:.1f}H{s:.1f}V{w:.1f}H{w:.1f}V{s:.1f}"
            f"H{-w:.1f}V{w:.1f}H{-s:.1f}V{-w:.1f}H{-w:.1f}Z"
        )
    raise ValueError(f"unknown shape {shape!r}")


SHAPE_PATHS: dict[str, str] = {slug: shape_path(shape) for slug, shape in KIND_SHAPES.items()}


@dataclass(frozen=True)
class MapPoint:
    """An offer with a point, as the map needs it (x, y in EPSG:25832)."""

    offer_id: int
    name: str
    category: str
    x: float
    y: float
    precision: str | None = None
    distance_m: float | None = None


@dataclass(frozen=True)
class Marker:
    offer_id: int
    name: str
    category: str
    x: float  # SVG units
    y: float
    distance_m: float | None
    approximate: bool

    @property
    def kind(self) -> str:
        cat = BY_SLUG.get(self.category)
        return str(cat.label) if cat else ""

    @property
    def d(self) -> str:
        return SHAPE_PATHS.get(self.category, SHAPE_PATHS["sonstiges"])


@dataclass(frozen=True)
class Cell:
    """Offers counted in one grid cell, linked to a map around the cell's middle."""

    x: float  # SVG units: the mean of its offers' points
    y: float
    count: int
    r: float  # SVG units
    lon: float  # the cell's middle, for the link
    lat: float
    radius_m: int  # covers the whole cell


@dataclass(frozen=True)
class LegendEntry:
    slug: str
    label: str
    d: str


def legend(categories: Sequence[str]) -> tuple[LegendEntry, ...]:
    """The kinds on the map, in the catalogue's order, each with its shape."""
    present = set(categories)
    return tuple(
        LegendEntry(c.slug, str(c.plural), SHAPE_PATHS[c.slug])
        for c in CATEGORIES
        if c.slug in present
    )


def _nice(metres: float) -> int:
    """A round cell size near ``metres``: 250, 500, 1000, 2000, 2500, 5000 …"""
    for size in (250, 500, 1000, 1500, 2000, 2500, 3000, 5000, 10000):
        if size >= metres:
            return size
    return int(math.ceil(metres / 10000) * 10000)


def cell_size(width_m: float) -> int:
    """The side of a grid cell in metres: about ``GRID_COLUMNS`` across the map."""
    return _nice(width_m / GRID_COLUMNS)


def grid_cells(points: Sequence[MapPoint], width_m: float, to_svg, to_wgs) -> tuple[Cell, ...]:
    """Count ``points`` per square cell (about ``GRID_COLUMNS`` across ``width_m``).

    ``to_svg(x, y)`` places a point on the map, ``to_wgs(x, y)`` gives (lon, lat)."""
    size = cell_size(width_m)
    members: dict[tuple[int, int], list[MapPoint]] = defaultdict(list)
    for p in points:
        members[(math.floor(p.x / size), math.floor(p.y / size))].append(p)
    groups = [
        (i, j, len(g), sum(p.x for p in g) / len(g), sum(p.y for p in g) / len(g))
        for (i, j), g in members.items()
    ]
    return cells_of(groups, size, to_svg, to_wgs)


def cells_of(
    groups: Sequence[tuple[int, int, int, float, float]], size: int, to_svg, to_wgs
) -> tuple[Cell, ...]:
    """Cells from (column, row, count, mean x, mean y) per cell of side ``size``: drawn
    at the mean of their points, sized by their count."""
    largest = max((n for _i, _j, n, _x, _y in groups), default=1)
    cells = []
    for i, j, n, mx, my in sorted(groups):
        x, y = to_svg(mx, my)
        share = math.sqrt(n / largest)
        lon, lat = to_wgs((i + 0.5) * size, (j + 0.5) * size)
        cells.append(
            Cell(
                x,
                y,
                n,
                round(CELL_R_MIN + (CELL_R_MAX - CELL_R_MIN) * share, 1),
                lon,
                lat,
                int(math.ceil(size * 0.75 / 100) * 100),
            )
        )
    return tuple(cells)

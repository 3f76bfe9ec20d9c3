"""A choropleth of one planning measure: the districts filled by class, with each
district's value written on it (so nothing is told by colour alone) and a legend that
names the classification: natural breaks (Fisher-Jenks) or quantiles, the classes of
``mapclassify`` (see ``classify``). The frame and the simplified boundaries are those of
the site's SVG map (``app.maps.svg``); the markup is ``components/choropleth.svg``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.maps.svg import Frame, envelope, simplified

# ColorBrewer "Blues" (sequential, colour-blind safe); light = low, dark = high.
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
DARK_TEXT_UNTIL = 2  # classes 0..2 carry dark text, darker fills white text
MAX_CLASSES = 5
# Values closer together than this share of the largest (absolute) value get one class:
# five shades for 9.5 to 10.7 would show differences the figures do not carry.
SMALL_SPREAD = 0.2
LEGEND_ROW = 34
LEGEND_TOP = 70


@dataclass(frozen=True)
class MapArea:
    slug: str
    name: str
    d: str
    label_x: float
    label_y: float
    value: float | None
    text: str  # the value as the table shows it
    fill: str
    dark: bool  # a dark fill: write the labels in white


@dataclass(frozen=True)
class LegendEntry:
    text: str
    fill: str | None  # None: the hatched "no data" pattern
    y: float


@dataclass(frozen=True)
class Choropleth:
    title: str
    method: str  # the classification in words, for the legend
    areas: tuple[MapArea, ...]
    legend: tuple[LegendEntry, ...]
    width: float
    map_height: float
    height: float

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def classify(values: Sequence[float], scheme: str) -> tuple[list[int], list[float]]:
    """(class of each value, upper bound of each class); one class when the values
    cannot be told apart. The same classes as ``mapclassify.FisherJenks`` and
    ``mapclassify.Quantiles`` (a test holds them to it): that package is not imported
    at run time, because for a few dozen district values it would bring scikit-learn,
    pandas and SciPy's statistics into every worker (90 MB resident each)."""
    y = np.asarray(values, dtype=float)
    distinct = len(np.unique(y))
    if distinct < 2:
        return [0] * len(y), [float(y.max())] if len(y) else []
    k = min(MAX_CLASSES, distinct)
    bins = quantile_bins(y, k) if scheme == "quantile" else fisher_jenks_bins(y, k)
    # A value belongs to the first class whose upper bound it does not exceed.
    return [int(c) for c in np.searchsorted(bins, y, side="left")], [float(b) for b in bins]


def quantile_bins(y: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds at the k quantiles, repeated bounds merged; interpolated between
    neighbours as ``scipy.stats.scoreatpercentile`` does (mapclassify's rule)."""
    ordered = np.sort(np.asarray(y, dtype=float))
    step = 100.0 / k
    percents = np.arange(step, 100 + step, step)
    percents[-1] = min(percents[-1], 100.0)
    bounds = []
    for percent in percents:
        at = percent / 100.0 * (len(ordered) - 1)
        i = int(at)
        if i == at:
            bounds.append(float(ordered[i]))
        else:
            weights = np.array([i + 1 - at, at - i])
            bounds.append(float(np.add.reduce(ordered[i : i + 2] * weights) / weights.sum()))
    return np.unique(np.array(bounds))


def fisher_jenks_bins(y: np.ndarray, k: int) -> np.ndarray:
    """Natural breaks: the k classes with the least squared deviation from their means
    (Fisher 1958, Jenks 1977), by dynamic programming over the sorted values. The
    arithmetic (float32 sums, the ``>=`` tie rule) follows mapclassify's
    ``_fisher_jenks_means`` (BSD-3-Clause, PySAL developers) so that ties fall the same
    way; O(k·n²) for n values, instant for the districts of a city."""
    values = np.sort(np.asarray(y, dtype=float))
    n = len(values)
    lower = np.zeros((n + 1, k + 1), dtype=np.int32)  # first value of the last class
    cost = np.zeros((n + 1, k + 1), dtype=np.float32)
    lower[1, 1:] = 1
    cost[2:, 1:] = np.inf
    for last in range(2, n + 1):
        s1 = s2 = w = np.float32(0)
        v = np.float32(0)
        for m in range(1, last + 1):
            first = last - m + 1
            value = np.float32(values[first - 1])
            s2 += value * value
            s1 += value
            w += np.float32(1)
            v = s2 - (s1 * s1) / w
            before = first - 1
            if before != 0:
                for j in range(2, k + 1):
                    if cost[last, j] >= v + cost[before, j - 1]:
                        lower[last, j] = first
                        cost[last, j] = v + cost[before, j - 1]
        lower[last, 1] = 1
        cost[last, 1] = v
    bounds = [0.0] * (k + 1)
    bounds[k] = float(values[n - 1])
    end = n
    for j in range(k, 1, -1):
        first = int(lower[end, j])
        bounds[j - 1] = float(values[first - 2])
        end = first - 1
    return np.array(bounds[1:])


def build_choropleth(
    districts: Sequence[tuple[str, str, str]],
    values: dict[str, tuple[float | None, str]],
    *,
    scheme: str,
    title: str,
    method: str,
    fmt,
    no_data: str,
    small_spread: str | None = None,
) -> Choropleth:  # noqa: ANN001
    """``districts``: (slug, name, GeoJSON EPSG:4326); ``values``: slug -> (value, text);
    ``fmt`` formats a class bound like the table. When the values lie closer together
    than ``SMALL_SPREAD`` of the largest, every district gets one class and ``method``
    becomes ``small_spread`` (the rule in words)."""
    shapes = simplified(tuple(districts)) if districts else ()
    bounds = envelope([g for _s, _n, g in shapes]) if shapes else (0, 0, 1, 1)
    frame = Frame.around(bounds)
    known = [(slug, v) for slug, (v, _t) in values.items() if v is not None]
    classes, bins = classify([v for _s, v in known], scheme) if known else ([], [])
    if known and is_small_spread([v for _s, v in known]):
        classes, bins = [0] * len(known), [max(v for _s, v in known)]
        method = small_spread or method
    n_classes = len(bins)
    palette = _palette(n_classes)
    class_of = {slug: c for (slug, _v), c in zip(known, classes, strict=True)}
    areas = []
    for slug, name, geometry in shapes:
        value, text = values.get(slug, (None, no_data))
        klass = class_of.get(slug)
        fill = palette[klass] if klass is not None else "url(#no-data)"
        dark = klass is not None and PALETTE.index(fill) > DARK_TEXT_UNTIL
        x, y = frame.point(*geometry.point_on_surface().coords[0])
        areas.append(
            MapArea(
                slug,
                name,
                frame.path(geometry),
                x,
                y,
                value,
                text if value is not None else no_data,
                fill,
                dark,
            )
        )
    legend = []
    top = frame.height + LEGEND_TOP
    lower = min(v for _s, v in known) if known else None
    for i, upper in enumerate(bins):
        text = fmt(upper) if lower == upper else f"{fmt(lower)} – {fmt(upper)}"
        legend.append(LegendEntry(text, palette[i], top + i * LEGEND_ROW))
        lower = upper
    if any(v is None for v, _t in values.values()):
        legend.append(LegendEntry(no_data, None, top + len(legend) * LEGEND_ROW))
    height = top + len(legend) * LEGEND_ROW + 20
    return Choropleth(
        title, method, tuple(areas), tuple(legend), frame.width, frame.height, round(height, 1)
    )


def is_small_spread(values: Sequence[float]) -> bool:
    """Whether the values differ by less than ``SMALL_SPREAD`` of the largest."""
    y = np.asarray(values, dtype=float)
    if len(y) < 2:
        return False
    top = float(np.abs(y).max())
    return top > 0 and float(y.max() - y.min()) < SMALL_SPREAD * top


def _palette(n: int) -> tuple[str, ...]:
    """``n`` colours spread over the palette, light to dark."""
    if n <= 1:
        return (PALETTE[2],)
    idx = np.round(np.linspace(0, len(PALETTE) - 1, n)).astype(int)
    return tuple(PALETTE[i] for i in idx)

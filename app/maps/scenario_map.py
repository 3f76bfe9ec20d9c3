"""The what-if map: the city's districts, the offers of one kind and the planned sites,
as a standalone SVG that the scenario form shows as a clickable image
(``<input type="image">``): the browser sends where it was clicked, in CSS pixels of
the drawn image, and ``click_point`` turns that back into EPSG:25832 by the map's own
projection. That works without JavaScript; it needs the image drawn at a known width,
so the page draws it at exactly ``MAP_WIDTHS`` CSS pixels (a small one for phones, a
large one from 45rem up), never scaled."""

from dataclasses import dataclass

import numpy as np
import shapely
from sqlmodel import Session

from app.geo.crs import to_metric
from app.maps.svg import SVG_WIDTH, DistrictShape, Frame, district_shapes, envelope

# the image buttons' names and the CSS width each is drawn at (site.css / planning.css)
MAP_WIDTHS = {"karte": 288, "karte_gross": 640}


@dataclass(frozen=True)
class ScenarioMap:
    frame: Frame
    districts: tuple[DistrictShape, ...]
    offers: tuple[tuple[float, float], ...]  # SVG units
    sites: tuple[tuple[float, float, int], ...]  # SVG units and the site's number

    @property
    def width(self) -> float:
        return self.frame.width

    @property
    def height(self) -> float:
        return self.frame.height

    def pixel_height(self, name: str) -> int:
        return round(self.frame.height * MAP_WIDTHS[name] / SVG_WIDTH)


def city_frame(session: Session) -> tuple[Frame, tuple[DistrictShape, ...]]:
    """The frame around the Stadtbezirke (the same for drawing and for clicks)."""
    shapes = district_shapes(session)
    bounds = envelope([g for _s, _n, g in shapes]) if shapes else (0, 0, 1, 1)
    frame = Frame.around(bounds)
    drawn = []
    for slug, name, geometry in shapes:
        label = frame.point(*geometry.point_on_surface().coords[0])
        drawn.append(DistrictShape(slug, name, frame.path(geometry), *label))
    return frame, tuple(drawn)


def metres_per_pixel(frame: Frame, name: str) -> float:
    return SVG_WIDTH / MAP_WIDTHS[name] / frame.scale


def click_point(frame: Frame, name: str, px: float, py: float) -> tuple[float, float]:
    """The EPSG:25832 point under a click at (``px``, ``py``) CSS pixels of the image
    drawn ``MAP_WIDTHS[name]`` wide (the middle of the clicked pixel)."""
    units = SVG_WIDTH / MAP_WIDTHS[name]
    return frame.metres((px + 0.5) * units, (py + 0.5) * units)


def scenario_map(
    session: Session,
    offers_xy: tuple[np.ndarray, np.ndarray],
    sites: list[tuple[float, float]],
) -> ScenarioMap:
    """The map of one kind's offers (``offers_xy`` in EPSG:25832, NaN: no point) and the
    planned sites (``sites`` as (lon, lat))."""
    frame, districts = city_frame(session)
    xs, ys = offers_xy
    keep = ~(np.isnan(xs) | np.isnan(ys))
    offers = tuple(frame.point(float(x), float(y)) for x, y in zip(xs[keep], ys[keep], strict=True))
    placed = []
    for n, (lon, lat) in enumerate(sites, start=1):
        p = to_metric(shapely.Point(lon, lat))
        placed.append((*frame.point(p.x, p.y), n))
    return ScenarioMap(frame, districts, offers, tuple(placed))

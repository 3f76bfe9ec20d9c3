"""What a near-me search starts from: a resolved ``Place``, or why none was found."""

from dataclasses import dataclass
from typing import Any

from app.geo.crs import utm_to_wgs


@dataclass(frozen=True)
class Place:
    """A resolved place: a point in EPSG:25832 and, for areas, the area it stands for."""

    label: str  # as shown to the user: "44866", "Wattenscheid", "Hüller Str.", "Weitmar"
    # "postcode" | "district" | "street" | "address" | "geocoder" | "point" | "stadtteil"
    # (a published centre point, no boundary) | "city" (all of Bochum, no distance)
    kind: str
    x: float
    y: float
    plz: str | None = None  # a postcode area: the search keeps offers inside it
    district: str | None = None  # a Stadtbezirk slug: the search keeps its offers
    found_as: str | None = None  # the external geocoder's name for the place
    notice: str | None = None  # shown on the page, e.g. the geocoder did not answer
    radius_m: int | None = None  # the radius for this place when none was chosen
    source: str | None = None  # where a Stadtteil's centre point comes from
    # Stadtteile with a point near a name that has none, offered as other searches.
    nearby: tuple[str, ...] = ()

    @property
    def is_area(self) -> bool:
        return self.plz is not None or self.district is not None

    @property
    def is_city(self) -> bool:
        return self.kind == "city"

    def public(self) -> dict[str, Any]:
        lon, lat = utm_to_wgs(self.x, self.y)
        return {
            "label": self.label,
            "kind": self.kind,
            "lat": lat,
            "lon": lon,
            "postcode": self.plz,
            "district": self.district,
            "found_as": self.found_as,
            "notice": self.notice,
            "source": self.source,
        }


@dataclass(frozen=True)
class Suggestion:
    """A place the user may have meant: its name, the Stadtbezirk it lies in and, for a
    postcode outside Bochum, how far away it is."""

    name: str
    district: str | None = None
    distance_m: float | None = None

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "district": self.district,
            "distance_m": round(self.distance_m) if self.distance_m is not None else None,
        }


class PlaceNotFound(Exception):
    """The place could not be found; ``message`` says so in words, with suggestions."""

    def __init__(self, query: str, message: str, suggestions: list[Suggestion]) -> None:
        super().__init__(message)
        self.query = query
        self.message = message
        self.places = suggestions

    @property
    def suggestions(self) -> list[str]:
        return [s.name for s in self.places]

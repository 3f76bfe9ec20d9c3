"""What a near-me search starts from: a resolved ``Place``, or why none was found."""

from dataclasses import dataclass
from typing import Any

from app.geo.crs import utm_to_wgs


@dataclass(frozen=True)
class Place:
    """A resolved place: a point in EPSG:25832 and, for areas, the area it stands for."""

    label: str  # as shown to the user: "44866", "Wattenscheid", "Hüller Str."
    kind: str  # "postcode" | "district" | "street" | "address" | "geocoder" | "point"
    x: float
    y: float
    plz: str | None = None  # a postcode area: the search keeps offers inside it
    district: str | None = None  # a Stadtbezirk slug: the search keeps its offers
    found_as: str | None = None  # the external geocoder's name for the place
    notice: str | None = None  # shown on the page, e.g. the geocoder did not answer

    @property
    def is_area(self) -> bool:
        return self.plz is not None or self.district is not None

    def public(self) -> dict[str, Any]:
        lon, lat = utm_to_wgs(self.x, self.y)
        return {"label": self.label, "kind": self.kind, "lat": lat, "lon": lon,
                "postcode": self.plz, "district": self.district, "found_as": self.found_as,
                "notice": self.notice}


class PlaceNotFound(Exception):
    """The place could not be found; ``message`` says so in words, with suggestions."""

    def __init__(self, query: str, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.query = query
        self.message = message
        self.suggestions = suggestions


"""Machine twins of /bezirke: JSON, CSV and GeoJSON of the same district overview."""

import json
from typing import Any

from app.catalogue.districts import DistrictOverview
from app.formats.tabular import csv_text
from app.models.categories import SLUGS

CSV_COLUMNS = (
    "slug",
    "name",
    "level",
    "parent",
    "number",
    "area_km2",
    "population",
    "population_date",
    "population_source",
    "offers",
    "offers_per_1000_residents",
)


def to_json(overview: DistrictOverview) -> dict[str, Any]:
    return {
        "districts": [d.public() for d in overview.districts],
        "offers_without_district": overview.without_district,
    }


def to_csv(overview: DistrictOverview) -> str:
    rows = (
        [d.public()[c] for c in CSV_COLUMNS] + [d.counts.get(s, 0) for s in SLUGS]
        for d in overview.districts
    )
    return csv_text((*CSV_COLUMNS, *SLUGS), rows)


def to_geojson(overview: DistrictOverview, url_of: Any = None) -> dict[str, Any]:
    """The boundaries (EPSG:4326) with counts; ``url_of(slug)`` adds each page's URL."""
    features = []
    for d in overview.districts:
        props = d.public()
        if url_of is not None:
            props["url"] = url_of(d.slug)
        features.append(
            {
                "type": "Feature",
                "id": d.slug,
                "geometry": json.loads(d.geometry) if d.geometry else None,
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}

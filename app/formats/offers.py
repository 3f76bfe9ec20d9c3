"""Machine twins of the listings: JSON, CSV and GeoJSON from the same search result.

The JSON twin shows one page (``public_items`` of its ORM hits); CSV and GeoJSON take
the rows of every match (``app.export_rows.public_rows``).
"""

import json
from collections.abc import Iterable
from typing import Any

from app.formats.tabular import csv_text
from app.models import OfferPublic
from app.search.query import SearchResult

CSV_COLUMNS = (
    "id", "name", "category", "categories", "provider", "street", "postcode", "city",
    "district", "service_area", "lat", "lon", "distance_m", "age_min", "age_max",
    "age_is_typical", "target_group", "languages", "barrier_free", "costs", "phone", "email",
    "website", "source", "source_urls", "source_date", "last_verified",
)


def public_items(result: SearchResult) -> list[OfferPublic]:
    return [OfferPublic.from_offer(h.offer, h.distance_m) for h in result.hits]


def to_json(result: SearchResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "page_size": result.page_size,
        "items": [item.model_dump(mode="json") for item in public_items(result)],
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value)


def to_csv(items: Iterable[OfferPublic]) -> str:
    rows = ([_cell(data.get(col)) for col in CSV_COLUMNS]
            for data in (item.model_dump(mode="json") for item in items))
    return csv_text(CSV_COLUMNS, rows)


def to_geojson(items: Iterable[OfferPublic]) -> dict[str, Any]:
    features = []
    for item in items:
        props = item.model_dump(mode="json", exclude={"lat", "lon"})
        geometry = None
        if item.lat is not None and item.lon is not None:
            geometry = {"type": "Point", "coordinates": [item.lon, item.lat]}
        features.append({"type": "Feature", "id": item.id, "geometry": geometry,
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)

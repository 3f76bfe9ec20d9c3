"""Machine twins of the listings: JSON, CSV and GeoJSON of the same search result.

Every format writes ``OfferPublic`` (``app.catalogue.public``): the JSON twin one page,
CSV and GeoJSON every match. The CSV columns are the fields of ``OfferPublic`` and
``source_labels`` (each source URL as it reads: publisher and date).
"""

import json
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field

from app.formats.tabular import csv_text
from app.models import OfferPublic
from app.search.result import SearchResult
from app.sources import sources_of

# The fields of OfferPublic, and after the source URLs how each reads ("WAZ, 12.03.2024").
_FIELDS = tuple(OfferPublic.model_fields)
CSV_COLUMNS = (
    *_FIELDS[: _FIELDS.index("source_urls") + 1],
    "source_labels",
    *_FIELDS[_FIELDS.index("source_urls") + 1 :],
)


class SearchItem(OfferPublic):
    unknown: list[str] = Field(
        default_factory=list,
        description="the filters whose fact this offer does not state (e.g. alter: no age"
        " given); such offers are kept, after the known matches",
    )


class ApartCount(BaseModel):
    count: int
    label: str


class Apart(BaseModel):
    """The matches kept although a filter's fact is not known (listed after the rest)."""

    total: int = Field(description="matches lacking at least one of the facts asked for")
    filters: dict[str, ApartCount]


class SearchPage(BaseModel):
    """The JSON twin of one search page."""

    total: int
    total_exact: bool = Field(
        True,
        description="false: the count stopped at total and there are more matches (a search"
        " around a position counts up to 1,000)",
    )
    page: int
    pages: int
    page_size: int | None
    items: list[SearchItem]
    apart: Apart | None = None
    near: dict[str, Any] | None = None


def to_json(result: SearchResult, items: Iterable[OfferPublic]) -> dict[str, Any]:
    """One page of a search: its place in the whole, and its offers (each saying which
    asked-for facts it does not state)."""
    data: dict[str, Any] = {
        "total": result.total,
        "total_exact": not result.total_at_least,
        "page": result.page,
        "pages": result.pages,
        "page_size": result.page_size,
        "items": [
            {**item.model_dump(mode="json"), "unknown": result.unknown_of(item.id)}
            for item in items
        ],
    }
    if result.unknown_counts:
        data["apart"] = result.apart_json()
    return data


def to_csv(items: Iterable[OfferPublic]) -> str:
    """Every offer in the one CSV convention (``app.formats.tabular``)."""
    rows = (
        [
            [s.text for s in sources_of(data["source_urls"], data["source_date"])]
            if col == "source_labels"
            else data.get(col)
            for col in CSV_COLUMNS
        ]
        for data in (item.model_dump(mode="json") for item in items)
    )
    return csv_text(CSV_COLUMNS, rows)


def to_geojson(items: Iterable[OfferPublic], result: SearchResult | None = None) -> dict[str, Any]:
    features = []
    for item in items:
        props = item.model_dump(mode="json", exclude={"lat", "lon"})
        if result is not None:
            props["unknown"] = result.unknown_of(item.id)
        geometry = None
        if item.lat is not None and item.lon is not None:
            geometry = {"type": "Point", "coordinates": [item.lon, item.lat]}
        features.append(
            {"type": "Feature", "id": item.id, "geometry": geometry, "properties": props}
        )
    return {"type": "FeatureCollection", "features": features}


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)

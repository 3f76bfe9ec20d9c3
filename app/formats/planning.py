"""The twins of /planung: CSV, JSON, GeoJSON and XLSX of the same planning table
(``app.planning.table``), so every export holds exactly the rows the page shows.
The JSON adds every measure of every kind per area (the closing note's figures)."""

import json
from collections.abc import Callable
from typing import Any

from app.formats.tabular import csv_text
from app.formats.xlsx import (
    INTEGER,
    ONE_DECIMAL,
    PERCENT,
    TWO_DECIMALS,
    Link,
    Number,
    Sheet,
    decimals_format,
    workbook_bytes,
)
from app.i18n import gettext as _
from app.planning.coverage_model import MEASURES, AreaCoverage
from app.planning.method import method, sources
from app.planning.query import NEED
from app.planning.table import DIGITS, PlanningTable
from app.planning.table import PERCENT as PERCENT_KEYS
from app.sources import SourceNames


def to_csv(table: PlanningTable) -> str:
    rows = ([("" if v is None else v) for v in record] for record in table.records())
    return csv_text(table.header(), rows)


def _figure(figure) -> dict[str, Any]:  # noqa: ANN001
    return {
        "value": None if figure.value is None else round(figure.value, 1),
        "year": figure.year,
        "basis": figure.basis,
        "estimated": figure.estimated,
        "note": figure.note(),
        "source": figure.source,
    }


def area_json(area: AreaCoverage) -> dict[str, Any]:
    """Everything computed for one area: residents, every measure of every kind, need."""
    return {
        "slug": area.slug,
        "name": area.name,
        "level": area.level,
        "parent": area.parent,
        "residents": _figure(area.residents),
        "kinds": {
            slug: {
                "offers": None if m.unknown else m.offers,
                "offers_status_known_for": m.status_known,
                "offers_with_point": m.placed,
                "target_population": _figure(m.population),
                "places_known_for": m.places_known,
                "places": m.places if m.places_known else None,
                **{key: m.value(key) for key in MEASURES if key != "angebote"},
                "gap_rank": m.gap.rank,
                "gap_worst_measure": m.gap.worst,
            }
            for slug, m in area.kinds.items()
        },
        "schools": {
            "primary_schools": area.need.schools,
            "with_index": area.need.with_index,
            "pupils": area.need.pupils,
            "mean_social_index": None
            if area.need.mean_index is None
            else round(area.need.mean_index, 2),
            "startchancen": area.need.startchancen,
        },
    }


def to_json(table: PlanningTable) -> dict[str, Any]:
    cov = table.coverage
    names = SourceNames.of(cov.indicators)  # as on the page and in the report
    return {
        "query": dict(table.query.params()),
        "level": cov.level,
        "computed_at": cov.computed_at.isoformat(),
        "caption": table.caption,
        "columns": [
            {"key": c.key, "label": c.label, "unit": c.unit, "higher_is_worse": c.higher_is_worse}
            for c in table.columns
        ],
        "rows": [
            {
                "slug": r.slug,
                "name": r.name,
                "is_city": r.is_city,
                "cells": {
                    c.key: {
                        "value": cell.value,
                        "text": cell.text,
                        "basis": cell.basis or None,
                        "basis_text": cell.basis_text or None,
                        "estimated": cell.estimated,
                        "worst": cell.worst,
                        "note": cell.note or None,
                    }
                    for c, cell in zip(table.columns, r.cells, strict=True)
                },
            }
            for r in table.all_rows
        ],
        "areas": [area_json(a) for a in cov.areas],
        "city": area_json(cov.city),
        "settings": {
            "detour_factor": cov.detour,
            "catchment_m": cov.catchment,
            "grid_m": cov.grid_size,
            "grid_cells": cov.grid_cells,
            "population_spread": cov.weighted_by or "even",
        },
        "published": [
            {
                **vars(i),
                "source_label": (link := names(i.source, i.source_date)).label,
                "source_paywall": link.paywall,
            }
            for i in cov.indicators
        ],
        "method": [{"heading": p.heading, "text": p.text} for p in method(cov)],
    }


def to_geojson(table: PlanningTable, url_of: Callable[[str], str] | None = None) -> dict[str, Any]:
    """The table's rows as district polygons (EPSG:4326), properties = the row; the
    city's row last, without a geometry."""
    header = table.header()
    geometry = {a.slug: a.geojson for a in table.coverage.areas}
    features = []
    for row, record in zip(table.all_rows, table.records(), strict=True):
        props = dict(zip(header, record, strict=True))
        if url_of is not None:
            props["url"] = url_of(row.slug)
        features.append(
            {
                "type": "Feature",
                "id": row.slug,
                "geometry": json.loads(geometry[row.slug]) if geometry.get(row.slug) else None,
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _number_format(key: str | None) -> str | None:
    if key is None:
        return None
    if key in PERCENT_KEYS:
        return PERCENT
    if key == NEED:
        return TWO_DECIMALS
    return INTEGER if DIGITS.get(key, 1) == 0 else ONE_DECIMAL


def _table_sheet(table: PlanningTable) -> Sheet:
    """The table as numbers: shares (48.7 on the page) as fractions in percent format."""
    keys = table.header_keys()
    rows = [
        [
            v / 100 if key in PERCENT_KEYS and isinstance(v, int | float) else v
            for key, v in zip(keys, record, strict=True)
        ]
        for record in table.records()
    ]
    return Sheet(_("Tabelle"), table.header(), rows, [_number_format(k) for k in keys])


def _published_value(text: str, value: float | None) -> object:
    """A published figure as a number with its decimals, else its text (">97")."""
    if value is None:
        return text
    return Number(int(value) if value.is_integer() else value, decimals_format(text))


def to_xlsx(table: PlanningTable) -> bytes:
    cov = table.coverage
    names = SourceNames.of(cov.indicators)  # as on the page and in the report
    detail_header = [
        _("Gebiet"),
        _("Art"),
        _("Angebote"),
        _("Zielgruppe"),
        _("Zielgruppe: Grundlage"),
        _("Angebote je 1.000"),
        _("Platzzahl bekannt für"),
        _("Plätze je 100"),
        _("Anteil bis 500 m"),
        _("Anteil bis 1.000 m"),
        _("Zugangsindex je 1.000"),
        _("Rang der Lücke"),
    ]
    detail = []
    for area in [*cov.areas, cov.city]:
        for info in cov.kinds.values():
            m = area.kinds[info.kind.slug]
            detail.append(
                [
                    area.name,
                    str(info.kind.label),
                    None if m.unknown else m.offers,
                    None if m.population.value is None else round(m.population.value),
                    m.population.note(),
                    m.per_1000,
                    m.places_known,
                    m.places_per_100,
                    m.reach_500,
                    m.reach_1000,
                    m.access,
                    m.gap.rank,
                ]
            )
    published = []
    figures_of: dict[str, int] = {}
    for i in cov.indicators:
        link = names(i.source, i.source_date)
        figures_of[i.source] = figures_of.get(i.source, 0) + 1
        published.append(
            [
                i.area,
                i.level,
                i.period,
                i.indicator,
                _published_value(i.value_text, i.value),
                i.unit,
                link.text,
                i.source_date,
                Link(link.url, link.url),
                i.note,
            ]
        )
    source_sheet = []
    for i in cov.indicators:
        if i.source in figures_of:
            link = names(i.source, i.source_date)
            source_sheet.append(
                [
                    link.label,
                    _("ja") if link.paywall else _("nein"),
                    i.source_date,
                    Link(link.url, link.url),
                    figures_of.pop(i.source),
                ]
            )
    method_rows = [[p.heading, p.text] for p in method(cov)]
    source_rows = [list(s) for s in sources(cov)]
    return workbook_bytes(
        [
            _table_sheet(table),
            Sheet(
                _("Alle Maße"),
                detail_header,
                detail,
                [None, None, INTEGER, INTEGER, None, ONE_DECIMAL, INTEGER, ONE_DECIMAL]
                + [PERCENT, PERCENT, ONE_DECIMAL, INTEGER],
            ),
            Sheet(
                _("Quellen und Methode"),
                [_("Was"), _("Quelle oder Methode")],
                [*source_rows, ["", ""], *method_rows],
            ),
            Sheet(
                _("Veröffentlichte Zahlen"),
                [
                    _("Gebiet"),
                    _("Ebene"),
                    _("Zeitraum"),
                    _("Kennzahl"),
                    _("Wert"),
                    _("Einheit"),
                    _("Quelle"),
                    _("Datum der Quelle"),
                    _("Link"),
                    _("Hinweis"),
                ],
                published,
            ),
            Sheet(
                _("Quellen"),
                [
                    _("Quelle"),
                    _("Bezahlschranke möglich"),
                    _("Datum der Quelle"),
                    _("Link"),
                    _("Veröffentlichte Zahlen"),
                ],
                source_sheet,
                [None, None, None, None, INTEGER],
            ),
        ]
    )

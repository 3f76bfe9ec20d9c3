"""Finer district levels: staff load a level's polygons (GeoJSON, EPSG:4326) with the
level it lies in (its parent level); the planning view then works at that level too.

Each polygon's parent is the district of the parent level that holds its
representative point. The Stadtbezirke remain the level that places offers.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from sqlalchemy import delete, select
from sqlmodel import Session

from app.db import state
from app.errors import RowError
from app.geo.crs import to_metric
from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.models import District
from app.text import slugify
from app.urls import source_text_problem

TOP_LEVEL = "stadtbezirk"
LEVEL_MAX = 20  # district.level
NAME_KEYS = ("name", "Name", "NAME", "bezeichnung", "statistischer_bezirk")
NUMBER_KEYS = ("nummer", "number", "nr", "bezirk_nr")


@dataclass
class LevelReport:
    level: str
    loaded: int = 0
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        if self.errors:
            return _("nichts geladen: %(n)s Fehler", n=len(self.errors))
        return _("%(n)s Bezirke der Ebene „%(level)s“ geladen", n=self.loaded, level=self.level)


# GEOS's reasons for an invalid polygon ("Self-intersection[7.21 51.48]"), in words.
_INVALID = {
    "Self-intersection": _l("es überschneidet sich selbst"),
    "Ring Self-intersection": _l("ein Ring überschneidet sich selbst"),
    "Too few points in geometry component": _l("ein Teil hat zu wenige Punkte"),
    "Hole lies outside shell": _l("ein Loch liegt außerhalb des Umrisses"),
    "Interior is disconnected": _l("das Innere zerfällt in getrennte Teile"),
    "Nested holes": _l("ein Loch liegt in einem anderen Loch"),
    "Nested shells": _l("ein Umriss liegt in einem anderen Umriss"),
    "Duplicate Rings": _l("ein Ring steht doppelt"),
    "Invalid Coordinate": _l("ein Punkt hat eine ungültige Koordinate"),
    "Ring is not closed": _l("ein Ring ist nicht geschlossen"),
}


def _rounded(value: str) -> str:
    try:
        return f"{float(value):.6f}"  # a longitude or latitude to about 10 cm
    except ValueError:
        return value


def invalid_reason(geometry: Any) -> str:
    """Why a polygon is invalid, in the page's language, with the place GEOS names."""
    reason = shapely.is_valid_reason(geometry)
    kind, _bracket, where = reason.partition("[")
    words = _INVALID.get(kind)
    if words is None:
        return reason
    where = " ".join(_rounded(v) for v in where.rstrip("]").split())
    return _("%(why)s (bei %(where)s)", why=words, where=where) if where else str(words)


def _features(geojson: Any) -> list[dict]:
    if isinstance(geojson, Path):
        geojson = geojson.read_text(encoding="utf-8")
    if isinstance(geojson, bytes):
        geojson = geojson.decode("utf-8-sig")
    if isinstance(geojson, str):
        geojson = json.loads(geojson)
    if not isinstance(geojson, dict) or geojson.get("type") != "FeatureCollection":
        raise ValueError(_("keine GeoJSON-FeatureCollection"))
    return list(geojson.get("features") or [])


def load_district_level(
    session: Session,
    geojson: Any,
    level: str,
    parent_level: str = TOP_LEVEL,
    *,
    name: str = "upload",
) -> LevelReport:
    """Replace the districts of ``level`` with the polygons of ``geojson`` (a
    FeatureCollection, a path, or its text), each with a ``name`` and optional
    ``nummer``. All or nothing; errors name the feature (1 = the first). The caller
    commits."""
    level = slugify(level)
    report = LevelReport(level)

    def bad(feature: int, column: str, message: str) -> None:
        report.errors.append(RowError(name, feature, column, message, kind="feature"))

    if not level or level == TOP_LEVEL:
        bad(
            0,
            "level",
            _(
                "wählen Sie eine andere Ebene als „%(level)s“ (sie kommt aus den Daten)",
                level=TOP_LEVEL,
            ),
        )
        return report
    if len(level) > LEVEL_MAX:
        bad(0, "level", _("höchstens %(n)s Zeichen", n=LEVEL_MAX))
        return report
    parents = (
        session.exec(
            select(District).where(District.level == parent_level, District.geometry.is_not(None))
        )
        .scalars()
        .all()
    )
    if not parents:
        bad(
            0,
            "parent_level",
            _("es sind keine Bezirke der Ebene „%(level)s“ geladen", level=parent_level),
        )
        return report
    try:
        features = _features(geojson)
    except json.JSONDecodeError as exc:
        bad(
            0,
            "file",
            _(
                "kein gültiges JSON (Zeile %(line)s, Spalte %(col)s)",
                line=exc.lineno,
                col=exc.colno,
            ),
        )
        return report
    except UnicodeDecodeError:
        bad(0, "file", _("nicht in UTF-8 gespeichert"))
        return report
    except ValueError as exc:
        bad(0, "file", str(exc))
        return report
    if not features:
        bad(0, "file", _("enthält keine Bezirke (features)"))
        return report
    parent_shapes = [to_metric(shape(json.loads(p.geometry))) for p in parents]
    others = {d.slug: d.level for d in session.exec(select(District)).scalars()}
    wanted: list[District] = []
    seen: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        title = next((str(props[k]).strip() for k in NAME_KEYS if props.get(k)), "")
        if not title:
            bad(number, "name", _("fehlt (Eigenschaft „name“)"))
            continue
        slug = slugify(str(props.get("slug") or title))
        if slug in seen:
            bad(number, "name", _("derselbe Bezirk wie Nummer %(n)s der Datei", n=seen[slug]))
            continue
        seen[slug] = number
        if others.get(slug) not in (None, level):
            bad(
                number,
                "name",
                _(
                    "„%(slug)s“ ist schon ein Bezirk der Ebene „%(level)s“",
                    slug=slug,
                    level=others[slug],
                ),
            )
            continue
        try:
            geometry = shape(feature.get("geometry"))
        except Exception:  # noqa: BLE001 (shapely raises several kinds)
            bad(number, "geometry", _("fehlt oder ist keine GeoJSON-Geometrie"))
            continue
        if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
            bad(number, "geometry", _("ein %(kind)s, kein Polygon", kind=geometry.geom_type))
            continue
        minx, miny, maxx, maxy = geometry.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            bad(
                number,
                "geometry",
                _("die Koordinaten müssen Längen- und Breitengrade sein (EPSG:4326)"),
            )
            continue
        if not geometry.is_valid:
            bad(
                number,
                "geometry",
                _("ungültiges Polygon: %(why)s", why=invalid_reason(geometry)),
            )
            continue
        metric = to_metric(geometry)
        inside = metric.representative_point()
        parent = next(
            (p for p, s in zip(parents, parent_shapes, strict=True) if s.contains(inside)), None
        )
        if parent is None:
            bad(
                number,
                "geometry",
                _("liegt in keinem Bezirk der Ebene „%(level)s“", level=parent_level),
            )
            continue
        raw_number = next((props[k] for k in NUMBER_KEYS if props.get(k) is not None), None)
        try:
            district_number = int(raw_number) if raw_number is not None else None
        except (TypeError, ValueError):
            bad(number, "nummer", _("„%(value)s“ ist keine ganze Zahl", value=raw_number))
            continue
        source = str(props.get("quelle") or props.get("source") or name)
        if (problem := source_text_problem(source)) is not None:
            bad(number, "quelle", problem)
            continue
        wanted.append(
            District(
                slug=slug,
                name=title,
                level=level,
                parent_slug=parent.slug,
                number=district_number,
                area_km2=round(metric.area / 1e6, 3),
                geometry=json.dumps(mapping(geometry)),
                source=source[:300],
            )
        )
    if report.errors:
        return report
    session.execute(delete(District).where(District.level == level))
    session.flush()
    session.add_all(wanted)
    session.flush()
    state.bump(session, state.AREAS, state.PLANNING)
    report.loaded = len(wanted)
    return report


def levels(session: Session) -> list[str]:
    """The loaded district levels, the Stadtbezirke first."""
    found = {lv for (lv,) in session.execute(select(District.level).distinct())}
    return [TOP_LEVEL, *sorted(found - {TOP_LEVEL})] if found else [TOP_LEVEL]


def level_rows(session: Session, level: str) -> Sequence[District]:
    return (
        session.exec(
            select(District)
            .where(District.level == level, District.geometry.is_not(None))
            .order_by(District.number, District.name)
        )
        .scalars()
        .all()
    )


def level_of(session: Session, slug: str) -> str | None:
    """The level of the district ``slug``, or None when there is no such district."""
    district = session.get(District, slug)
    return district.level if district is not None else None

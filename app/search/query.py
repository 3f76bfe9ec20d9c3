"""The offer search: one ``Filters`` object, one query function for every format.

``Filters`` is parsed from the query string and turns itself into SQL conditions and
URLs (``app/wording.py`` turns a result into a sentence). The HTML page,
the HTMX partial and the JSON/CSV/GeoJSON twins all call ``search_offers``.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, and_, exists, func, or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.catalogue.categories import SLUGS
from app.db.backend import get_backend
from app.geo.gazetteer import Geocoder, Place, PlaceNotFound, locate
from app.i18n import gettext as _
from app.models.catalogue import District, Location, Offer, OfferCategory

DEFAULT_RADIUS_M = 2000
MAX_RADIUS_M = 50_000
MAX_QUERY_LENGTH = 200


class FilterErrors(Exception):
    """Bad query parameters, keyed by the parameter's name."""

    def __init__(self, errors: dict[str, str], filters: "Filters") -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.filters = filters


@dataclass(frozen=True)
class Filters:
    q: str = ""
    kategorie: tuple[str, ...] = ()
    bezirk: str = ""
    alter: int | None = None
    barrierefrei: bool = False
    seite: int = 1
    # Near-me search: ``nahe`` is the place as typed, or the browser's ``lat``/``lon``.
    # ``umkreis`` None means "not chosen": a postcode or district then keeps its area,
    # anything else gets the default radius.
    nahe: str = ""
    lat: float | None = None
    lon: float | None = None
    umkreis: int | None = None
    # What the parser could not read, kept so the form shows the input as typed.
    raw: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def is_empty(self) -> bool:
        return not (self.q or self.kategorie or self.bezirk or self.alter is not None
                    or self.barrierefrei or self.has_point or self.nahe)

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def is_near(self) -> bool:
        return bool(self.nahe) or self.has_point

    @property
    def radius_m(self) -> int:
        return self.umkreis if self.umkreis is not None else DEFAULT_RADIUS_M

    def params(self, **changes: object) -> list[tuple[str, str]]:
        """The query string pairs of these filters, with ``changes`` applied."""
        f = replace(self, **changes) if changes else self
        pairs: list[tuple[str, str]] = []
        if f.q:
            pairs.append(("q", f.q))
        pairs += [("kategorie", k) for k in f.kategorie]
        if f.bezirk:
            pairs.append(("bezirk", f.bezirk))
        if f.alter is not None:
            pairs.append(("alter", str(f.alter)))
        if f.barrierefrei:
            pairs.append(("barrierefrei", "1"))
        if f.nahe:
            pairs.append(("nahe", f.nahe))
        elif f.has_point:
            pairs += [("lat", f"{f.lat:.6f}"), ("lon", f"{f.lon:.6f}")]
        if (f.nahe or f.has_point) and f.umkreis is not None:
            pairs.append(("umkreis", str(f.umkreis)))
        if f.seite != 1:
            pairs.append(("seite", str(f.seite)))
        return pairs

    def query_string(self, **changes: object) -> str:
        return urlencode(self.params(**changes))

    def without(self, name: str, value: str | None = None) -> str:
        """Query string with one filter (or one category) removed, back on page 1."""
        if name == "kategorie" and value is not None:
            return self.query_string(kategorie=tuple(k for k in self.kategorie if k != value),
                                     seite=1)
        empty: dict[str, object] = {"q": "", "kategorie": (), "bezirk": "", "alter": None,
                                    "barrierefrei": False, "nahe": "", "lat": None, "lon": None}
        changes = {name: empty[name], "seite": 1}
        if name in ("nahe", "lat", "lon"):
            changes.update(nahe="", lat=None, lon=None, umkreis=None)
        return self.query_string(**changes)


def _one(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name) or [""]
    return values[-1].strip()


def parse_filters(pairs: Iterable[tuple[str, str]], known_districts: Sequence[str]) -> Filters:
    """Read the search parameters; raise ``FilterErrors`` naming every bad one."""
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    errors: dict[str, str] = {}
    raw: dict[str, str] = {}

    q = _one(params, "q")
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = _("Der Suchbegriff ist zu lang (höchstens %(n)s Zeichen).",
                        n=MAX_QUERY_LENGTH)
        q = q[:MAX_QUERY_LENGTH]

    kategorie: list[str] = []
    for value in params.get("kategorie", []):
        value = value.strip()
        if not value:
            continue
        if value not in SLUGS:
            errors["kategorie"] = _("Die Kategorie „%(value)s“ gibt es nicht.", value=value)
        elif value not in kategorie:
            kategorie.append(value)

    bezirk = _one(params, "bezirk")
    if bezirk and bezirk not in known_districts:
        errors["bezirk"] = _("Den Bezirk „%(value)s“ gibt es nicht.", value=bezirk)
        bezirk = ""

    alter: int | None = None
    raw_alter = _one(params, "alter")
    if raw_alter:
        raw["alter"] = raw_alter
        if raw_alter.isdigit() and int(raw_alter) <= 120:
            alter = int(raw_alter)
        else:
            errors["alter"] = _("Das Alter muss eine ganze Zahl in Jahren sein, "
                                "zum Beispiel 3.")

    barrierefrei = _one(params, "barrierefrei").lower() in ("1", "true", "ja", "on")

    seite = 1
    raw_seite = _one(params, "seite")
    if raw_seite:
        raw["seite"] = raw_seite
        if raw_seite.isdigit() and int(raw_seite) >= 1:
            seite = int(raw_seite)
        else:
            errors["seite"] = _("Die Seite muss eine Zahl ab 1 sein.")

    lat = lon = None
    raw_lat, raw_lon = _one(params, "lat"), _one(params, "lon")
    if raw_lat or raw_lon:
        raw.update(lat=raw_lat, lon=raw_lon)
        try:
            lat, lon = float(raw_lat), float(raw_lon)
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
        except ValueError:
            errors["lat"] = _("Breite (lat) und Länge (lon) müssen beide als Dezimalzahlen "
                              "angegeben werden, zum Beispiel lat=51.48&lon=7.22.")
            lat = lon = None

    umkreis: int | None = None
    raw_umkreis = _one(params, "umkreis")
    if raw_umkreis:
        raw["umkreis"] = raw_umkreis
        if raw_umkreis.isdigit() and 1 <= int(raw_umkreis) <= MAX_RADIUS_M:
            umkreis = int(raw_umkreis)
        else:
            errors["umkreis"] = _("Der Umkreis muss eine Zahl in Metern zwischen 1 und "
                                  "%(max)s sein.", max=MAX_RADIUS_M)

    filters = Filters(q=q, kategorie=tuple(kategorie), bezirk=bezirk, alter=alter,
                      barrierefrei=barrierefrei, seite=seite, nahe=_one(params, "nahe"),
                      lat=lat, lon=lon, umkreis=umkreis, raw=raw)
    if errors:
        raise FilterErrors(errors, filters)
    return filters


@dataclass
class Hit:
    offer: Offer
    distance_m: float | None = None


@dataclass
class SearchResult:
    filters: Filters
    total: int
    hits: list[Hit]
    page: int
    page_size: int | None
    origin: tuple[float, float] | None = None  # (x, y) in EPSG:25832 when near-me
    place: Place | None = None  # the resolved place of a near-me search
    radius_m: int | None = None  # the radius applied; None when an area was kept instead
    # Every id of this page (or of all matches) in result order, with its distance.
    ranked: list[tuple[int, float | None]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        if not self.page_size:
            return 1
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def ids(self) -> list[int]:
        return [h.offer.id for h in self.hits if h.offer.id is not None]

    def near_json(self) -> dict[str, object] | None:
        """The place and radius of a near-me search, for the JSON twin."""
        if self.place is None:
            return None
        return {**self.place.public(), "radius_m": self.radius_m}


def _conditions(session: Session, filters: Filters) -> list[ColumnElement[bool]]:
    backend = get_backend(session.get_bind())
    conds: list[ColumnElement[bool]] = []
    if filters.q:
        text_cond = backend.text_condition(filters.q)
        if text_cond is not None:
            conds.append(text_cond)
    if filters.kategorie:
        conds.append(exists().where(OfferCategory.offer_id == Offer.id,
                                    OfferCategory.category.in_(filters.kategorie)))
    if filters.bezirk:
        conds.append(_district_condition(filters.bezirk))
    if filters.alter is not None:
        a = filters.alter
        conds.append(and_(or_(Offer.age_min.is_(None), Offer.age_min <= a),
                          or_(Offer.age_max.is_(None), Offer.age_max >= a)))
    if filters.barrierefrei:
        conds.append(Offer.barrier_free.is_(True))
    return conds


def _district_condition(slug: str) -> ColumnElement[bool]:
    """Offers of the district ``slug`` or of one of its children."""
    child = select(District.slug).where(District.parent_slug == slug)
    return or_(Offer.district_slug == slug, Offer.district_slug.in_(child))


def search_offers(session: Session, filters: Filters, *, page_size: int | None = 20,
                  origin: tuple[float, float] | None = None,
                  place: Place | None = None, load: bool = True) -> SearchResult:
    """Offers matching ``filters``: one page of ``page_size``, or all when None.

    ``load=False`` leaves ``hits`` empty and only ranks the ids (``ranked``): exports of
    every match read their rows with ``app.export_rows`` instead of ORM objects.

    With ``origin`` (x, y in EPSG:25832) or a resolved ``place``, nearest first, each
    with its distance: within ``filters.radius_m`` metres, or, for a postcode or district
    place without a chosen radius, inside that area (a polygon filter, not a radius).
    """
    backend = get_backend(session.get_bind())
    conds = _conditions(session, filters)
    distance = None
    radius: int | None = None
    base = select(Offer.id)
    if place is not None:
        origin = (place.x, place.y)
    if origin is not None:
        radius = filters.radius_m
        nearby = backend.nearby(origin[0], origin[1], radius)
        if place is not None and place.is_area and filters.umkreis is None:
            radius = None
            conds.append(Location.plz_area == place.plz if place.plz
                         else _district_condition(str(place.district)))
        else:
            conds.append(nearby.condition)
        base = base.outerjoin(Location, Location.id == Offer.location_id)
        distance = nearby.distance
    base = base.where(*conds)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()

    by_name = backend.sortable(Offer.sort_name)
    cols = [Offer.id] if distance is None else [Offer.id, distance.label("distance_m")]
    stmt = select(*cols).where(*conds)
    if distance is not None:
        # Offers of a district without a known point come last, without a distance.
        stmt = stmt.outerjoin(Location, Location.id == Offer.location_id).order_by(
            Location.x.is_(None), distance, by_name, Offer.id)
    else:
        stmt = stmt.order_by(by_name, Offer.id)
    if page_size:
        stmt = stmt.offset((filters.seite - 1) * page_size).limit(page_size)
    rows = session.exec(stmt).all()
    ids = [r[0] for r in rows] if distance is not None else list(rows)
    dist_by_id = ({r[0]: float(r[1]) for r in rows if r[1] is not None}
                  if distance is not None else {})

    ranked = [(i, dist_by_id.get(i)) for i in ids]
    offers = session.exec(
        select(Offer).where(Offer.id.in_(ids)).options(
            selectinload(Offer.location), selectinload(Offer.provider),
            selectinload(Offer.categories))
    ).all() if ids and load else []
    by_id = {o.id: o for o in offers}
    hits = [Hit(by_id[i], dist_by_id.get(i)) for i in ids if i in by_id]
    return SearchResult(filters=filters, total=total, hits=hits, ranked=ranked,
                        page=filters.seite,
                        page_size=page_size, origin=origin, place=place, radius_m=radius)


@dataclass
class SearchOutcome:
    """A search request as the pages see it: the result, or what was wrong with it."""

    filters: Filters
    result: SearchResult | None
    errors: dict[str, str]
    districts: dict[str, str]
    suggestions: list[str] = field(default_factory=list)  # for an unknown place


def run_search(session: Session, pairs: Iterable[tuple[str, str]], *, load: bool = True,
               page_size: int | None, data_dir: Path,
               geocoder: Geocoder | None = None) -> SearchOutcome:
    """Parse the parameters, resolve ``nahe`` or ``lat``/``lon``, search.

    The one entry point of every format: HTML page, HTMX partial, JSON, CSV, GeoJSON
    and the map.
    """
    districts = district_names(session)
    try:
        filters = parse_filters(pairs, list(districts))
    except FilterErrors as exc:
        return SearchOutcome(exc.filters, None, exc.errors, districts)
    try:
        place = locate(session, filters.nahe, filters.lat, filters.lon, data_dir=data_dir,
                       geocoder=geocoder)
    except PlaceNotFound as exc:
        return SearchOutcome(filters, None, {"nahe": exc.message}, districts,
                             exc.suggestions)
    result = search_offers(session, filters, page_size=page_size, place=place, load=load)
    errors: dict[str, str] = {}
    if page_size and result.total and filters.seite > result.pages:
        errors["seite"] = _("Die Seite %(page)s gibt es nicht; es gibt %(pages)s Seiten.",
                            page=filters.seite, pages=result.pages)
    return SearchOutcome(filters, result, errors, districts)


def get_offer(session: Session, offer_id: int) -> Offer | None:
    return session.exec(
        select(Offer).where(Offer.id == offer_id).options(
            selectinload(Offer.location), selectinload(Offer.provider),
            selectinload(Offer.categories), selectinload(Offer.opening_hours))
    ).first()


def district_names(session: Session) -> dict[str, str]:
    rows = session.exec(select(District.slug, District.name).order_by(District.number,
                                                                      District.name)).all()
    return {slug: name for slug, name in rows}


def count_by_category(session: Session) -> dict[str, int]:
    """Offers per category (an offer with several categories counts in each)."""
    rows = session.exec(
        select(OfferCategory.category, func.count()).group_by(OfferCategory.category)
    ).all()
    counts = dict.fromkeys(SLUGS, 0)
    counts.update({slug: n for slug, n in rows})
    return counts

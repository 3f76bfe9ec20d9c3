"""The offer search: one query function behind every format.

``search_offers`` turns ``Filters`` into SQL (full text and spatial parts through the
database backend) and returns one page, or every match as ranked ids for the exports
(``app.search.result``); the map's cell counts and the accessibility count beside it.
"""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.db.backend import get_backend, query_words
from app.geo.places import Place
from app.models import Location, Offer, OfferCategory
from app.search.declare import Query
from app.search.filters import DEFAULT_RADIUS_M, Filters, district_condition
from app.search.filters import conditions as declared_conditions
from app.search.filters import unknowns as declared_unknowns
from app.search.kinds import rare_kinds
from app.search.nearest import nearest_page
from app.search.ranking import RANKINGS, Ranking, build_ranking, shape_key
from app.search.result import Hit, SearchResult
from app.text import sort_key

ACCESSIBILITY_FACTS = (
    Offer.barrier_free,
    Offer.step_free_entrance,
    Offer.accessible_toilet,
    Offer.lift,
    Offer.induction_loop,
    Offer.easy_language,
)


def _conditions(filters: Filters, ctx: Query, archived: bool = False) -> list[ColumnElement[bool]]:
    """Every condition but the text and the place (``search_offers`` adds those)."""
    state = Offer.archived_at.is_not(None) if archived else Offer.archived_at.is_(None)
    return [state, *declared_conditions(filters, ctx)]


def name_tier(q: str) -> ColumnElement[int] | None:
    """0: the name begins with the first word and holds every word (at word starts),
    1: the name holds every word, 2: only the rest of the entry matched. The same on
    every database: ``sort_name`` is the folded name (``app.text.sort_key``)."""
    words = [w for word in query_words(q) for w in sort_key(word).split()]
    if not words:
        return None
    padded = literal(" ") + Offer.sort_name
    in_name = and_(*(padded.like(f"% {w}%") for w in words))
    return case((and_(in_name, Offer.sort_name.like(f"{words[0]}%")), 0), (in_name, 1), else_=2)


def search_offers(
    session: Session,
    filters: Filters,
    *,
    page_size: int | None = 20,
    origin: tuple[float, float] | None = None,
    place: Place | None = None,
    load: bool = True,
    rank_all_up_to: int | None = None,
    archived: bool = False,
    now: datetime | None = None,
    keep: bool = True,
) -> SearchResult:
    """Offers matching ``filters``: one page of ``page_size``, or all when None.

    ``load=False`` leaves ``hits`` empty and only ranks the ids (``ranked``): exports of
    every match read their rows with ``app.export_rows`` instead of ORM objects.
    ``rank_all_up_to``: when there are at most this many matches, every one is ranked
    (the map draws them all) but only the page is loaded; ``result.matches`` is the
    query of every match, for counting them per map cell (``cell_counts``) instead.

    With ``origin`` (x, y in EPSG:25832) or a resolved ``place``, nearest first, each
    with its distance: within the chosen radius (else the place's own, else 2 km), or,
    for a postcode or district place without a chosen radius, inside that area (a
    postcode also keeps the offers whose address carries it). "Bochum" (the whole city)
    filters nothing. A text query without a place ranks by relevance: names that hold
    the words first, then ``bm25`` (SQLite) or ``ts_rank`` (PostgreSQL).

    ``archived=True`` (staff only; never from a public URL) finds the archived offers
    instead of the active ones. ``now``: the moment the clock-dependent filters
    ("open now") are evaluated at (default: the current time). ``keep=False`` asks the
    database for this page and each count separately (the former path, kept to prove
    the ranking's pages equal to it) instead of ranking every match in one pass, kept
    for this query shape and catalogue version (``app.search.ranking``).
    """
    backend = get_backend(session.get_bind())
    ctx = Query.at(now, backend, rare_kinds(session) if filters.kategorie else frozenset())
    conds = _conditions(filters, ctx, archived)
    apart = declared_unknowns(filters, ctx)
    text = backend.text_search(filters.q) if filters.q else None
    if text is not None and text.condition is not None:
        conds.append(text.condition)
    distance = None
    radius: int | None = None
    joins_location = False
    nearby = None
    if place is not None and not place.is_city:
        origin = (place.x, place.y)
    if origin is not None:
        radius = filters.umkreis or (place.radius_m if place else None) or DEFAULT_RADIUS_M
        nearby = backend.nearby(origin[0], origin[1], radius)
        if place is not None and place.is_area and filters.umkreis is None:
            radius = None
            conds.append(
                or_(Location.plz_area == place.plz, Location.postcode == place.plz)
                if place.plz
                else district_condition(str(place.district))
            )
        else:
            conds.append(nearby.condition)
        joins_location = True
        distance = nearby.distance

    def matching(*cols: ColumnElement) -> object:
        stmt = select(*cols)
        if text is not None and text.source is not None:
            stmt = stmt.join(text.source, text.source.c.id == Offer.id)
        if joins_location:
            stmt = stmt.outerjoin(Location, Location.id == Offer.location_id)
        return stmt.where(*conds)

    def matching_from_box() -> Select:
        """The matches' ids as ``matching(Offer.id)``, read from the spatial index's box
        (``Nearby.box``) as the database goes: for the count that stops early."""
        near = nearby
        if near is None or near.box is None or not any(c is near.condition for c in conds):
            return matching(Offer.id)
        stmt = (
            select(Offer.id)
            .select_from(near.box)
            .join(Location, Location.id == near.box.c.id)
            .join(Offer, Offer.location_id == Location.id)
        )
        if text is not None and text.source is not None:
            stmt = stmt.join(text.source, text.source.c.id == Offer.id)
        return stmt.where(*(c for c in conds if c is not near.condition), near.within)

    by_name = backend.sortable(Offer.sort_name)
    cols = [
        Offer.id,
        distance.label("distance_m") if distance is not None else literal(None).label("distance_m"),
    ]
    stmt = matching(*cols, *(case((c, 1), else_=0).label(n) for n, c in apart))
    if apart:
        # Offers whose fact a filter asks about is not known come after the known
        # matches (listed apart, counted, labelled): never silently mixed in.
        stmt = stmt.order_by(case((or_(*(c for _, c in apart)), 1), else_=0))
    if distance is not None:
        # Offers of a district without a known point come last, without a distance.
        stmt = stmt.order_by(Location.x.is_(None), distance, by_name, Offer.id)
    elif text is not None:
        # A query of only punctuation ("_") has no words to rank names by.
        tier = name_tier(filters.q)
        stmt = stmt.order_by(
            *(c for c in (tier, text.relevance) if c is not None), by_name, Offer.id
        )
    else:
        stmt = stmt.order_by(by_name, Offer.id)
    start = (filters.seite - 1) * page_size if page_size else 0
    # Every match in one ordered pass (the count is its length), kept for this query
    # shape and catalogue version; a phone's own position is a new shape every time, so
    # its (small: the spatial index picks it) ranking is not kept.
    ranking = None
    at_least = False
    by_circles = keep and filters.has_point and not apart and page_size and rank_all_up_to is None
    if by_circles and distance is not None and origin is not None and radius is not None:
        total, at_least, ranked = nearest_page(
            session, stmt, matching_from_box(), backend.nearby, origin, radius, start, page_size
        )
        rank_all, unknown_by_id, unknown_counts, apart_total = False, {}, {}, 0
    elif keep:
        shape = None if filters.has_point else shape_key(session, filters, place, ctx.now, archived)

        def rank() -> Ranking:
            # Plain rows through the connection: the ORM's row processing costs more
            # than the database's pass for thousands of (id, distance) pairs.
            rows = session.connection().execute(stmt).all()
            return build_ranking(rows, [n for n, _ in apart])

        ranking = rank() if shape is None else RANKINGS.get_or_build(shape, rank)
        total = ranking.total
        rank_all = rank_all_up_to is not None and total <= rank_all_up_to
        stop = start + page_size if page_size and not rank_all else None
        ranked = ranking.slice(start if stop is not None else 0, stop)
        unknown_by_id = {i: ranking.unknown[i] for i, _ in ranked if i in ranking.unknown}
        unknown_counts = ranking.unknown_counts
        apart_total = ranking.apart_total
    else:
        total, rank_all, ranked, unknown_by_id, unknown_counts, apart_total = _page_query(
            session, stmt, matching, apart, start, page_size, rank_all_up_to
        )
    all_ids = [i for i, _ in ranked]
    dist_by_id = {i: d for i, d in ranked if d is not None}
    ids = all_ids[start : start + page_size] if page_size and rank_all else all_ids
    offers = (
        session.exec(
            select(Offer)
            .where(Offer.id.in_(ids))
            .options(
                selectinload(Offer.location),
                selectinload(Offer.provider),
                selectinload(Offer.categories),
                selectinload(Offer.opening_hours),
                selectinload(Offer.opening_exceptions),
            )
        ).all()
        if ids and load
        else []
    )
    by_id = {o.id: o for o in offers}
    hits = [Hit(by_id[i], dist_by_id.get(i), unknown_by_id.get(i, ())) for i in ids if i in by_id]
    return SearchResult(
        filters=filters,
        total=total,
        hits=hits,
        ranked=ranked,
        page=filters.seite,
        page_size=page_size,
        origin=origin,
        place=place,
        radius_m=radius,
        matches=matching(Offer.id),
        unknown=unknown_by_id,
        unknown_counts=unknown_counts,
        apart_total=apart_total,
        now=ctx.now,
        ranking=ranking,
        total_at_least=at_least,
    )


def _page_query(
    session: Session,
    stmt: Select,
    matching: Callable[..., Select],
    apart: list[tuple[str, ColumnElement[bool]]],
    start: int,
    page_size: int | None,
    rank_all_up_to: int | None,
) -> tuple[int, bool, list, dict, dict, int]:
    """One page (or, up to ``rank_all_up_to`` matches, all) and the counts, each asked
    of the database: (total, all ranked, ranked, unknown by id, counts, apart total)."""
    # A separate count: one pass with count(*) OVER () makes the database sort every
    # match instead of keeping the best page (459 ms against 83 + 235 ms for 100,000).
    total = session.exec(select(func.count()).select_from(matching(Offer.id).subquery())).one()
    rank_all = rank_all_up_to is not None and total <= rank_all_up_to
    if page_size and not rank_all:
        stmt = stmt.offset(start).limit(page_size)
    rows = session.exec(stmt).all()
    ranked = [(r[0], None if r[1] is None else float(r[1])) for r in rows]
    unknown_by_id = {
        r[0]: tuple(n for k, (n, _) in enumerate(apart) if r[2 + k]) for r in rows if apart
    }
    unknown_by_id = {i: names for i, names in unknown_by_id.items() if names}
    unknown_counts = {
        n: session.exec(
            select(func.count()).select_from(matching(Offer.id).where(c).subquery())
        ).one()
        for n, c in apart
    }
    apart_total = (
        session.exec(
            select(func.count()).select_from(
                matching(Offer.id).where(or_(*(c for _, c in apart))).subquery()
            )
        ).one()
        if len(apart) > 1
        else sum(unknown_counts.values())
    )
    return total, rank_all, ranked, unknown_by_id, unknown_counts, apart_total


def cell_counts(
    session: Session, matches: Select, size: float, ranking: Ranking | None = None
) -> list[tuple[int, int, int, float, float]]:
    """(column, row, count, mean x, mean y) of the matches' points per square cell of
    ``size`` metres (EPSG:25832), counted by the database: a map of 100,000 matches
    reads a few dozen rows, not 100,000 points. Kept with the query's ``ranking``."""
    if ranking is not None and size in ranking.cells:
        return ranking.cells[size]
    backend = get_backend(session.get_bind())
    ids = matches.subquery()
    column = backend.cell_index(Location.x, size).label("i")
    row = backend.cell_index(Location.y, size).label("j")
    found = session.exec(
        select(column, row, func.count(), func.avg(Location.x), func.avg(Location.y))
        .select_from(Offer)
        .join(Location, Location.id == Offer.location_id)
        .where(Offer.id.in_(select(ids.c.id)), Location.x.is_not(None))
        .group_by(column, row)
    ).all()
    cells = [(int(i), int(j), int(n), float(x), float(y)) for i, j, n, x, y in found]
    if ranking is not None:
        ranking.cells[size] = cells
    return cells


def count_with_accessibility_facts(session: Session, kinds: tuple[str, ...] = ()) -> int:
    """How many offers (of ``kinds``, if any) have at least one accessibility fact."""
    stmt = (
        select(func.count())
        .select_from(Offer)
        .where(
            Offer.archived_at.is_(None), or_(*(fact.is_not(None) for fact in ACCESSIBILITY_FACTS))
        )
    )
    if kinds:
        stmt = stmt.where(
            exists().where(OfferCategory.offer_id == Offer.id, OfferCategory.category.in_(kinds))
        )
    return session.exec(stmt).one()

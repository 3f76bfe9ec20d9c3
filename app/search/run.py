"""A search request as every page and twin runs it: parse, resolve the place, search."""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from app.catalogue.guidance import guidance_for
from app.catalogue.read import district_names
from app.geo.geocoder import Geocoder
from app.geo.places import PlaceNotFound, Suggestion
from app.geo.resolve import NEIGHBOURHOOD_RADIUS_M, locate
from app.i18n import gettext as _
from app.models import KindGuidance
from app.search.filters import FORM_FIELDS, FilterErrors, Filters, parse_filters
from app.search.query import count_with_accessibility_facts, search_offers
from app.search.result import SearchResult


@dataclass
class SearchOutcome:
    """A search request as the pages see it: the result, or what was wrong with it."""

    filters: Filters
    result: SearchResult | None
    errors: dict[str, str]
    districts: dict[str, str]
    places: list[Suggestion] = field(default_factory=list)  # for an unknown place
    # What the form's fields offer from the catalogue (the languages that occur), by name.
    choices: dict[str, object] = field(default_factory=dict)
    # "How to get a place" of the kinds searched for (pages only), as staff wrote it.
    guidance: list[KindGuidance] = field(default_factory=list)

    @property
    def suggestions(self) -> list[str]:
        return [s.name for s in self.places]


def run_search(
    session: Session,
    pairs: Iterable[tuple[str, str]],
    *,
    load: bool = True,
    page_size: int | None,
    geocoder: Geocoder | None = None,
    neighbourhood_radius_m: int = NEIGHBOURHOOD_RADIUS_M,
    rank_all_up_to: int | None = None,
    archived: bool = False,
    now: datetime | None = None,
    keep: bool = True,
) -> SearchOutcome:
    """Parse the parameters, resolve ``nahe`` or ``lat``/``lon``, search.

    The one entry point of every format: HTML page, HTMX partial, JSON, CSV, GeoJSON
    and the map (``rank_all_up_to``: every match ranked, one page loaded); with
    ``archived=True`` the staff's list of archived offers. ``now``: the moment
    "open now" and each result's opening state are computed for; ``keep`` as
    ``search_offers`` takes it.
    """
    districts = district_names(session)
    # Only the pages show the form (they load the offers; the twins do not).
    choices = {f.name: f.choices(session) for f in FORM_FIELDS} if load else {}
    try:
        filters = parse_filters(pairs, list(districts))
    except FilterErrors as exc:
        return SearchOutcome(exc.filters, None, exc.errors, districts, choices=choices)
    try:
        place = locate(
            session,
            filters.nahe,
            filters.lat,
            filters.lon,
            geocoder=geocoder,
            neighbourhood_radius_m=neighbourhood_radius_m,
        )
    except PlaceNotFound as exc:
        return SearchOutcome(filters, None, {"nahe": exc.message}, districts, exc.places, choices)
    if (
        place is not None
        and place.x is not None
        and not (math.isfinite(place.x) and math.isfinite(place.y))
    ):
        # A point the metric grid (EPSG:25832) cannot hold: far outside Europe.
        return SearchOutcome(
            filters,
            None,
            {
                "lat": _(
                    "Dieser Standort liegt zu weit von Bochum entfernt, um Entfernungen zu "
                    "berechnen."
                )
            },
            districts,
            choices=choices,
        )
    result = search_offers(
        session,
        filters,
        page_size=page_size,
        place=place,
        load=load,
        rank_all_up_to=rank_all_up_to,
        archived=archived,
        now=now,
        keep=keep,
    )
    if filters.barrierefrei and not result.total:
        result.accessibility_known = count_with_accessibility_facts(session, filters.kategorie)
    errors: dict[str, str] = {}
    if page_size and result.total and filters.seite > result.pages:
        errors["seite"] = _(
            "Die Seite %(page)s gibt es nicht; es gibt %(pages)s Seiten.",
            page=filters.seite,
            pages=result.pages,
        )
    kinds = list(filters.kategorie)
    guidance = guidance_for(session, kinds) if load else []
    return SearchOutcome(filters, result, errors, districts, choices=choices, guidance=guidance)

"""The Open Referral HSDS 3.0 read API under /api/hsds/: the required endpoints
(``/``, ``/services``, ``/services/{id}``) and the optional ones (organizations,
service_at_locations, taxonomies, taxonomy_terms), with the spec's paging envelope
and query parameters; ``format=ndjson`` streams every match without paging (the
whole-catalogue dump). Routes translate HTTP into one call of ``app.hsds.read``."""

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BeforeValidator

from app.deps import SessionDep
from app.hsds import read
from app.hsds.query import ServiceFilters
from app.hsds.serialise import LOST
from app.i18n import gettext as _
from app.web.apidocs import Operation
from app.web.openapi import INVALID, NOT_FOUND

router = APIRouter(prefix="/api/hsds", tags=["HSDS 3.0 (Open Referral)"])
# The profile: the section of GET /api/hsds/ on /api/docs (how we map to HSDS, what
# is lost), by the anchor the page gives that operation.
DOCS_ANCHOR = Operation("get", f"{router.prefix}/", "", "").anchor

NDJSON = "application/x-ndjson"
SCHEMA_NOTE = (
    "Validates against the HSDS 3.0 schema {}; the JSON Schemas are at "
    "https://github.com/openreferral/specification/tree/3.0/schema."
)


def _answers(schema: str, listing: bool) -> dict[int | str, dict[str, Any]]:
    content: dict[str, Any] = {"application/json": {"schema": {"type": "object"}}}
    if listing:
        content[NDJSON] = {"schema": {"type": "string"}}
    return {
        200: {"description": SCHEMA_NOTE.format(schema), "content": content},
        **INVALID,
        **({} if listing else NOT_FOUND),
    }


Search = Annotated[str | None, Query(max_length=200, description="full-text search")]
PageNo = Annotated[int, Query(ge=1, le=100_000, description="page number, from 1")]
PerPage = Annotated[int, Query(ge=1, le=1000, description="items per page")]
Format = Annotated[
    Literal["json", "ndjson"],
    Query(description="`ndjson`: every match, one object per line, without paging"),
]
Full = Annotated[
    bool | None,
    Query(description="fully nested items (default: yes with ndjson, no in pages)"),
]
Minimal = Annotated[
    bool, Query(description="only id, name, status and last_modified of each service")
]
IdParam = Annotated[str | None, Query(max_length=100)]


def _iso_only(value: object) -> object:
    """The spec's ``date-time`` only: pydantic would also take a Unix timestamp ("0.0")."""
    if isinstance(value, str) and not re.match(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError("an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z")
    return value


ModifiedAfter = Annotated[
    datetime | None,
    BeforeValidator(_iso_only),
    Query(description="only entries changed on or after this time (ISO 8601, UTC if no offset)"),
]
Postcode = Annotated[
    str | None, Query(max_length=10, description="postcode of the address or point")
]
Proximity = Annotated[
    float | None,
    Query(
        ge=0,
        le=100_000,
        allow_inf_nan=False,
        description="metres around the centre of `postcode` (needs `postcode`)",
    ),
]


ItemId = Annotated[
    str,
    Path(
        max_length=36,
        pattern=r"^[0-9A-Za-z-]+$",
        description="the UUID (or our integer offer id, for services)",
    ),
]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return (datetime.min if value.year < 2 else datetime.max).replace(tzinfo=UTC)


def _mode(full: bool | None, minimal: bool, streamed: bool) -> read.Mode:
    if minimal:
        return "minimal"
    return "full" if (full if full is not None else streamed) else "list"


def _stream(lines: Any) -> StreamingResponse:
    return StreamingResponse(lines, media_type=NDJSON)


def _not_found(what: str, value: str) -> JSONResponse:
    return JSONResponse(
        {"detail": _("%(kind)s %(id)s nicht gefunden.", kind=what, id=value)}, status_code=404
    )


class Paging:
    """``page``, ``per_page`` and ``format`` of every list."""

    def __init__(self, page: PageNo = 1, per_page: PerPage = 50, format: Format = "json") -> None:
        self.page = page
        self.per_page = per_page
        self.streamed = format == "ndjson"


class ServiceQuery:
    """The filters of the service lists (``/services``, ``/service_at_locations``)."""

    def __init__(
        self,
        search: Search = None,
        taxonomy_term_id: IdParam = None,
        taxonomy_id: IdParam = None,
        organization_id: IdParam = None,
        modified_after: ModifiedAfter = None,
        full: Full = None,
    ) -> None:
        self.values = {
            "search": search,
            "taxonomy_term_id": taxonomy_term_id,
            "taxonomy_id": taxonomy_id,
            "organization_id": organization_id,
            "modified_after": _utc(modified_after),
        }
        self.full = full

    def filters(self, **more: Any) -> ServiceFilters:
        return ServiceFilters(**self.values, **more)


PagingDep = Annotated[Paging, Depends()]
ServiceQueryDep = Annotated[ServiceQuery, Depends()]


ABOUT = (
    """Which HSDS this API speaks (3.0), its profile and its OpenAPI document.

    Every `id` is a stable UUID (uuid5 of the record's own identity: source and
    source id of an offer, or the service id of the HSDS feed it came from; a
    provider's name; the kind's code), the same on every run and in every database;
    `/services/{id}` and `/service_at_locations/{id}` also take our integer offer id.
    Our offer kinds are the taxonomy "Familienwegweiser Bochum: Angebotsarten"
    (attributes of each service, the main kind with value "main"), the forms of an
    offer (vor-ort, online, telefon, aufsuchend) the taxonomy "Familienwegweiser
    Bochum: Angebotsformen" (attributes without a value). Opening hours are
    WEEKLY schedules (byday, opens_at, closes_at, local time in Bochum), exceptions
    are dated schedules (valid_from, valid_to; description "geschlossen" or
    "abweichende Öffnungszeiten", the reason in notes); the holiday rules are
    schedules with a description only: "An gesetzlichen Feiertagen (NRW)
    geschlossen" or "Auch an gesetzlichen Feiertagen (NRW) geöffnet", and "In den
    Schulferien (NRW) geschlossen: " with the holidays named, e.g. "Sommerferien (die
    ersten 3 Wochen), Herbstferien". The costs are one cost_option: the text in
    amount_description, the kind in option ("kostenlos", with amount 0 and currency
    EUR; "kostenpflichtig"; "einkommensabhängig"). Ages are minimum_age and
    maximum_age in years (months / 12), the target group is eligibility_description;
    the source, its date and address are metadata rows (last_action_type "source"),
    the last check by a person is assured_date, the last change last_modified.
    The data keep the licences of their sources (see /ueber); the schemas are
    Open Referral's, CC BY-SA 4.0.
"""
    + LOST
)


@router.get(
    "/",
    name="hsds_about",
    description=ABOUT,
    responses=_answers("openapi.json (the answer of GET /)", False),
)
def about(request: Request) -> dict[str, Any]:
    return read.about(_base(request), DOCS_ANCHOR)


@router.get(
    "/services",
    name="hsds_services",
    responses=_answers("compiled/service_list.json (items)", True),
)
def services(
    request: Request,
    session: SessionDep,
    query: ServiceQueryDep,
    paging: PagingDep,
    minimal: Minimal = False,
) -> Response:
    """Services (our offers, not archived), by id, in the spec's paging envelope; items
    with the one-to-one fields (`full=true`: fully nested). `format=ndjson` streams
    every match as fully nested services, one per line (the whole-catalogue dump)."""
    f = query.filters()
    mode = _mode(query.full, minimal, paging.streamed)
    if paging.streamed:
        return _stream(read.ndjson(session.get_bind(), f, mode, _base(request)))
    conn = session.connection()
    return JSONResponse(
        read.services_page(conn, f, paging.page, paging.per_page, mode, _base(request))
    )


@router.get("/services/{id}", name="hsds_service", responses=_answers("service.json", False))
def service(request: Request, session: SessionDep, id: ItemId) -> Response:
    """One fully nested service: organization, service_at_locations with location,
    address and accessibility, phones, schedules, languages, cost_options,
    service_areas, attributes (kinds and forms of offer as taxonomy terms), metadata
    (source)."""
    found = read.service(session.connection(), id, _base(request))
    return JSONResponse(found) if found else _not_found("Service", id)


@router.get(
    "/organizations",
    name="hsds_organizations",
    responses=_answers("compiled/organization_list.json (items)", True),
)
def organizations(
    request: Request,
    session: SessionDep,
    paging: PagingDep,
    search: Search = None,
    full_service: bool = False,
    full: Full = None,
) -> Response:
    """Organizations (our providers, Träger), by id; `full=true` adds their services
    (`full_service=true`: fully nested)."""
    nested = full if full is not None else paging.streamed
    if paging.streamed:
        return _stream(
            read.organizations_ndjson(
                session.get_bind(), search, nested, full_service, _base(request)
            )
        )
    return JSONResponse(
        read.organizations_page(
            session.connection(),
            search,
            paging.page,
            paging.per_page,
            nested,
            full_service,
            _base(request),
        )
    )


@router.get(
    "/organizations/{id}",
    name="hsds_organization",
    responses=_answers("compiled/organization.json", False),
)
def organization(
    request: Request, session: SessionDep, id: ItemId, full_service: bool = False
) -> Response:
    """One organization with its services (`full_service=true`: fully nested)."""
    found = read.organization(session.connection(), id, full_service, _base(request))
    return JSONResponse(found) if found else _not_found("Organization", id)


@router.get(
    "/service_at_locations",
    name="hsds_service_at_locations",
    responses=_answers("compiled/service_at_location_list.json (items)", True),
)
def service_at_locations(
    request: Request,
    session: SessionDep,
    query: ServiceQueryDep,
    paging: PagingDep,
    postcode: Postcode = None,
    proximity: Proximity = None,
) -> Response:
    """Services at their location (offers with an address or point). `postcode`: the
    address has it or the point lies in it; with `proximity`: within that many metres
    of the postcode area's centre."""
    # no postcode holds NUL (PostgreSQL text cannot take it: a 500 before)
    plz = postcode.replace("\x00", "").strip() or None if postcode else None
    f = query.filters(postcode=plz, proximity=proximity)
    mode = _mode(query.full, False, paging.streamed)
    if paging.streamed:
        return _stream(read.ndjson(session.get_bind(), f, mode, _base(request), at_locations=True))
    return JSONResponse(
        read.service_at_locations_page(
            session.connection(), f, paging.page, paging.per_page, mode, _base(request)
        )
    )


@router.get(
    "/service_at_locations/{id}",
    name="hsds_service_at_location",
    responses=_answers(
        "compiled/service_at_location.json (service_at_location.json + service)", False
    ),
)
def service_at_location(request: Request, session: SessionDep, id: ItemId) -> Response:
    """One service at its location, fully nested, with the service."""
    found = read.service_at_location(session.connection(), id, _base(request))
    return JSONResponse(found) if found else _not_found("Service at location", id)


@router.get(
    "/taxonomies", name="hsds_taxonomies", responses=_answers("taxonomy.json (items)", True)
)
def taxonomies(request: Request, paging: PagingDep, search: Search = None) -> Response:
    """The taxonomies: our offer kinds ("Familienwegweiser Bochum: Angebotsarten") and
    the forms of an offer ("Familienwegweiser Bochum: Angebotsformen")."""
    if paging.streamed:
        return _stream(read.lines(read.taxonomy_list(search, _base(request))))
    return JSONResponse(read.taxonomies_page(search, paging.page, paging.per_page, _base(request)))


@router.get("/taxonomies/{id}", name="hsds_taxonomy", responses=_answers("taxonomy.json", False))
def taxonomy(request: Request, id: ItemId) -> Response:
    found = read.taxonomy_by_id(id, _base(request))
    return JSONResponse(found) if found else _not_found("Taxonomy", id)


@router.get(
    "/taxonomy_terms",
    name="hsds_taxonomy_terms",
    responses=_answers("taxonomy_term.json (items)", True),
)
def taxonomy_terms(
    request: Request,
    paging: PagingDep,
    search: Search = None,
    taxonomy_id: IdParam = None,
    top_only: bool | None = None,
    parent_id: IdParam = None,
) -> Response:
    """The terms: one per offer kind and one per form of an offer, `code` its short
    name in our URLs, `term_uri` the search of it."""
    items = read.term_list(search, taxonomy_id, top_only, parent_id, _base(request))
    if paging.streamed:
        return _stream(read.lines(items))
    return JSONResponse(
        read.terms_page(
            search, taxonomy_id, top_only, parent_id, paging.page, paging.per_page, _base(request)
        )
    )


@router.get(
    "/taxonomy_terms/{id}",
    name="hsds_taxonomy_term",
    responses=_answers("taxonomy_term.json", False),
)
def taxonomy_term(request: Request, id: ItemId) -> Response:
    found = read.term_by_id(id, _base(request))
    return JSONResponse(found) if found else _not_found("Taxonomy term", id)

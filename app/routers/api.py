"""The admin API (/api/v1): offers (providers: ``app.routers.api_providers``).

Reading public data needs no token (``public``); reading what is not public (change
logs) needs a token with the role reader (``reader``); every write needs a token with
the role editor (``editor``). The protection is the routers' dependencies, never a
check inside a route. GET answers carry an ``ETag`` (the version); PUT and PATCH take
``If-Match`` (or ``version`` in the body) and answer 409 when it is old.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.catalogue import edits
from app.catalogue.history import changes_of
from app.catalogue.public import offer_detail, public_offers
from app.catalogue.writers import SourceInfo
from app.config import get_settings
from app.deps import API_EDITORS, API_READERS, ApiEditorDep, OptionalTokenDep, SessionDep
from app.formats import offers as formats
from app.i18n import gettext as _
from app.models import (
    ApiToken,
    Offer,
    OfferCreate,
    OfferDetail,
    OfferReplace,
    OfferUpdate,
)
from app.routers.api_common import (
    AUTH,
    TAGS,
    WRITE,
    Change,
    Id,
    IfMatch,
    answer,
    api_actor,
    etag,
    not_found,
)
from app.search.filters import SearchQuery
from app.search.run import run_search
from app.staff.roles import allows
from app.web.openapi import NOT_FOUND, ValidationProblem, with_query
from app.web.search_context import search_moment, unprocessable

public = APIRouter(prefix="/api/v1", tags=TAGS)
reader = APIRouter(prefix="/api/v1", tags=TAGS, dependencies=API_READERS, responses=AUTH)
editor = APIRouter(prefix="/api/v1", tags=TAGS, dependencies=API_EDITORS, responses=WRITE)

SOURCE_LABEL = "Redaktion Familienwegweiser (Stadt Bochum)"
ConfirmOutside = Annotated[
    bool,
    Header(
        alias="Confirm-Outside-City",
        description="true: staff confirm a point (lat, lon) outside the city area; "
        "without it such a point is a 422 naming lat and lon",
    ),
]


def _load(session: Session, offer_id: int) -> Offer | None:
    return session.exec(
        select(Offer)
        .where(Offer.id == offer_id)
        .options(
            selectinload(Offer.location),
            selectinload(Offer.provider),
            selectinload(Offer.categories),
            selectinload(Offer.opening_hours),
            selectinload(Offer.opening_exceptions),
        )
    ).first()


def _offer_response(session: Session, offer: Offer, status_code: int = 200) -> JSONResponse:
    session.refresh(offer)
    detail = offer_detail(session, offer)
    headers = {"ETag": etag(offer.version), "Cache-Control": "no-store"}
    if status_code == 201:
        headers["Location"] = f"/api/v1/offers/{offer.id}"
    return JSONResponse(detail.model_dump(mode="json"), status_code=status_code, headers=headers)


# --- offers: reading --------------------------------------------------------------------


@public.get(
    "/offers",
    response_model=formats.SearchPage,
    openapi_extra=with_query(SearchQuery),
    responses={422: {"model": ValidationProblem, "description": "Bad parameter"}},
)
def list_offers(request: Request, session: SessionDep) -> Response:
    """Active offers, searched like ``/angebote`` (same parameters, same query, the
    same moment for "geoeffnet")."""
    found = run_search(
        session,
        request.query_params.multi_items(),
        page_size=get_settings().page_size,
        load=False,
        now=search_moment(request),
    )
    if found.errors or found.result is None:
        return unprocessable(found.errors, found.places)
    return JSONResponse(formats.to_json(found.result, public_offers(session, found.result.ranked)))


# The token is optional here (a reader's token shows archived offers too): OpenAPI's
# empty security requirement says that anonymous requests are answered as well.
@public.get(
    "/offers/{offer_id}",
    response_model=OfferDetail,
    responses=NOT_FOUND,
    openapi_extra={"security": [{}]},
)
def read_offer(offer_id: Id, session: SessionDep, token: OptionalTokenDep) -> Response:
    """One offer with its ``ETag``. Archived offers only with a token (role reader)."""
    offer = _load(session, offer_id)
    if offer is None or (
        offer.archived_at is not None and not (token and allows(token.role, "reader"))
    ):
        return not_found(_("Angebot"), offer_id)
    return _offer_response(session, offer)


@reader.get("/offers/{offer_id}/changes", response_model=list[Change], responses=NOT_FOUND)
def offer_changes(offer_id: Id, session: SessionDep) -> Response:
    """Who changed what, when and through what (newest first)."""
    if session.get(Offer, offer_id) is None:
        return not_found(_("Angebot"), offer_id)
    return JSONResponse(
        [
            Change.model_validate(c, from_attributes=True).model_dump(mode="json")
            for c in changes_of(session, offer_id)
        ]
    )


# --- offers: writing --------------------------------------------------------------------


@editor.post("/offers", status_code=201, response_model=OfferDetail)
def create(
    data: OfferCreate, session: SessionDep, token: ApiEditorDep, confirm: ConfirmOutside = False
) -> Response:
    outcome = edits.create(
        session,
        data,
        api_actor(token),
        source=SourceInfo(source="redaktion", source_id="", source_label=SOURCE_LABEL),
        confirm_outside=confirm,
    )
    return answer(session, outcome, lambda s, offer: _offer_response(s, offer, status_code=201))


def _write(
    session: Session,
    offer_id: int,
    if_match: str | None,
    body_version: int | None,
    changes: dict[str, Any] | None,
    token: ApiToken,
    action: edits.Action = "update",
    confirm: bool = False,
) -> Response:
    offer = _load(session, offer_id)
    if offer is None:
        return not_found(_("Angebot"), offer_id)
    outcome = edits.edit(
        session,
        offer,
        api_actor(token),
        changes=changes,
        action=action,
        based_on=edits.claimed_versions(if_match, body_version),
        confirm_outside=confirm,
    )
    return answer(session, outcome, _offer_response)


@editor.put("/offers/{offer_id}", response_model=OfferDetail)
def replace(
    offer_id: Id,
    data: OfferReplace,
    session: SessionDep,
    token: ApiEditorDep,
    if_match: IfMatch = None,
    confirm: ConfirmOutside = False,
) -> Response:
    """Replace the whole offer (fields left out become empty)."""
    changes = data.model_dump(exclude={"version"})
    return _write(session, offer_id, if_match, data.version, changes, token, confirm=confirm)


@editor.patch("/offers/{offer_id}", response_model=OfferDetail)
def patch(
    offer_id: Id,
    data: OfferUpdate,
    session: SessionDep,
    token: ApiEditorDep,
    if_match: IfMatch = None,
    confirm: ConfirmOutside = False,
) -> Response:
    """Change the fields given; the others stay."""
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    return _write(session, offer_id, if_match, data.version, changes, token, confirm=confirm)


@editor.post("/offers/{offer_id}/archive", response_model=OfferDetail)
def archive(
    offer_id: Id, session: SessionDep, token: ApiEditorDep, if_match: IfMatch = None
) -> Response:
    """Take the offer out of every public list (kept, with its history)."""
    return _write(session, offer_id, if_match, None, None, token, "archive")


@editor.post("/offers/{offer_id}/restore", response_model=OfferDetail)
def restore(
    offer_id: Id, session: SessionDep, token: ApiEditorDep, if_match: IfMatch = None
) -> Response:
    return _write(session, offer_id, if_match, None, None, token, "restore")


@editor.post("/offers/{offer_id}/verify", response_model=OfferDetail)
def verify(
    offer_id: Id, session: SessionDep, token: ApiEditorDep, if_match: IfMatch = None
) -> Response:
    """A person checked the entry today and found it unchanged."""
    return _write(session, offer_id, if_match, None, None, token, "verify")

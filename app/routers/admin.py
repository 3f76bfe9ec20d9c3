"""Staff pages for offers: the list (the public search, plus archived ones), create,
edit (with the merge page on an old version), archive, restore, verify, and the
history with "restore this state". Every route is behind ``STAFF_PAGES``."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.catalogue import corrections, edits, history, provider_edits, review
from app.catalogue.audit import snapshot
from app.catalogue.calendar import unknown_school_years_ahead
from app.catalogue.notes import data_note
from app.catalogue.read import count_closing_in_school_holidays, district_names, offers_to_place
from app.catalogue.write import create_offer
from app.catalogue.writers import SourceInfo
from app.deps import STAFF_PAGES, SessionDep, StaffDep
from app.importer.upload_format import to_upload_csv
from app.maps import offer_map
from app.models import Offer
from app.search.run import run_search
from app.staff.sessions import SignedIn
from app.web import offer_form, offer_words
from app.web.search_context import search_moment
from app.web.staff import offer_or_404, page, see_other, staff_actor

router = APIRouter(prefix="/verwaltung", dependencies=STAFF_PAGES, include_in_schema=False)

OfferId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PAGE_SIZE = 50
STAFF_SOURCE_LABEL = "Redaktion Familienwegweiser (Stadt Bochum)"


@router.get("", response_class=HTMLResponse, name="admin_home")
def home(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    due = review.due_for_check(session, limit=1).total
    return page(
        request,
        "pages/admin/home.html",
        {
            "unplaced": len(offers_to_place(session)),
            "due": due,
            "duplicates": len(review.likely_duplicates(session)),
            "corrections": corrections.count_open(session),
            "provider_edits": provider_edits.open_total(session),
            "status": request.query_params.get("status"),
            "unknown_school_years": unknown_school_years_ahead(search_moment(request).date()),
            "closing_in_school_holidays": count_closing_in_school_holidays(session),
        },
    )


def _list_params(request: Request) -> tuple[list[tuple[str, str]], bool]:
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "status"]
    return pairs, request.query_params.get("status") == "archiviert"


@router.get("/angebote", response_class=HTMLResponse, name="admin_offers")
def offers(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    """The public search (same parameters and query), or the archived offers."""
    pairs, archived = _list_params(request)
    found = run_search(session, pairs, page_size=PAGE_SIZE, archived=archived)
    return page(
        request,
        "pages/admin/offers.html",
        {
            "found": found,
            "result": found.result,
            "filters": found.filters,
            "errors": found.errors,
            "districts": found.districts,
            "archived": archived,
            "query": request.url.query,
        },
    )


@router.get("/angebote.csv", name="admin_offers_csv")
def offers_csv(request: Request, staff: StaffDep, session: SessionDep) -> Response:
    """Every offer of the list in the upload template's columns: edit, upload again."""
    pairs, archived = _list_params(request)
    found = run_search(session, pairs, page_size=None, load=False, archived=archived)
    ids = [offer_id for offer_id, _ in found.result.ranked] if found.result else []
    return Response(
        to_upload_csv(session, ids),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="angebote.csv"',
            "Cache-Control": "no-store",
        },
    )


def _form_page(
    request: Request,
    session: Session,
    *,
    offer: Offer | None,
    raw: dict[str, Any],
    errors: dict[str, str] | None = None,
    version: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "pages/admin/offer_form.html",
        {
            "offer": offer,
            "raw": raw,
            "errors": errors or {},
            "version": version if version is not None else (offer.version if offer else None),
            "exception_rows": offer_form.exception_rows(raw),
            "districts": district_names(session),
            "map": offer_map.offer_map(session, offer) if offer else None,
            "weekdays": offer_form.WEEKDAYS,
            "status": request.query_params.get("status"),
            "note": data_note(session, offer) if offer else None,
        },
        status_code=status_code,
    )


@router.get("/angebote/neu", response_class=HTMLResponse, name="admin_offer_new")
def new_offer(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    return _form_page(request, session, offer=None, raw=offer_form.form_state({"city": "Bochum"}))


@router.post("/angebote/neu", response_class=HTMLResponse, name="admin_offer_create")
async def create(request: Request, staff: StaffDep, session: SessionDep) -> Response:
    form = await request.form()
    parsed = offer_form.parse_offer_form(form, form.getlist)
    if parsed.errors or parsed.data is None:
        return _form_page(
            request, session, offer=None, raw=parsed.raw, errors=parsed.errors, status_code=422
        )
    offer = create_offer(
        session,
        parsed.data,
        staff_actor(staff),
        source=SourceInfo(source="redaktion", source_id="", source_label=STAFF_SOURCE_LABEL),
    )
    session.commit()
    return see_other(f"/verwaltung/angebote/{offer.id}?status=angelegt")


@router.get("/angebote/{offer_id}", response_class=HTMLResponse, name="admin_offer")
def edit_offer(
    request: Request, offer_id: OfferId, staff: StaffDep, session: SessionDep
) -> HTMLResponse:
    offer = offer_or_404(session, offer_id)
    return _form_page(request, session, offer=offer, raw=offer_form.form_state(snapshot(offer)))


def _conflict_page(
    request: Request, session: Session, offer: Offer, form: Any, plan: history.Merge
) -> HTMLResponse:
    skip = {"csrf_token", "version", "base_version"}
    carried = [
        (k, v)
        for k, v in form.multi_items()
        if k not in skip and not k.startswith("take_") and isinstance(v, str)
    ]
    since = [c for c in history.changes_of(session, offer.id) if c.version > plan.base_version]
    return page(
        request,
        "pages/admin/offer_conflict.html",
        {
            "offer": offer,
            "plan": plan,
            "carried": carried,
            "since": since,
            "labels": offer_words.FIELD_LABELS,
            "display": offer_words.display,
        },
        status_code=409,
    )


@router.post("/angebote/{offer_id}", response_class=HTMLResponse, name="admin_offer_save")
async def save_offer(
    request: Request, offer_id: OfferId, staff: StaffDep, session: SessionDep
) -> Response:
    """Save the form. Based on an old version: 409 and the merge page (stored and typed
    side by side); its form comes back here with ``base_version`` and the choices."""
    offer = offer_or_404(session, offer_id)
    form = await request.form()
    parsed = offer_form.parse_offer_form(form, form.getlist, current=snapshot(offer))
    if parsed.errors or parsed.values is None:
        return _form_page(
            request,
            session,
            offer=offer,
            raw=parsed.raw,
            errors=parsed.errors,
            version=parsed.version,
            status_code=422,
        )
    outcome = edits.edit(
        session,
        offer,
        staff_actor(staff),
        changes=parsed.values,
        based_on=edits.claimed_versions(None, parsed.version),
        base_version=_version(form, "base_version"),
        take_stored={k[5:] for k, v in form.items() if k.startswith("take_") and v == "stored"},
        verify=form.get("pruefen") == "1",
    )
    if isinstance(outcome, edits.Conflict) and outcome.plan is not None:
        return _conflict_page(request, session, offer, form, outcome.plan)
    if isinstance(outcome, edits.Invalid) and isinstance(outcome.error, ValidationError):
        return _form_page(
            request,
            session,
            offer=offer_or_404(session, offer_id),
            raw=parsed.raw,
            errors=offer_form.model_errors(outcome.error),
            version=parsed.version,
            status_code=422,
        )
    status = "gespeichert-geprueft" if form.get("pruefen") == "1" else "gespeichert"
    return see_other(f"/verwaltung/angebote/{offer_id}?status={status}")


def _version(form: Any, name: str = "version") -> int | None:
    value = form.get(name)
    return int(value) if isinstance(value, str) and value.isdigit() else None


async def _one_click(
    request: Request, offer_id: int, staff: SignedIn, session: Session, action: Any, status: str
) -> Response:
    offer = offer_or_404(session, offer_id)
    form = await request.form()
    outcome = edits.edit(
        session,
        offer,
        staff_actor(staff),
        action=action,
        based_on=edits.claimed_versions(None, _version(form)),
    )
    if isinstance(outcome, edits.Conflict):
        return see_other(f"/verwaltung/angebote/{offer_id}?status=veraltet")
    back = form.get("zurueck")
    if isinstance(back, str) and back.startswith("/verwaltung/") and not back.startswith("//"):
        return see_other(back)
    return see_other(f"/verwaltung/angebote/{offer_id}?status={status}")


@router.post("/angebote/{offer_id}/archivieren", name="admin_offer_archive")
async def archive(
    request: Request, offer_id: OfferId, staff: StaffDep, session: SessionDep
) -> Response:
    return await _one_click(request, offer_id, staff, session, "archive", "archiviert")


@router.post("/angebote/{offer_id}/wiederherstellen", name="admin_offer_restore")
async def restore(
    request: Request, offer_id: OfferId, staff: StaffDep, session: SessionDep
) -> Response:
    return await _one_click(request, offer_id, staff, session, "restore", "wiederhergestellt")


@router.post("/angebote/{offer_id}/pruefen", name="admin_offer_verify")
async def verify(
    request: Request, offer_id: OfferId, staff: StaffDep, session: SessionDep
) -> Response:
    """ "geprüft, unverändert": a person checked the entry today."""
    return await _one_click(request, offer_id, staff, session, "verify", "geprueft")


@router.get("/angebote/{offer_id}/verlauf", response_class=HTMLResponse, name="admin_offer_history")
def offer_history(
    request: Request, offer_id: OfferId, staff: StaffDep, session: SessionDep
) -> HTMLResponse:
    """Who changed what, when and through what; every earlier state can come back."""
    offer = offer_or_404(session, offer_id)
    return page(
        request,
        "pages/admin/history.html",
        {
            "offer": offer,
            "changes": history.changes_of(session, offer.id),
            "labels": offer_words.FIELD_LABELS,
            "display": offer_words.display,
            "status": request.query_params.get("status"),
        },
    )


@router.post(
    "/angebote/{offer_id}/verlauf/{version}/wiederherstellen", name="admin_offer_restore_state"
)
async def restore_state(
    request: Request,
    offer_id: OfferId,
    version: Annotated[int, Path(ge=1, le=2**31 - 1)],
    staff: StaffDep,
    session: SessionDep,
) -> Response:
    offer = offer_or_404(session, offer_id)
    if version > offer.version:
        raise HTTPException(status_code=404)
    form = await request.form()
    outcome = edits.restore_version(
        session,
        offer,
        version,
        staff_actor(staff),
        based_on=edits.claimed_versions(None, _version(form)),
    )
    if not isinstance(outcome, edits.Applied):
        return see_other(f"/verwaltung/angebote/{offer_id}/verlauf?status=veraltet")
    return see_other(f"/verwaltung/angebote/{offer_id}/verlauf?status=wiederhergestellt")

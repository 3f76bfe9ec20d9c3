"""Suggested corrections: the public form on every offer ("Fehler melden") and the
staff's queue (/verwaltung/korrekturen). The workflow is ``app.catalogue.corrections``."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response

from app.catalogue import corrections, provider_edits
from app.catalogue.read import get_offer
from app.config import get_settings
from app.deps import (
    PROVIDER_AREA,
    PROVIDER_PAGES,
    STAFF_PAGES,
    ProviderDep,
    SessionDep,
    StaffDep,
    client_address,
)
from app.i18n import gettext as _
from app.mail import mail_configured
from app.models import Correction, Offer
from app.web import public_forms
from app.web.render import render
from app.web.staff import offer_or_404, page, see_other

public = APIRouter(include_in_schema=False)
router = APIRouter(prefix="/verwaltung", dependencies=STAFF_PAGES, include_in_schema=False)
# A provider (Träger) account: the suggestions for its own offers; it may answer them
# only when its edits are published at once (PROVIDER_EDITS=publish).
provider = APIRouter(prefix=PROVIDER_AREA, dependencies=PROVIDER_PAGES, include_in_schema=False)

OfferId = Annotated[int, Path(ge=1, le=2**31 - 1)]
CorrectionId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _public_offer(session: SessionDep, offer_id: int) -> Offer:
    offer = get_offer(session, offer_id)
    if offer is None:
        raise HTTPException(status_code=404)
    return offer


def _form(
    request: Request,
    offer: Offer,
    typed: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    value, new = public_forms.binding(request)
    response = render(
        request,
        "pages/correction_form.html",
        {
            "offer": offer,
            "fields": corrections.FIELDS,
            "current": {k: corrections.current_value(offer, k) for k in corrections.FIELDS},
            "typed": typed,
            "errors": errors,
            "csrf_token": public_forms.token_for(value),
            "mail": mail_configured(),
        },
        status_code=status_code,
        headers=public_forms.NO_STORE,
    )
    if new:
        public_forms.remember(request, response, value)
    return response


@public.get("/angebote/{offer_id}/fehler-melden", response_class=HTMLResponse, name="correct")
def correction_form(
    request: Request, offer_id: OfferId, session: SessionDep, feld: str = ""
) -> HTMLResponse:
    offer = _public_offer(session, offer_id)
    return _form(request, offer, {"feld": feld if feld in corrections.FIELDS else ""}, {})


@public.post("/angebote/{offer_id}/fehler-melden", name="correct_post")
async def correction_post(request: Request, offer_id: OfferId, session: SessionDep) -> Response:
    """Store the suggestion (never a change of the offer), or show every error at once
    with what was typed."""
    offer = _public_offer(session, offer_id)
    form = await request.form()
    typed = {k: str(form.get(k) or "")[:3000] for k in ("feld", "richtig", "email")}
    typed["einverstanden"] = "ja" if form.get("einverstanden") else ""
    if not public_forms.token_is_valid(request, form.get("csrf_token")):
        errors = {"csrf": _("Das Formular war abgelaufen. Bitte senden Sie es noch einmal.")}
        return _form(request, offer, typed, errors, status_code=403)
    done = corrections.submit(
        session,
        offer,
        field_name=typed["feld"],
        proposed=typed["richtig"],
        email=typed["email"],
        consent=bool(typed["einverstanden"]),
        address=client_address(request),
        settings=get_settings(),
        honeypot=str(form.get("homepage") or ""),
    )
    if done.limited:
        errors = {
            "limit": _(
                "Von Ihrem Anschluss kamen in den letzten %(hours)s Stunden schon viele "
                "Hinweise. Bitte versuchen Sie es später noch einmal.",
                hours=get_settings().correction_window_hours,
            )
        }
        return _form(request, offer, typed, errors, status_code=429)
    if done.errors:
        return _form(request, offer, typed, done.errors, status_code=422)
    return see_other(f"/angebote/{offer.id}/fehler-melden/danke")


@public.get(
    "/angebote/{offer_id}/fehler-melden/danke", response_class=HTMLResponse, name="correct_done"
)
def correction_done(request: Request, offer_id: OfferId, session: SessionDep) -> HTMLResponse:
    return render(
        request, "pages/correction_done.html", {"offer": _public_offer(session, offer_id)}
    )


# --- staff ------------------------------------------------------------------------------


def _correction(session: SessionDep, correction_id: int) -> tuple[Correction, Offer]:
    found = session.get(Correction, correction_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found, offer_or_404(session, found.offer_id)


@router.get("/korrekturen", response_class=HTMLResponse, name="admin_corrections")
def queue(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    """Each open suggestion beside the current value, with the offer's provider."""
    waiting = corrections.open_corrections(session)
    closed = corrections.recently_closed(session)
    return page(
        request,
        "pages/admin/corrections.html",
        {
            "waiting": waiting,
            "closed": closed,
            "offers": corrections.offers_of(session, [*waiting, *closed]),
            "status": request.query_params.get("status"),
            "correction_field": corrections.field_label,
            "value_of": corrections.current_value,
            "case_url": lambda i: f"/verwaltung/korrekturen/{i}",
            "offer_url": lambda i: f"/verwaltung/angebote/{i}",
        },
    )


def _case(
    request: Request,
    correction: Correction,
    offer: Offer,
    errors: dict[str, Any] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
    *,
    base: str = "/verwaltung",
    can_answer: bool = True,
) -> HTMLResponse:
    case_path = f"{base}/korrekturen/{correction.id}"
    own = base == PROVIDER_AREA
    return page(
        request,
        "pages/admin/correction.html",
        {
            "c": correction,
            "offer": offer,
            "current": corrections.current_value(offer, correction.field),
            "errors": errors or {},
            "typed": typed or {},
            "mail": mail_configured(),
            "correction_field": corrections.field_label,
            "can_answer": can_answer,
            "back_url": f"{base}/korrekturen",
            "accept_url": f"{case_path}/annehmen",
            "reject_url": f"{case_path}/ablehnen",
            "offer_url": f"{base}/angebote/{offer.id}" if not own else f"{base}#angebot-{offer.id}",
        },
        status_code=status_code,
    )


@router.get("/korrekturen/{correction_id}", response_class=HTMLResponse, name="admin_correction")
def case(
    request: Request, correction_id: CorrectionId, staff: StaffDep, session: SessionDep
) -> HTMLResponse:
    correction, offer = _correction(session, correction_id)
    return _case(request, correction, offer)


@router.post("/korrekturen/{correction_id}/annehmen", name="admin_correction_accept")
async def accept(
    request: Request, correction_id: CorrectionId, staff: StaffDep, session: SessionDep
) -> Response:
    correction, offer = _correction(session, correction_id)
    return await _accept(request, session, correction, offer, staff.user.label)


@router.post("/korrekturen/{correction_id}/ablehnen", name="admin_correction_reject")
async def reject(
    request: Request, correction_id: CorrectionId, staff: StaffDep, session: SessionDep
) -> Response:
    correction, offer = _correction(session, correction_id)
    return await _reject(request, session, correction, offer, staff.user.label)


async def _accept(
    request: Request,
    session: SessionDep,
    correction: Correction,
    offer: Offer,
    by: str,
    base: str = "/verwaltung",
    conflict_status: int = 409,
) -> Response:
    """Apply the suggestion (or the edited value) through the one write path; a bad
    value or a change in between shows the case again with the typed value."""
    form = await request.form()
    value = str(form.get("wert") or "")[:3000]
    version = str(form.get("version") or "")
    decision = corrections.accept(
        session,
        correction,
        offer,
        by,
        value=value,
        based_on=[int(version)] if version.isdigit() else (),
        settings=get_settings(),
    )
    if decision.errors or decision.conflict:
        session.refresh(correction)
        session.refresh(offer)
        errors = decision.errors or {
            "wert": _("Der Eintrag wurde inzwischen geändert. Prüfen Sie den Wert.")
        }
        status = 422 if decision.errors else conflict_status
        return _case(request, correction, offer, errors, {"wert": value}, status, base=base)
    return see_other(f"{base}/korrekturen?status=angenommen-{_sent(decision)}")


async def _reject(
    request: Request,
    session: SessionDep,
    correction: Correction,
    offer: Offer,
    by: str,
    base: str = "/verwaltung",
) -> Response:
    """Close the suggestion with a reason the reporter is told."""
    form = await request.form()
    reason = str(form.get("grund") or "")[:3000]
    decision = corrections.reject(
        session, correction, offer, by, reason=reason, settings=get_settings()
    )
    if decision.errors:
        return _case(request, correction, offer, decision.errors, {"grund": reason}, 422, base=base)
    return see_other(f"{base}/korrekturen?status=abgelehnt-{_sent(decision)}")


def _sent(decision: corrections.Decision) -> str:
    return {True: "gesendet", False: "fehler", None: "ohne"}[decision.notified]


# --- a provider account: its own offers' suggestions -----------------------------------


def _may_answer() -> bool:
    return get_settings().provider_edits == "publish"


def _own_case(
    session: SessionDep, staff: ProviderDep, correction_id: int, answering: bool = False
) -> tuple:
    """The provider's own case (404 for another's); answering it needs PROVIDER_EDITS=publish."""
    found = session.get(Correction, correction_id)
    offer = provider_edits.own_offer(session, staff.user, found.offer_id) if found else None
    if found is None or offer is None:
        raise HTTPException(status_code=404)  # another provider's: as if it did not exist
    if answering and not _may_answer():
        raise HTTPException(status_code=403)
    return found, offer


@provider.get("/korrekturen", response_class=HTMLResponse, name="provider_corrections")
def provider_queue(request: Request, staff: ProviderDep, session: SessionDep) -> HTMLResponse:
    own = {o.id for o in provider_edits.own_offers(session, staff.user)}
    waiting = [c for c in corrections.open_corrections(session) if c.offer_id in own]
    return page(
        request,
        "pages/admin/corrections.html",
        {
            "waiting": waiting,
            "closed": [],
            "offers": corrections.offers_of(session, waiting),
            "status": request.query_params.get("status"),
            "correction_field": corrections.field_label,
            "value_of": corrections.current_value,
            "case_url": lambda i: f"{PROVIDER_AREA}/korrekturen/{i}",
            "offer_url": lambda i: f"{PROVIDER_AREA}#angebot-{i}",
        },
    )


@provider.get(
    "/korrekturen/{correction_id}", response_class=HTMLResponse, name="provider_correction"
)
def provider_case(
    request: Request, correction_id: CorrectionId, staff: ProviderDep, session: SessionDep
) -> HTMLResponse:
    correction, offer = _own_case(session, staff, correction_id)
    return _case(request, correction, offer, base=PROVIDER_AREA, can_answer=_may_answer())


@provider.post("/korrekturen/{correction_id}/annehmen", name="provider_correction_accept")
async def provider_accept(
    request: Request, correction_id: CorrectionId, staff: ProviderDep, session: SessionDep
) -> Response:
    correction, offer = _own_case(session, staff, correction_id, answering=True)
    return await _accept(
        request, session, correction, offer, staff.user.label, PROVIDER_AREA, conflict_status=422
    )


@provider.post("/korrekturen/{correction_id}/ablehnen", name="provider_correction_reject")
async def provider_reject(
    request: Request, correction_id: CorrectionId, staff: ProviderDep, session: SessionDep
) -> Response:
    correction, offer = _own_case(session, staff, correction_id, answering=True)
    return await _reject(request, session, correction, offer, staff.user.label, PROVIDER_AREA)

"""The provider's (Träger's) own area, /verwaltung/traeger-bereich: its offers with
every public field, "stimmt so" per offer or for the page, the offer form, a new
offer, an offer reported closed. Every route is behind ``PROVIDER_PAGES``: a provider
account only, and only its own providers' offers (anything else is a 404)."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.catalogue import edits, provider_edits
from app.catalogue.audit import snapshot
from app.catalogue.verification import checked_by, open_rounds
from app.config import get_settings
from app.deps import PROVIDER_AREA, PROVIDER_PAGES, ProviderDep, SessionDep
from app.i18n import gettext as _
from app.models import Offer, Provider
from app.staff.sessions import SignedIn
from app.web import offer_form, offer_words
from app.web.staff import page, see_other

router = APIRouter(prefix=PROVIDER_AREA, dependencies=PROVIDER_PAGES, include_in_schema=False)

OfferId = Annotated[int, Path(ge=1, le=2**31 - 1)]


# Every public field, in the order of the offer form.
SHOWN = (
    "category",
    "extra_categories",
    "street",
    "postcode",
    "city",
    "service_area",
    "contact_phone",
    "contact_email",
    "website",
    "description",
    "target_group",
    "age_min",
    "age_max",
    "age_min_months",
    "age_max_months",
    "languages",
    "costs",
    "opening_hours",
    "opening_exceptions",
    "step_free_entrance",
    "accessible_toilet",
    "lift",
    "induction_loop",
    "easy_language",
    "barrier_free",
    "capacity",
    "capacity_u3",
    "notes",
)


def _facts(offer: Offer) -> list[tuple[str, str]]:
    values = snapshot(offer)
    return [
        (str(offer_words.FIELD_LABELS[name]), offer_words.display(name, values.get(name)))
        for name in SHOWN
    ]


def _mode() -> provider_edits.Mode:
    return get_settings().provider_edits


def _own(session: Session, staff: SignedIn, offer_id: int) -> Offer:
    offer = provider_edits.own_offer(session, staff.user, offer_id)
    if offer is None:
        raise HTTPException(status_code=404)
    return offer


@router.get("", response_class=HTMLResponse, name="provider_home")
def home(request: Request, staff: ProviderDep, session: SessionDep) -> HTMLResponse:
    """All the account's offers with every public field: confirm or correct each."""
    offers = provider_edits.own_offers(session, staff.user)
    return page(
        request,
        "pages/provider/home.html",
        {
            "providers": provider_edits.own_providers(session, staff.user),
            "offers": [(o, _facts(o), checked_by(o)) for o in offers],
            "waiting": provider_edits.open_count(session, [o.id for o in offers]),
            "rounds": bool(open_rounds(session)),
            "mode": _mode(),
            "status": request.query_params.get("status"),
        },
    )


@router.post("/stimmt", name="provider_confirm_all")
async def confirm_all(request: Request, staff: ProviderDep, session: SessionDep) -> Response:
    """ "Alle stimmen so": every offer listed on the page (only the account's own)."""
    form = await request.form()
    wanted = {int(v) for v in form.getlist("offer_id") if isinstance(v, str) and v.isdigit()}
    offers = [o for o in provider_edits.own_offers(session, staff.user) if o.id in wanted]
    if provider_edits.confirm(session, offers, staff.user) is None:
        return see_other(f"{PROVIDER_AREA}?status=veraltet")
    return see_other(f"{PROVIDER_AREA}?status=bestaetigt")


@router.post("/angebote/{offer_id}/stimmt", name="provider_confirm")
async def confirm_one(
    request: Request, offer_id: OfferId, staff: ProviderDep, session: SessionDep
) -> Response:
    """ "Stimmt so" for the version the page showed (a stale page: nothing confirmed)."""
    version = str((await request.form()).get("version") or "")
    based_on = {offer_id: int(version)} if version.isdigit() else None
    done = provider_edits.confirm(
        session, [_own(session, staff, offer_id)], staff.user, based_on=based_on
    )
    status = "bestaetigt" if done is not None else "veraltet"
    return see_other(f"{PROVIDER_AREA}?status={status}#angebot-{offer_id}")


def _form(
    request: Request,
    offer: Offer | None,
    raw: dict[str, Any],
    *,
    providers: list[Provider],
    errors: dict[str, str] | None = None,
    version: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "pages/provider/offer_form.html",
        {
            "offer": offer,
            "raw": raw,
            "errors": errors or {},
            "version": version if version is not None else (offer.version if offer else None),
            "exception_rows": offer_form.exception_rows(raw),
            "weekdays": offer_form.WEEKDAYS,
            "providers": providers,
            "mode": _mode(),
        },
        status_code=status_code,
    )


@router.get("/angebote/{offer_id}", response_class=HTMLResponse, name="provider_offer")
def offer_page(
    request: Request, offer_id: OfferId, staff: ProviderDep, session: SessionDep
) -> HTMLResponse:
    offer = _own(session, staff, offer_id)
    return _form(request, offer, offer_form.form_state(snapshot(offer)), providers=[])


@router.post("/angebote/{offer_id}", response_class=HTMLResponse, name="provider_offer_save")
async def offer_save(
    request: Request, offer_id: OfferId, staff: ProviderDep, session: SessionDep
) -> Response:
    offer = _own(session, staff, offer_id)
    form = await request.form()
    parsed = offer_form.parse_offer_form(form, form.getlist, current=snapshot(offer))
    outcome: Any = None
    if not parsed.errors and parsed.values is not None:
        outcome = provider_edits.change_offer(
            session,
            offer,
            staff.user,
            parsed.values,
            based_on=edits.claimed_versions(None, parsed.version),
            mode=_mode(),
        )
    if isinstance(outcome, edits.Conflict):
        return see_other(f"{PROVIDER_AREA}/angebote/{offer_id}?status=veraltet")
    if outcome is None or isinstance(outcome, edits.Invalid):
        errors = parsed.errors
        if isinstance(outcome, edits.Invalid) and isinstance(outcome.error, ValidationError):
            errors = offer_form.model_errors(outcome.error)
        return _form(
            request,
            _own(session, staff, offer_id),
            parsed.raw,
            providers=[],
            errors=errors,
            version=parsed.version,
            status_code=422,
        )
    status = {"held": "wartet", "unchanged": "unveraendert"}.get(outcome.outcome, "gespeichert")
    return see_other(f"{PROVIDER_AREA}?status={status}#angebot-{offer_id}")


@router.post("/angebote/{offer_id}/geschlossen", name="provider_offer_closed")
async def offer_closed(
    request: Request, offer_id: OfferId, staff: ProviderDep, session: SessionDep
) -> Response:
    """The offer no longer exists (held for staff with ``review``)."""
    offer = _own(session, staff, offer_id)
    note = str((await request.form()).get("note") or "")
    outcome = provider_edits.report_closed(session, offer, staff.user, note, mode=_mode())
    status = "geschlossen-gemeldet" if outcome.outcome == "held" else "archiviert"
    return see_other(f"{PROVIDER_AREA}?status={status}")


@router.get("/neu", response_class=HTMLResponse, name="provider_offer_new")
def new_offer(request: Request, staff: ProviderDep, session: SessionDep) -> HTMLResponse:
    providers = provider_edits.own_providers(session, staff.user)
    return _form(request, None, offer_form.form_state({"city": "Bochum"}), providers=providers)


@router.post("/neu", response_class=HTMLResponse, name="provider_offer_create")
async def create(request: Request, staff: ProviderDep, session: SessionDep) -> Response:
    providers = provider_edits.own_providers(session, staff.user)
    form = await request.form()
    parsed = offer_form.parse_offer_form(form, form.getlist)
    chosen = str(form.get("provider_id") or "")
    provider = next((p for p in providers if str(p.id) == chosen), None)
    if provider is None and len(providers) == 1:
        provider = providers[0]
    errors = dict(parsed.errors)
    if provider is None:
        errors["provider_id"] = _("Wählen Sie den Träger des Angebots.")
    if errors or parsed.data is None:
        return _form(request, None, parsed.raw, providers=providers, errors=errors, status_code=422)
    outcome = provider_edits.propose_offer(session, provider, staff.user, parsed.data, mode=_mode())
    status = "neu-wartet" if isinstance(outcome, provider_edits.Held) else "angelegt"
    return see_other(f"{PROVIDER_AREA}?status={status}")

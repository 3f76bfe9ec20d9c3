"""Staff pages for provider (Träger) accounts: invite a provider's contact (from the
provider's page), the queue of what providers handed in (stored beside proposed;
accept or reject), and verification rounds with their progress per provider. The
invitation link's page (set a password) is public: it is the sign-in of a new account.
"""

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlmodel import Session

from app.catalogue import edits, provider_edits, verification
from app.deps import (
    PROVIDER_AREA,
    SIGN_IN_PAGES,
    STAFF_PAGES,
    SessionDep,
    SettingsDep,
    StaffDep,
)
from app.i18n import gettext as _
from app.mail import Mail, MailError, mail_configured, send
from app.models import Provider, ProviderEdit, VerificationRound
from app.models.categories import BY_SLUG, CATEGORIES
from app.routers.admin_manage import provider_page
from app.staff import accounts, invitations
from app.staff import sessions as staff_sessions
from app.web import offer_words
from app.web.staff import ensure_presession_cookie, page, see_other, set_session_cookie

router = APIRouter(prefix="/verwaltung", dependencies=STAFF_PAGES, include_in_schema=False)
public = APIRouter(prefix="/verwaltung", dependencies=SIGN_IN_PAGES, include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


# --- invitations ------------------------------------------------------------------------


def _invitation_mail(provider: Provider, to: str, link: str, days: int) -> Mail:
    body = "\n\n".join(
        [
            _("Guten Tag,"),
            _(
                "Sie sind eingeladen, die Angebote von „%(provider)s“ im Familienwegweiser "
                "Bochum selbst aktuell zu halten.",
                provider=provider.name,
            ),
            _(
                "Mit diesem Link legen Sie Ihr Passwort fest und melden sich an. Er gilt "
                "einmal und %(days)s Tage lang:",
                days=days,
            ),
            link,
            _("Ihr Familienwegweiser Bochum"),
        ]
    )
    return Mail(to=to, subject=_("Einladung zum Familienwegweiser Bochum"), body=body)


@router.post(
    "/traeger/{provider_id}/einladen", response_class=HTMLResponse, name="admin_provider_invite"
)
def invite(
    request: Request,
    provider_id: Id,
    staff: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form()] = "",
) -> Response:
    """Invite by e-mail; without SMTP (or when the mail is refused) the page shows the
    link once, for staff to pass on."""
    provider = session.get(Provider, provider_id)
    if provider is None:
        raise HTTPException(status_code=404)
    try:
        new = invitations.invite(
            session, provider, email, staff.user.label, days=settings.invitation_days
        )
    except accounts.AccountError as exc:
        session.rollback()
        return provider_page(
            request,
            session,
            provider,
            invite_errors={"invite_email": exc.message},
            invite_email=email,
        )
    link = new.link(settings.public_base_url)
    session.commit()
    if mail_configured(settings):
        try:
            send(
                _invitation_mail(provider, new.invitation.email, link, settings.invitation_days),
                settings,
            )
            return see_other(f"/verwaltung/traeger/{provider_id}?status=eingeladen")
        except MailError:
            pass
    return provider_page(request, session, provider, invite_link=link)


@public.get("/einladung/{token}", response_class=HTMLResponse, name="provider_invitation")
def invitation_page(request: Request, token: str, session: SessionDep) -> HTMLResponse:
    return _invitation_page(request, session, token)


def _invitation_page(
    request: Request,
    session: Session,
    token: str,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    row = invitations.find_invitation(session, token)
    fresh = Response()
    ensure_presession_cookie(request, fresh)
    response = page(
        request,
        "pages/provider/invitation.html",
        {
            "invitation": row,
            "provider": session.get(Provider, row.provider_id) if row else None,
            "token": token,
            "errors": errors or {},
        },
        status_code=status_code if row else 404,
    )
    for name, value in fresh.headers.items():
        if name == "set-cookie":
            response.headers.append("set-cookie", value)
    return response


@public.post("/einladung/{token}", response_class=HTMLResponse, name="provider_invitation_post")
def accept_invitation(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    password: Annotated[str, Form()] = "",
    password_again: Annotated[str, Form()] = "",
) -> Response:
    """Set the password, use the link up, and sign in (a new session). Every error at
    once, each named at its field and in the summary (a too long password too: the
    body limit bounds the form, the password rules word the rest)."""
    row = invitations.find_invitation(session, token)
    if row is None:
        return _invitation_page(request, session, token)
    errors = invitations.password_errors(row, password, password_again)
    if not errors:
        try:
            user = invitations.accept(session, row, password)
        except accounts.AccountError as exc:
            errors[exc.field] = exc.message
    if errors:
        session.rollback()
        return _invitation_page(request, session, token, errors, status_code=422)
    old = staff_sessions.session_id_of(request.cookies.get(staff_sessions.COOKIE), settings)
    cookie, _record = staff_sessions.start_session(session, user, settings, replaces=old)
    session.commit()
    response = see_other(f"{PROVIDER_AREA}?status=willkommen")
    set_session_cookie(response, request, cookie)
    return response


# --- the queue of held changes ------------------------------------------------------------


@router.get("/traeger-aenderungen", response_class=HTMLResponse, name="admin_provider_edits")
def queue(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    return page(
        request,
        "pages/admin/provider_edits.html",
        {
            "items": provider_edits.open_edits(session),
            "labels": offer_words.FIELD_LABELS,
            "display": offer_words.display,
            "status": request.query_params.get("status"),
        },
    )


def _edit(session: Session, edit_id: int) -> ProviderEdit:
    row = session.get(ProviderEdit, edit_id)
    if row is None:
        raise HTTPException(status_code=404)
    return row


@router.post("/traeger-aenderungen/{edit_id}/annehmen", name="admin_provider_edit_accept")
def accept(edit_id: Id, staff: StaffDep, session: SessionDep) -> Response:
    outcome = provider_edits.accept(session, _edit(session, edit_id), staff.user)
    status = "angenommen" if isinstance(outcome, edits.Applied) else "nicht-angenommen"
    return see_other(f"/verwaltung/traeger-aenderungen?status={status}")


@router.post("/traeger-aenderungen/{edit_id}/ablehnen", name="admin_provider_edit_reject")
def reject(
    edit_id: Id,
    staff: StaffDep,
    session: SessionDep,
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    provider_edits.reject(session, _edit(session, edit_id), staff.user, reason)
    return see_other("/verwaltung/traeger-aenderungen?status=abgelehnt")


# --- verification rounds ------------------------------------------------------------------


def _rounds_page(
    request: Request,
    session: Session,
    settings: SettingsDep,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    providers = session.execute(
        select(Provider).where(Provider.archived_at.is_(None)).order_by(Provider.name)
    ).scalars()
    return page(
        request,
        "pages/admin/rounds.html",
        {
            "rounds": verification.open_rounds(session),
            "categories": CATEGORIES,
            "by_slug": BY_SLUG,
            "providers": list(providers),
            "remind_days": settings.verification_remind_days,
            "mail": mail_configured(settings),
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/pruefrunden", response_class=HTMLResponse, name="admin_rounds")
def rounds(
    request: Request, staff: StaffDep, session: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    return _rounds_page(request, session, settings)


@router.post("/pruefrunden", response_class=HTMLResponse, name="admin_round_start")
def start_round(
    request: Request,
    staff: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    kategorie: Annotated[str, Form(max_length=40)] = "",
    traeger: Annotated[str, Form(max_length=12)] = "",
    erinnern: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    """Start a round for a kind of offer or one provider; each contact gets one e-mail."""
    errors: dict[str, str] = {}
    if kategorie and kategorie not in BY_SLUG:
        errors["kategorie"] = _("Wählen Sie eine Art von Angebot aus der Liste.")
    provider_id = int(traeger) if traeger.isdigit() else None
    if traeger and (provider_id is None or session.get(Provider, provider_id) is None):
        errors["traeger"] = _("Wählen Sie einen Träger aus der Liste.")
    if not kategorie and not traeger:
        errors["kategorie"] = _("Wählen Sie eine Art von Angebot oder einen Träger.")
    days = int(erinnern) if erinnern.isdigit() else settings.verification_remind_days
    if not 1 <= days <= 365:
        errors["erinnern"] = _("Geben Sie 1 bis 365 Tage ein.")
    if errors:
        return _rounds_page(request, session, settings, errors, status_code=422)
    round_ = verification.start_round(
        session,
        started_by=staff.user.label,
        category=kategorie or None,
        provider_id=provider_id,
        remind_after_days=days,
    )
    verification.send_requests(session, round_, settings)
    session.commit()
    return see_other(f"/verwaltung/pruefrunden/{round_.id}")


@router.get("/pruefrunden/{round_id}", response_class=HTMLResponse, name="admin_round")
def round_progress(
    request: Request, round_id: Id, staff: StaffDep, session: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    round_ = session.get(VerificationRound, round_id)
    if round_ is None:
        raise HTTPException(status_code=404)
    rows = verification.progress(session, round_)
    return page(
        request,
        "pages/admin/round.html",
        {
            "round": round_,
            "rows": rows,
            "provider": session.get(Provider, round_.provider_id) if round_.provider_id else None,
            "category": BY_SLUG.get(round_.category) if round_.category else None,
            "mail": mail_configured(settings),
            "counts": {
                s: sum(r.status == s for r in rows) for s in ("answered", "partly", "not_yet")
            },
        },
    )

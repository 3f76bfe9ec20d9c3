"""Verification rounds: staff ask the providers of a kind of offer (or one provider)
to check their offers. Each contact (an account bound to the provider) gets one
e-mail with a link to the page that lists all its offers; "stimmt so" or a correction
answers an offer. Reminders go to the contacts of providers that have not answered
after the round's number of days (``send_reminders``, run by cron through
``python -m app.cli send-reminders``; the clock is a parameter, so tests fix it).

Who checked an offer last, for the public page: ``checked_by``."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from app.config import Settings
from app.i18n import gettext as _
from app.mail import Mail, MailError, mail_configured, send
from app.models import (
    Offer,
    OfferCategory,
    Provider,
    ProviderEdit,
    VerificationRequest,
    VerificationRound,
    utcnow,
)
from app.models.categories import BY_SLUG
from app.staff.invitations import members_of
from app.staff.sessions import aware

PORTAL_PATH = "/verwaltung/traeger-bereich"
STALE_AFTER = timedelta(days=365)


def _offers_stmt(round_: VerificationRound, provider_id: int):  # noqa: ANN202
    stmt = select(Offer).where(Offer.provider_id == provider_id, Offer.archived_at.is_(None))
    if round_.category:
        stmt = stmt.where(Offer.id.in_(_of_kind(round_.category)))
    return stmt


def _of_kind(category: str):  # noqa: ANN202
    """Offers of a kind, primary or not: a Familienzentrum is first a Kita (or an OGS),
    so a round for Familienzentren asks through every kind an offer has."""
    return select(OfferCategory.offer_id).where(OfferCategory.category == category)


def providers_in_scope(
    session: Session, *, category: str | None, provider_id: int | None
) -> list[int]:
    stmt = select(Offer.provider_id).where(
        Offer.archived_at.is_(None), Offer.provider_id.is_not(None)
    )
    if category:
        stmt = stmt.where(Offer.id.in_(_of_kind(category)))
    if provider_id:
        stmt = stmt.where(Offer.provider_id == provider_id)
    return sorted(set(session.execute(stmt.distinct()).scalars()))


def start_round(
    session: Session,
    *,
    started_by: str,
    category: str | None = None,
    provider_id: int | None = None,
    remind_after_days: int = 14,
    now: datetime | None = None,
) -> VerificationRound:
    """A new round and one request per contact of each provider in scope (not sent yet:
    ``send_requests``)."""
    if category is not None and category not in BY_SLUG:
        raise ValueError("unknown category")
    round_ = VerificationRound(
        category=category or None,
        provider_id=provider_id or None,
        started_by=started_by,
        remind_after_days=remind_after_days,
        started_at=now or utcnow(),
    )
    session.add(round_)
    session.flush()
    for pid in providers_in_scope(session, category=category, provider_id=provider_id):
        for user in members_of(session, pid):
            session.add(VerificationRequest(round_id=round_.id, provider_id=pid, email=user.email))
    session.flush()
    return round_


def _mail(settings: Settings, email: str, providers: list[str], reminder: bool) -> Mail:
    link = f"{settings.public_base_url.rstrip('/')}{PORTAL_PATH}"
    names = "\n".join(f"- {name}" for name in providers)
    intro = (
        _("Erinnerung: Bitte prüfen Sie die Angebote dieser Träger im Familienwegweiser Bochum:")
        if reminder
        else _("Bitte prüfen Sie die Angebote dieser Träger im Familienwegweiser Bochum:")
    )
    body = "\n\n".join(
        [
            _("Guten Tag,"),
            f"{intro}\n{names}",
            _(
                "Auf dieser Seite stehen alle Ihre Angebote mit allen öffentlichen Angaben. "
                "Stimmt ein Angebot, klicken Sie „Stimmt so“; sonst korrigieren Sie es dort:"
            ),
            link,
            _("Vielen Dank! Ihr Familienwegweiser Bochum"),
        ]
    )
    subject = (
        _("Erinnerung: Bitte prüfen Sie Ihre Angebote im Familienwegweiser")
        if reminder
        else _("Bitte prüfen Sie Ihre Angebote im Familienwegweiser")
    )
    return Mail(to=email, subject=subject, body=body)


def _send_grouped(
    session: Session,
    requests: list[VerificationRequest],
    settings: Settings,
    *,
    reminder: bool,
    now: datetime,
) -> int:
    """One e-mail per address (listing all its providers); returns how many went out."""
    by_email: dict[str, list[VerificationRequest]] = defaultdict(list)
    for request in requests:
        by_email[request.email].append(request)
    sent = 0
    for email, group in sorted(by_email.items()):
        names = sorted({session.get(Provider, r.provider_id).name for r in group})
        try:
            send(_mail(settings, email, names, reminder), settings)
        except MailError:
            continue
        for request in group:
            if reminder:
                request.reminded_at = now
            else:
                request.sent_at = now
            session.add(request)
        sent += 1
    session.flush()
    return sent


def send_requests(
    session: Session, round_: VerificationRound, settings: Settings, *, now: datetime | None = None
) -> int:
    """Send the round's e-mails not sent yet (none without SMTP)."""
    if not mail_configured(settings):
        return 0
    todo = list(
        session.execute(
            select(VerificationRequest).where(
                VerificationRequest.round_id == round_.id, VerificationRequest.sent_at.is_(None)
            )
        ).scalars()
    )
    return _send_grouped(session, todo, settings, reminder=False, now=now or utcnow())


# --- progress ---------------------------------------------------------------------------


@dataclass
class ProviderProgress:
    provider: Provider
    offers: int
    answered: int
    contacts: int
    sent: int
    reminded: int

    @property
    def status(self) -> str:
        """ "answered", "partly" or "not_yet"."""
        if self.offers and self.answered >= self.offers:
            return "answered"
        return "partly" if self.answered else "not_yet"


def _answered(session: Session, round_: VerificationRound, offers: list[Offer]) -> int:
    start = aware(round_.started_at)
    edited = set(
        session.execute(
            select(ProviderEdit.offer_id).where(
                ProviderEdit.offer_id.in_([o.id for o in offers] or [-1]),
                ProviderEdit.proposed_at >= start,
            )
        ).scalars()
    )
    return sum(
        1
        for o in offers
        if (o.last_verified is not None and o.last_verified >= start.date())
        or (o.provider_edited_at is not None and aware(o.provider_edited_at) >= start)
        or o.id in edited
    )


def progress(session: Session, round_: VerificationRound) -> list[ProviderProgress]:
    """Per provider of the round: offers, answered ones, contacts asked and reminded."""
    requests = list(
        session.execute(
            select(VerificationRequest).where(VerificationRequest.round_id == round_.id)
        ).scalars()
    )
    by_provider: dict[int, list[VerificationRequest]] = defaultdict(list)
    for request in requests:
        by_provider[request.provider_id].append(request)
    ids = providers_in_scope(session, category=round_.category, provider_id=round_.provider_id)
    rows = []
    for pid in sorted(set(ids) | set(by_provider)):
        offers = list(session.execute(_offers_stmt(round_, pid)).scalars())
        reqs = by_provider.get(pid, [])
        rows.append(
            ProviderProgress(
                provider=session.get(Provider, pid),
                offers=len(offers),
                answered=_answered(session, round_, offers),
                contacts=len(reqs),
                sent=sum(r.sent_at is not None for r in reqs),
                reminded=sum(r.reminded_at is not None for r in reqs),
            )
        )
    return sorted(
        rows, key=lambda r: ({"not_yet": 0, "partly": 1, "answered": 2}[r.status], r.provider.name)
    )


def open_rounds(session: Session) -> list[VerificationRound]:
    return list(
        session.execute(
            select(VerificationRound)
            .where(VerificationRound.closed_at.is_(None))
            .order_by(VerificationRound.started_at.desc())
        ).scalars()
    )


def send_reminders(session: Session, settings: Settings, *, now: datetime | None = None) -> int:
    """Remind, once, the contacts of providers that have not fully answered a round
    whose e-mail went out at least the round's number of days ago; returns how many
    e-mails went out. Commits."""
    now = now or utcnow()
    if not mail_configured(settings):
        return 0
    sent = 0
    for round_ in open_rounds(session):
        due = now - timedelta(days=round_.remind_after_days)
        status = {p.provider.id: p.status for p in progress(session, round_)}
        todo = [
            r
            for r in session.execute(
                select(VerificationRequest).where(
                    VerificationRequest.round_id == round_.id,
                    VerificationRequest.sent_at.is_not(None),
                    VerificationRequest.reminded_at.is_(None),
                )
            ).scalars()
            if aware(r.sent_at) <= due and status.get(r.provider_id) != "answered"
        ]
        sent += _send_grouped(session, todo, settings, reminder=True, now=now)
    session.commit()
    return sent


# --- who checked an offer, for the public page --------------------------------------------


@dataclass(frozen=True)
class Checked:
    by: str | None  # "provider" | "staff" | None: never checked by a person
    on: date | None
    stale: bool  # not confirmed for 12 months (or never)
    provider_updated: date | None  # "vom Träger aktualisiert am …"


def checked_by(offer: Offer, today: date | None = None) -> Checked:
    today = today or utcnow().date()
    on = offer.last_verified
    by = (offer.verified_by or "staff") if on else None
    stale = on is None or on < today - STALE_AFTER
    updated = offer.provider_edited_at
    return Checked(by, on, stale, aware(updated).date() if updated else None)

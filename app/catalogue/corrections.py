"""Suggested corrections from the public ("Fehler melden") and their moderation.

A visitor names a field of an offer and what is right; nothing is changed by that.
Staff accept it (as suggested, or after editing the value), which writes through the
one edit workflow (``app.catalogue.edits``) with the change log naming the suggestion
(channel ``correction``), or reject it with a reason. The reporter, if they left an
address, gets one e-mail with the outcome; the address is deleted in the same
transaction that closes the case. Suggestions are limited per IP address, counted in
the database (a keyed hash of the address, cleared after the window), as the sign-in
throttle does.
"""

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload
from sqlmodel import Session

from app import i18n
from app.catalogue import edits
from app.catalogue.write import validation_errors
from app.catalogue.writers import Actor, claim_open
from app.config import Settings
from app.i18n import gettext as _
from app.i18n import lazy_gettext
from app.mail import Mail, MailError, mail_configured, send, valid_address
from app.models import Correction, Offer, OfferUpdate, utcnow

# The fields a visitor can correct, with their labels: each maps to one field of the
# write path, so an accepted suggestion is one ordinary edit.
FIELDS: dict[str, Any] = {
    "contact_phone": lazy_gettext("Telefon"),
    "contact_email": lazy_gettext("E-Mail"),
    "website": lazy_gettext("Internetseite"),
    "street": lazy_gettext("Straße und Hausnummer"),
    "postcode": lazy_gettext("Postleitzahl"),
    "name": lazy_gettext("Name"),
    "costs": lazy_gettext("Kosten"),
    "target_group": lazy_gettext("Für wen"),
    "languages": lazy_gettext("Sprachen"),
    "capacity": lazy_gettext("Plätze"),
    "description": lazy_gettext("Beschreibung"),
}
MAX_VALUE = 2000
MAX_REASON = 1000


def field_label(name: str) -> str:
    return str(FIELDS.get(name, name))


def current_value(offer: Offer, name: str) -> str:
    """The field's value as the offer page shows it ("" when there is none)."""
    if name in ("street", "postcode"):
        value = getattr(offer.location, name, None) if offer.location else None
    else:
        value = getattr(offer, name, None)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _change(name: str, value: str) -> dict[str, Any]:
    """The typed text as the write path's value of ``name``."""
    text = value.strip()
    if name == "languages":
        return {name: [v.strip() for v in text.split(",") if v.strip()]}
    if name == "capacity":
        return {name: int(text) if text else None}
    return {name: text or None}


def check_value(name: str, value: str) -> str | None:
    """Why ``value`` cannot be the new value of ``name`` (None: it can)."""
    if name == "capacity" and value.strip() and not value.strip().isdigit():
        return _("Geben Sie die Plätze als ganze Zahl an, zum Beispiel 45.")
    try:
        OfferUpdate.model_validate(_change(name, value))
    except ValidationError as exc:
        errors = validation_errors(exc)
        return errors.get(name) or next(iter(errors.values()))
    return None


def address_key(address: str, settings: Settings) -> str:
    """The IP address as stored for the limit: a keyed hash, never the address."""
    key = hashlib.sha256(f"correction:{settings.secret_key}".encode()).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def limited(session: Session, address: str, settings: Settings) -> bool:
    """Whether ``address`` has sent the most suggestions allowed within the window."""
    since = utcnow() - timedelta(hours=settings.correction_window_hours)
    sent = session.execute(
        select(func.count())
        .select_from(Correction)
        .where(
            Correction.address_hash == address_key(address, settings),
            Correction.created_at > since,
        )
    ).scalar_one()
    return sent >= settings.correction_max_per_address


@dataclass
class Submission:
    errors: dict[str, str] = field(default_factory=dict)
    limited: bool = False
    stored: Correction | None = None


def submit(
    session: Session,
    offer: Offer,
    *,
    field_name: str,
    proposed: str,
    email: str,
    consent: bool,
    address: str,
    settings: Settings,
    honeypot: str = "",
) -> Submission:
    """Check and store one suggestion (and commit), or say what is wrong, all at once.

    A filled honeypot field is answered like a success and stores nothing.
    """
    errors: dict[str, str] = {}
    if field_name not in FIELDS:
        errors["feld"] = _("Wählen Sie aus, welche Angabe falsch ist.")
    if not proposed.strip():
        errors["richtig"] = _("Geben Sie an, was richtig ist.")
    elif len(proposed) > MAX_VALUE:
        errors["richtig"] = _("Höchstens %(n)s Zeichen.", n=MAX_VALUE)
    elif field_name in FIELDS and (problem := check_value(field_name, proposed)):
        errors["richtig"] = problem
    email = email.strip()
    if email and not valid_address(email):
        errors["email"] = _(
            "Geben Sie eine E-Mail-Adresse wie name@example.org an, oder lassen Sie das Feld leer."
        )
    if email and not consent:
        errors["einverstanden"] = _(
            "Bestätigen Sie, dass wir Ihre E-Mail-Adresse für die Antwort speichern dürfen, "
            "oder lassen Sie das Feld „E-Mail-Adresse“ leer."
        )
    if errors:
        return Submission(errors)
    if limited(session, address, settings):
        return Submission(limited=True)
    if honeypot.strip():
        return Submission()
    since = utcnow() - timedelta(hours=settings.correction_window_hours)
    session.execute(
        update(Correction)
        .where(Correction.created_at <= since, Correction.address_hash.is_not(None))
        .values(address_hash=None)
    )
    correction = Correction(
        offer_id=offer.id,
        field=field_name,
        proposed=proposed.strip(),
        shown=current_value(offer, field_name)[:MAX_VALUE],
        email=email or None,
        lang=i18n.get_locale(),
        address_hash=address_key(address, settings),
    )
    session.add(correction)
    session.commit()
    return Submission(stored=correction)


# --- the staff's queue --------------------------------------------------------------------


def open_corrections(session: Session, limit: int = 500) -> Sequence[Correction]:
    """Open suggestions, oldest first."""
    return (
        session.execute(
            select(Correction)
            .where(Correction.status == "open")
            .order_by(Correction.created_at, Correction.id)
            .limit(limit)
        )
        .scalars()
        .all()
    )


def count_open(session: Session) -> int:
    return session.execute(
        select(func.count()).select_from(Correction).where(Correction.status == "open")
    ).scalar_one()


def recently_closed(session: Session, limit: int = 20) -> Sequence[Correction]:
    return (
        session.execute(
            select(Correction)
            .where(Correction.status != "open")
            .order_by(Correction.decided_at.desc(), Correction.id.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )


def offers_of(session: Session, corrections: Sequence[Correction]) -> dict[int, Offer]:
    """The offers (archived too) with their provider and location, by id."""
    ids = {c.offer_id for c in corrections}
    if not ids:
        return {}
    rows = session.execute(
        select(Offer)
        .where(Offer.id.in_(ids))
        .options(selectinload(Offer.provider), selectinload(Offer.location))
    ).scalars()
    return {o.id: o for o in rows}


@dataclass
class Decision:
    """What closing a case did: ``errors`` (nothing closed), or closed, with
    ``conflict`` when the offer changed since the staff member saw it."""

    errors: dict[str, str] = field(default_factory=dict)
    conflict: bool = False
    notified: bool | None = None  # None: no address left, nothing to send

    @property
    def closed(self) -> bool:
        return not self.errors and not self.conflict


def accept(
    session: Session,
    correction: Correction,
    offer: Offer,
    staff_label: str,
    *,
    value: str | None = None,
    based_on: Sequence[int] = (),
    settings: Settings,
) -> Decision:
    """Write ``value`` (default: the suggestion) through the edit workflow, close the
    case and delete the reporter's address in the same transaction, then tell them."""
    if correction.status != "open":
        return Decision({"wert": _("Dieser Hinweis ist schon abgeschlossen.")})
    text = (correction.proposed if value is None else value).strip()
    problem = check_value(correction.field, text)
    if problem:
        return Decision({"wert": problem})
    email, lang = correction.email, correction.lang
    if not _close(session, correction, "accepted", staff_label, applied=text):
        return _decided_meanwhile(session, "wert")
    actor = Actor(f"correction:{correction.id} {staff_label}"[:200], "correction")
    outcome = edits.edit(
        session, offer, actor, changes=_change(correction.field, text), based_on=based_on
    )
    if isinstance(outcome, edits.Invalid):
        session.rollback()
        return Decision({"wert": next(iter(outcome.errors.values()), _("Der Wert ist ungültig."))})
    if isinstance(outcome, edits.Conflict):
        session.rollback()
        return Decision(conflict=True)
    return Decision(notified=_tell(session, correction, offer, email, lang, settings))


def reject(
    session: Session,
    correction: Correction,
    offer: Offer,
    staff_label: str,
    *,
    reason: str,
    settings: Settings,
) -> Decision:
    """Close the case without a change, with the reason the reporter is told."""
    if correction.status != "open":
        return Decision({"grund": _("Dieser Hinweis ist schon abgeschlossen.")})
    reason = reason.strip()
    if not reason:
        return Decision({"grund": _("Geben Sie einen Grund an; die meldende Person erfährt ihn.")})
    if len(reason) > MAX_REASON:
        return Decision({"grund": _("Höchstens %(n)s Zeichen.", n=MAX_REASON)})
    email, lang = correction.email, correction.lang
    if not _close(session, correction, "rejected", staff_label, reason=reason):
        return _decided_meanwhile(session, "grund")
    session.commit()
    return Decision(notified=_tell(session, correction, offer, email, lang, settings))


def _close(
    session: Session, correction: Correction, status: str, staff_label: str, **values: Any
) -> bool:
    """Close the case once (the database decides between parallel deciders); the
    address goes with it. False: someone else closed it meanwhile."""
    return claim_open(
        session,
        correction,
        status=status,
        decided_at=utcnow(),
        decided_by=staff_label[:200],
        email=None,  # the case closes: the address goes
        **values,
    )


def _decided_meanwhile(session: Session, name: str) -> "Decision":
    session.rollback()
    return Decision({name: _("Dieser Hinweis ist schon abgeschlossen.")})


def _tell(
    session: Session,
    correction: Correction,
    offer: Offer,
    email: str | None,
    lang: str,
    settings: Settings,
) -> bool | None:
    """The one e-mail with the outcome (the address is already deleted)."""
    if not email or not mail_configured(settings):
        return None
    before = i18n.get_locale()
    i18n.set_locale(lang)
    try:
        mail = outcome_mail(correction, offer, email, settings)
    finally:
        i18n.set_locale(before)
    try:
        send(mail, settings)
    except MailError:
        return False
    correction.notified = True
    session.add(correction)
    session.commit()
    return True


def outcome_mail(correction: Correction, offer: Offer, to: str, settings: Settings) -> Mail:
    url = f"{settings.public_base_url.rstrip('/')}/angebote/{offer.id}"
    values = {"name": offer.name, "field": field_label(correction.field), "url": url}
    if correction.status == "accepted":
        outcome = _(
            "Wir haben ihn geprüft und übernommen. Dort steht jetzt: %(value)s",
            value=correction.applied or "",
        )
    else:
        outcome = _(
            "Wir haben ihn geprüft und nicht übernommen. Der Grund: %(reason)s",
            reason=correction.reason or "",
        )
    body = "\n\n".join(
        [
            _("Guten Tag,"),
            _("vielen Dank für Ihren Hinweis zu „%(name)s“ (%(field)s).", **values),
            outcome,
            _("Der Eintrag: %(url)s", **values),
            _(
                "Ihre E-Mail-Adresse haben wir beim Abschluss Ihres Hinweises gelöscht. "
                "Dies ist die einzige Nachricht dazu."
            ),
            _("Familienwegweiser Bochum"),
        ]
    )
    return Mail(to=to, subject=_("Ihr Hinweis zu „%(name)s“", **values), body=body + "\n")

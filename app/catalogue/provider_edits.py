"""What a provider (Träger) account does with its own providers' offers.

A provider account sees and changes only the offers of the providers it speaks for
(``app.staff.invitations.provider_ids``). What it changes is either published at once
through the edit workflow (``PROVIDER_EDITS=publish``; marked "vom Träger
aktualisiert") or held for staff (``review``, the default) as a ``ProviderEdit``: only
the fields that differ, with the version it was based on. Staff accepting it applies
it through the same edit workflow (a three-way merge on top of what is stored now),
and the change log names the provider account (channel ``provider``). "Stimmt so"
(confirming an offer unchanged) is never held: it changes no fact, only who checked.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlmodel import Session

from app.catalogue import edits
from app.catalogue.audit import changed_fields, snapshot
from app.catalogue.write import create_offer, snapshot_of_model, validation_errors, verify_offer
from app.catalogue.writers import Actor, SourceInfo, VersionConflict, claim_open
from app.models import Offer, OfferCreate, Provider, ProviderEdit, StaffUser, utcnow
from app.staff.invitations import provider_ids

Mode = Literal["review", "publish"]
# The field a provider does not change: the provider itself (an offer does not move
# to another Träger from its account).
LOCKED = ("provider_name",)
PROVIDER_SOURCE = "traeger"


@dataclass
class Held:
    """Handed to staff; nothing public changed yet."""

    edit: ProviderEdit
    outcome: str = "held"


@dataclass
class Unchanged:
    outcome: str = "unchanged"


def provider_actor(user: StaffUser) -> Actor:
    return Actor(user.label, "provider")


def own_providers(session: Session, user: StaffUser) -> list[Provider]:
    ids = provider_ids(session, user)
    if not ids:
        return []
    return list(
        session.execute(select(Provider).where(Provider.id.in_(ids)).order_by(Provider.name))
        .scalars()
        .all()
    )


def own_offers(session: Session, user: StaffUser) -> list[Offer]:
    """The active offers of the account's providers, by provider and name."""
    ids = provider_ids(session, user)
    if not ids:
        return []
    return list(
        session.execute(
            select(Offer)
            .join(Provider, Provider.id == Offer.provider_id)
            .where(Offer.provider_id.in_(ids), Offer.archived_at.is_(None))
            .order_by(Provider.name, Offer.sort_name, Offer.id)
        )
        .scalars()
        .all()
    )


def own_offer(session: Session, user: StaffUser, offer_id: int) -> Offer | None:
    """The offer, when it is one of the account's (else None: the caller answers 404)."""
    offer = session.get(Offer, offer_id)
    if offer is None or offer.archived_at is not None:
        return None
    return offer if offer.provider_id in provider_ids(session, user) else None


def change_offer(
    session: Session,
    offer: Offer,
    user: StaffUser,
    values: Mapping[str, Any],
    *,
    based_on: Sequence[int],
    mode: Mode,
) -> edits.Outcome | Held | Unchanged:
    """The provider's edit of ``offer`` (typed values as the offer form gives them)."""
    values = {k: v for k, v in values.items() if k not in LOCKED}
    if mode == "publish":
        return edits.edit(session, offer, provider_actor(user), changes=values, based_on=based_on)
    stored = offer.version
    if any(v != stored for v in based_on):
        return edits.Conflict(offer)
    before = snapshot(offer)
    try:
        data = OfferCreate.model_validate({**before, **values})
    except ValidationError as exc:
        return edits.Invalid(validation_errors(exc), exc)
    after = snapshot_of_model(data)
    diff = sorted(changed_fields(before, after))
    if not diff:
        return Unchanged()
    return _hold(
        session,
        ProviderEdit(
            action="update",
            offer_id=offer.id,
            provider_id=offer.provider_id,
            changes={k: after[k] for k in diff},
            base_version=stored,
            proposed_by=user.label,
        ),
    )


def propose_offer(
    session: Session, provider: Provider, user: StaffUser, data: OfferCreate, *, mode: Mode
) -> Offer | Held:
    """A new offer of ``provider``: created at once (publish) or held for staff."""
    data = data.model_copy(update={"provider_name": provider.name})
    if mode == "publish":
        offer = _create(session, data, provider_actor(user), provider)
        session.commit()
        return offer
    return _hold(
        session,
        ProviderEdit(
            action="create",
            provider_id=provider.id,
            changes=snapshot_of_model(data),
            proposed_by=user.label,
        ),
    )


def report_closed(
    session: Session, offer: Offer, user: StaffUser, note: str, *, mode: Mode
) -> edits.Outcome | Held:
    """The offer no longer exists: archived at once (publish) or held for staff."""
    note = " ".join(note.split())[:1000]
    if mode == "publish":
        return edits.edit(session, offer, provider_actor(user), action="archive")
    return _hold(
        session,
        ProviderEdit(
            action="close",
            offer_id=offer.id,
            provider_id=offer.provider_id,
            changes={"note": note} if note else {},
            base_version=offer.version,
            proposed_by=user.label,
        ),
    )


def confirm(
    session: Session,
    offers: Sequence[Offer],
    user: StaffUser,
    *,
    based_on: Mapping[int, int] | None = None,
) -> int | None:
    """ "Stimmt so" for each offer (one transaction); returns how many, or None when an
    offer changed meanwhile (``based_on``: the version the page showed, by offer id;
    else the version read now): nothing is confirmed then. The database decides
    between parallel confirmations of one version: one is stored, the others are None."""
    actor = provider_actor(user)
    try:
        for offer in offers:
            verify_offer(session, offer, actor, based_on=(based_on or {}).get(offer.id))
    except VersionConflict:
        session.rollback()
        return None
    session.commit()
    return len(offers)


def _hold(session: Session, row: ProviderEdit) -> Held:
    session.add(row)
    session.commit()
    return Held(row)


def _create(session: Session, data: OfferCreate, actor: Actor, provider: Provider) -> Offer:
    return create_offer(
        session,
        data,
        actor,
        source=SourceInfo(
            source=PROVIDER_SOURCE, source_id="", source_label=f"Träger: {provider.name}"
        ),
    )


# --- the staff's queue ------------------------------------------------------------------


@dataclass
class QueueItem:
    edit: ProviderEdit
    provider: Provider
    offer: Offer | None
    # (field, stored value, proposed value) for a change; proposed values for a new offer
    rows: list[tuple[str, Any, Any]] = field(default_factory=list)


def open_edits(session: Session, *, provider_ids_: Sequence[int] | None = None) -> list[QueueItem]:
    """The held edits, oldest first, each with the stored value beside the proposed one."""
    stmt = select(ProviderEdit).where(ProviderEdit.status == "open")
    if provider_ids_ is not None:
        stmt = stmt.where(ProviderEdit.provider_id.in_(list(provider_ids_) or [-1]))
    items = []
    for row in session.execute(stmt.order_by(ProviderEdit.proposed_at, ProviderEdit.id)).scalars():
        provider = session.get(Provider, row.provider_id)
        offer = session.get(Offer, row.offer_id) if row.offer_id else None
        stored = snapshot(offer) if offer is not None else {}
        if row.action == "create":
            rows = [(k, None, v) for k, v in row.changes.items() if v not in (None, [], "", False)]
        else:
            rows = [(k, stored.get(k), v) for k, v in row.changes.items()]
        items.append(QueueItem(row, provider, offer, rows))
    return items


def open_total(session: Session) -> int:
    """How many held edits wait for staff."""
    return session.execute(
        select(func.count()).select_from(ProviderEdit).where(ProviderEdit.status == "open")
    ).scalar_one()


def open_count(session: Session, offer_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Held edits per offer (for the provider's list: "wartet auf Prüfung")."""
    stmt = (
        select(ProviderEdit.offer_id, func.count())
        .where(ProviderEdit.status == "open", ProviderEdit.offer_id.is_not(None))
        .group_by(ProviderEdit.offer_id)
    )
    if offer_ids is not None:
        stmt = stmt.where(ProviderEdit.offer_id.in_(list(offer_ids) or [-1]))
    return dict(session.execute(stmt).all())


def _decide(
    session: Session, row: ProviderEdit, staff: StaffUser, status: str, reason: str | None
) -> bool:
    """Decide the held edit once (the database decides between parallel deciders);
    False: it was decided meanwhile."""
    return claim_open(
        session,
        row,
        status=status,
        decided_by=staff.label,
        decided_at=utcnow(),
        reason=reason,
    )


def accept(session: Session, row: ProviderEdit, staff: StaffUser) -> edits.Outcome:
    """Apply a held edit through the one write path; the change log names the provider
    account (channel ``provider``) and who accepted it."""
    if row.status != "open" or not _decide(session, row, staff, "accepted", None):
        session.rollback()
        return edits.Invalid({"edit": "already decided"})
    actor = Actor(f"{row.proposed_by} (angenommen: {staff.label})"[:200], "provider")
    if row.action == "create":
        provider = session.get(Provider, row.provider_id)
        try:
            data = OfferCreate.model_validate(row.changes)
        except ValidationError as exc:
            session.rollback()
            return edits.Invalid(validation_errors(exc), exc)
        offer = _create(session, data, actor, provider)
        session.commit()
        return edits.Applied(offer)
    offer = session.get(Offer, row.offer_id)
    if row.action == "close":
        return edits.edit(session, offer, actor, action="archive")
    return edits.edit(
        session,
        offer,
        actor,
        changes=row.changes,
        based_on=[offer.version],
        base_version=row.base_version,
    )


def reject(session: Session, row: ProviderEdit, staff: StaffUser, reason: str) -> None:
    if row.status == "open" and _decide(
        session, row, staff, "rejected", " ".join(reason.split())[:1000] or None
    ):
        session.commit()

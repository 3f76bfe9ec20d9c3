"""An offer's history, read from its change log: the changes, the offer's state at any
earlier version, restoring that state, and merging a change based on an old version
with the changes made since (three-way: base, stored, typed)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from app.catalogue.audit import EDITABLE, same_value, snapshot
from app.catalogue.write import update_offer
from app.catalogue.writers import Actor
from app.models import Offer, OfferChange


def changes_of(session: Session, offer_id: int, *, newest_first: bool = True) -> list[OfferChange]:
    order = (
        (OfferChange.version.desc(), OfferChange.id.desc())
        if newest_first
        else (OfferChange.version, OfferChange.id)
    )
    return list(
        session.execute(
            select(OfferChange).where(OfferChange.offer_id == offer_id).order_by(*order)
        ).scalars()
    )


def state_at(session: Session, offer: Offer, version: int) -> dict[str, Any]:
    """The offer's editable fields as they were right after ``version``: the current
    state with every later change undone (``before`` of each, newest first)."""
    if not 1 <= version <= offer.version:
        raise ValueError(f"offer {offer.id} has no version {version}")
    values = snapshot(offer)
    for change in changes_of(session, offer.id):
        if change.version <= version:
            break
        for name, value in change.before.items():
            if name in values:
                values[name] = value
    return values


def restore_state(
    session: Session, offer: Offer, version: int, actor: Actor, *, based_on: int
) -> Offer:
    """Write the state of ``version`` back as a new version (logged like any change)."""
    return update_offer(session, offer, state_at(session, offer, version), actor, based_on=based_on)


@dataclass
class Merge:
    """A change typed on ``base_version`` against what is stored now."""

    base_version: int
    stored_version: int
    base: dict[str, Any]
    stored: dict[str, Any]
    typed: dict[str, Any]
    mine: set[str] = field(default_factory=set)  # changed by the editor only
    theirs: set[str] = field(default_factory=set)  # changed by others since, only
    both: set[str] = field(default_factory=set)  # changed on both sides, differently

    def merged(self, take_stored: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
        """The editor's changes on top of the stored state; in ``take_stored`` fields
        the stored value wins instead of the typed one."""
        values = dict(self.stored)
        for name in self.mine | (self.both - set(take_stored)):
            values[name] = self.typed[name]
        return values


def plan_merge(
    session: Session, offer: Offer, base_version: int, typed: Mapping[str, Any]
) -> Merge:
    """Which fields the editor changed since ``base_version``, which others changed, and
    where both did (shown side by side)."""
    base = state_at(session, offer, base_version)
    stored = snapshot(offer)
    typed_all = {**base, **{k: v for k, v in typed.items() if k in EDITABLE}}
    plan = Merge(base_version, offer.version, base, stored, typed_all)
    for name in EDITABLE:
        changed_by_me = not same_value(typed_all.get(name), base.get(name))
        changed_by_them = not same_value(stored.get(name), base.get(name))
        if changed_by_me and changed_by_them:
            if not same_value(typed_all.get(name), stored.get(name)):
                plan.both.add(name)
        elif changed_by_me:
            plan.mine.add(name)
        elif changed_by_them:
            plan.theirs.add(name)
    return plan

"""The edit workflow: one function every editor calls, for offers and providers.

The staff pages, the admin API (and the public corrections and provider accounts that
build on them) hand ``edit`` what was typed, who typed it and the version it was based
on, and get back one outcome:

- ``Applied``: written and committed, the item at its new version;
- ``Conflict``: based on an old version (or another write won the race in the
  database), nothing written; the item as stored now and, for offers with typed
  values, the three-way merge plan (base, stored, typed) the merge page shows;
- ``Invalid``: a field is wrong (named, with its message), nothing written.

Who wins a race is decided by the database, not here: the write path updates the row
only ``WHERE id = ? AND version = ?`` and a row count of zero is a conflict (the
models' ``version_id_col``, see ``app.models.catalogue``).
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError
from sqlmodel import Session

from app.catalogue import history
from app.catalogue import providers as provider_store
from app.catalogue.placing import outside_city, outside_city_xy
from app.catalogue.write import (
    archive_offer,
    create_offer,
    restore_offer,
    update_offer,
    validation_errors,
    verify_offer,
)
from app.catalogue.writers import Actor, Placement, SourceInfo, VersionConflict
from app.i18n import gettext as _
from app.models import Offer, OfferCreate, Provider

Action = Literal["update", "archive", "restore", "verify"]
Item = Offer | Provider


@dataclass
class Applied:
    item: Item
    outcome: str = "applied"


@dataclass
class Conflict:
    item: Item  # as stored now
    plan: history.Merge | None = None  # offers with typed values only
    outcome: str = "conflict"

    @property
    def current(self) -> int:
        return self.item.version


@dataclass
class Invalid:
    errors: dict[str, str]  # field -> message
    error: Exception | None = None  # the ValidationError, for callers that word it
    outcome: str = "invalid"


Outcome = Applied | Conflict | Invalid


def claimed_versions(if_match: str | None, *others: int | None) -> list[int]:
    """The versions a write says it is based on: each tag of an ``If-Match`` (``*``
    claims nothing; a tag that is no version claims one that never exists) and any
    other version given (a form's or a body's)."""
    wanted: list[int] = []
    if if_match and if_match.strip() != "*":
        for tag in if_match.split(","):
            tag = tag.strip().removeprefix("W/").strip('"')
            wanted.append(int(tag) if tag.isdigit() else -1)
    wanted += [v for v in others if v is not None]
    return wanted


def edit(
    session: Session,
    item: Item,
    actor: Actor,
    *,
    changes: Mapping[str, Any] | None = None,
    action: Action = "update",
    based_on: Sequence[int] = (),
    base_version: int | None = None,
    take_stored: Collection[str] = (),
    placement: Placement | None = None,
    confirm_outside: bool = False,
    verify: bool = False,
) -> Outcome:
    """Apply one edit of ``item`` (an offer or a provider) and commit it.

    ``based_on``: the versions the editor saw (none: the stored one, as read now).
    ``base_version``: the version typed values were first based on when they come back
    from the merge page (with ``take_stored``, the fields where the editor kept the
    stored value); the merge is then applied on top of the stored version.
    ``confirm_outside``: staff confirm a typed point outside the city area.
    ``verify``: the editor also checked the whole entry ("Speichern und als geprüft
    markieren"): the update and the check are written in the same transaction.
    """
    stored = item.version
    claimed = list(based_on) or [stored]
    is_offer = isinstance(item, Offer)
    base = min(max(base_version if base_version is not None else claimed[0], 1), stored)
    if any(v != stored for v in claimed):
        return _conflict(session, item, changes, base)
    values = dict(changes or {})
    if is_offer and not confirm_outside and placement is not None:
        if errors := placement_errors(session, placement):
            return Invalid(errors)
    elif is_offer and not confirm_outside and {"lat", "lon"} & set(values):
        loc = item.location
        lat = values.get("lat", loc.lat if loc else None)
        lon = values.get("lon", loc.lon if loc else None)
        if errors := point_errors(session, lat, lon):
            return Invalid(errors)
    if is_offer and changes is not None and base != stored:  # the merge page's answer
        plan = history.plan_merge(session, item, base, values)
        values = plan.merged(set(take_stored) & plan.both)
    try:
        _apply(session, item, actor, action, values, stored, placement)
        if verify and is_offer and action == "update":
            verify_offer(session, item, actor)
    except ValidationError as exc:
        session.rollback()
        return Invalid(validation_errors(exc), exc)
    except provider_store.ProviderNameTaken as exc:
        session.rollback()
        return Invalid({"name": _("Einen Träger mit diesem Namen gibt es schon.")}, exc)
    except VersionConflict:
        session.rollback()
        session.refresh(item)
        return _conflict(session, item, changes, base)
    session.commit()
    return Applied(item)


def create(
    session: Session,
    data: OfferCreate,
    actor: Actor,
    *,
    source: SourceInfo | None = None,
    confirm_outside: bool = False,
) -> Outcome:
    """A new offer from an editor, committed: ``Applied`` or ``Invalid`` (a point
    outside the city area that staff did not confirm)."""
    if not confirm_outside and (errors := point_errors(session, data.lat, data.lon)):
        return Invalid(errors)
    offer = create_offer(session, data, actor, source=source)
    session.commit()
    return Applied(offer)


def point_errors(session: Session, lat: float | None, lon: float | None) -> dict[str, str]:
    """The typed point, when it lies outside the configured city area, named on both
    coordinates (``lat: 0, lon: 0`` is a slip, not a place in Bochum)."""
    if lat is None or lon is None or not outside_city(session, lon, lat):
        return {}
    message = _(
        "Der Punkt liegt außerhalb des Stadtgebiets. Prüfen Sie Breite und Länge "
        "(zum Beispiel 51.4818 und 7.2162) oder bestätigen Sie den Punkt ausdrücklich."
    )
    return {"lat": message, "lon": message}


def placement_errors(session: Session, placement: Placement) -> dict[str, str]:
    """A point staff placed (by address, postcode or coordinates) outside the
    configured city area, named ``point``: saved only when staff confirm it."""
    if not outside_city_xy(session, placement.x, placement.y):
        return {}
    return {
        "point": _(
            "Der Punkt liegt außerhalb des Stadtgebiets. Prüfen Sie die Adresse oder die "
            "Koordinaten, oder bestätigen Sie ausdrücklich, dass das Angebot dort liegt."
        )
    }


def restore_version(
    session: Session, offer: Offer, version: int, actor: Actor, *, based_on: Sequence[int] = ()
) -> Outcome:
    """Write the state of an earlier ``version`` back as a new version."""
    return edit(
        session, offer, actor, changes=history.state_at(session, offer, version), based_on=based_on
    )


def _apply(
    session: Session,
    item: Item,
    actor: Actor,
    action: Action,
    values: dict[str, Any],
    based_on: int,
    placement: Placement | None,
) -> None:
    if isinstance(item, Offer):
        if action == "update":
            update_offer(session, item, values, actor, based_on=based_on, placement=placement)
        else:
            {"archive": archive_offer, "restore": restore_offer, "verify": verify_offer}[action](
                session, item, actor, based_on=based_on
            )
        return
    if action == "update":
        provider_store.update_provider(session, item, values, actor, based_on=based_on)
    elif action in ("archive", "restore"):
        change = (
            provider_store.archive_provider
            if action == "archive"
            else provider_store.restore_provider
        )
        change(session, item, actor, based_on=based_on)
    else:
        raise ValueError(f"a provider cannot be '{action}'")


def _conflict(
    session: Session, item: Item, changes: Mapping[str, Any] | None, base: int
) -> Conflict:
    if isinstance(item, Offer) and changes is not None:
        return Conflict(item, history.plan_merge(session, item, base, changes))
    return Conflict(item)

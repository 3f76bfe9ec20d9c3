"""The change log: an offer's editable fields as a flat snapshot, what a change
altered, and the ``OfferChange`` row that records it."""

from typing import Any

from sqlmodel import Session

from app.catalogue import hours
from app.models import Offer, OfferChange, OfferCreate

EDITABLE = tuple(OfferCreate.model_fields)


def snapshot(offer: Offer) -> dict[str, Any]:
    """The offer's editable fields as JSON values, named as in ``OfferCreate``."""
    loc = offer.location
    values: dict[str, Any] = {
        name: getattr(offer, name) for name in EDITABLE if name in Offer.model_fields
    }
    values.update(
        extra_categories=sorted(
            c.category for c in offer.categories if c.category != offer.category
        ),
        provider_name=offer.provider.name if offer.provider else None,
        street=loc.street if loc else None,
        postcode=loc.postcode if loc else None,
        city=loc.city if loc else "Bochum",
        lat=loc.lat if loc else None,
        lon=loc.lon if loc else None,
    )
    values["languages"] = list(values.get("languages") or [])
    values["opening_hours"] = hours.hours_of(offer)
    values["opening_exceptions"] = hours.exceptions_of(offer)
    return values


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {k for k in after if _norm(before.get(k)) != _norm(after.get(k))}


def same_value(a: Any, b: Any) -> bool:
    """Whether two snapshot values are the same (lists in any order, floats to 1e-7)."""
    return _norm(a) == _norm(b)


def _norm(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(map(str, value))
    if isinstance(value, float):
        return round(value, 7)
    return value


def record_change(
    session: Session,
    offer: Offer,
    actor: Any,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> OfferChange:
    change = OfferChange(
        offer_id=offer.id,
        version=offer.version,
        actor=actor.name,
        channel=actor.channel,
        action=action,
        before=_json(before),
        after=_json(after),
    )
    session.add(change)
    return change


def _json(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in values.items():
        out[k] = v.isoformat() if hasattr(v, "isoformat") else v
    return out


def snapshot_of_input(data: OfferCreate) -> dict[str, Any]:
    values = snapshot_of_model(data)
    return {k: v for k, v in values.items() if v not in (None, [], "")}


def snapshot_of_model(data: OfferCreate) -> dict[str, Any]:
    """Like ``audit.snapshot``: extra categories without the main one, sorted."""
    values = data.model_dump(mode="json")
    values["extra_categories"] = sorted(set(data.extra_categories) - {data.category})
    values["opening_hours"] = hours.normalised_hours(values["opening_hours"])
    values["opening_exceptions"] = hours.normalised_exceptions(values["opening_exceptions"])
    return values

"""Reading the sourced Kita facts (app.models.kitafacts): what an offer page shows and
what staff act on.

A fact is *superseded* when a person (staff, the provider, an accepted correction)
changed the offer's field it is about after the fact's date, or confirmed the whole
entry ("stimmt so") after it: the page then marks it as older than the provider's or
the office's information. Facts never change the offer's own fields.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.models import Offer, OfferChange, OfferFact, SourcedFactPublic

# The offer's fields (as in the change log) that a kind of fact is about; a kind
# without fields is superseded only by a confirmation of the whole entry.
FIELDS: dict[str, tuple[str, ...]] = {
    "places": ("capacity", "capacity_u3"),
    "groups": (),
    "phone": ("contact_phone",),
    "hours": ("opening_hours", "opening_exceptions", "closed_school_holidays"),
    "status": ("archived_at",),
    "familienzentrum_since": (),
}
ORDER = ("status", "places", "groups", "phone", "hours", "familienzentrum_since")
# The change log's channels of a person's edit (not the import, not the system).
PERSON_CHANNELS = ("page", "api", "upload", "provider", "correction")
# Facts that staff must act on: the row says the Kita closed or will close.
CLOSING_WORDS = ("geschlossen", "schließung")


@dataclass(frozen=True)
class FactView:
    fact: OfferFact
    superseded: bool


def _edited_days(session: Session, offer_id: int) -> dict[str, date]:
    """Per field: the last day a person changed it."""
    last: dict[str, date] = {}
    changes = session.exec(
        select(OfferChange).where(
            OfferChange.offer_id == offer_id, col(OfferChange.channel).in_(PERSON_CHANNELS)
        )
    ).all()
    for change in changes:
        day = change.changed_at.date()
        for name in change.after:
            if name not in last or last[name] < day:
                last[name] = day
    return last


def is_superseded(fact: OfferFact, offer: Offer, edited: dict[str, date]) -> bool:
    if fact.as_of is None:
        # An undated fact is older than any person's word on the entry.
        return offer.last_verified is not None or any(n in edited for n in FIELDS[fact.kind])
    if offer.last_verified is not None and offer.last_verified > fact.as_of:
        return True
    return any(edited.get(n, date.min) > fact.as_of for n in FIELDS[fact.kind])


def facts_of(session: Session, offer: Offer) -> list[FactView]:
    """The offer's facts, in a fixed order of kinds, newest first within a kind."""
    if offer.id is None:
        return []
    facts = session.exec(select(OfferFact).where(OfferFact.offer_id == offer.id)).all()
    if not facts:
        return []
    edited = _edited_days(session, offer.id)
    facts = sorted(
        facts,
        key=lambda f: (ORDER.index(f.kind), -(f.as_of or date.min).toordinal(), f.id or 0),
    )
    return [FactView(f, is_superseded(f, offer, edited)) for f in facts]


def public_facts(session: Session, offer: Offer) -> list[SourcedFactPublic]:
    """The facts of the offer page (``facts_of``) in the shape of its JSON twins."""
    return [
        SourcedFactPublic(
            kind=v.fact.kind,
            fact=v.fact.fact,
            value=v.fact.value,
            source_url=v.fact.source_url,
            source_date=v.fact.source_date,
            as_of=v.fact.as_of,
            superseded=v.superseded,
        )
        for v in facts_of(session, offer)
    ]


def is_closing(fact: OfferFact) -> bool:
    return fact.kind == "status" and any(w in fact.value.lower() for w in CLOSING_WORDS)


@dataclass(frozen=True)
class ActionItem:
    fact: OfferFact
    offer: Offer | None


@dataclass(frozen=True)
class ToActOn:
    closures: list[ActionItem]  # closed or closing Kitas, with their offer if any
    not_in_city_file: list[ActionItem]  # facts about Kitas the city file does not list


def to_act_on(session: Session) -> ToActOn:
    """Closures and announced closures, and the Kitas not in the city file, each with its
    source: for staff to check and act on by hand."""
    rows = session.exec(
        select(OfferFact, Offer)
        .join(Offer, col(Offer.id) == col(OfferFact.offer_id), isouter=True)
        .order_by(col(OfferFact.name_in_source), col(OfferFact.id))
    ).all()
    closures = [ActionItem(f, o) for f, o in rows if is_closing(f)]
    missing = [ActionItem(f, o) for f, o in rows if f.poi_id is None and not is_closing(f)]
    return ToActOn(closures, missing)

"""An HSDS 3.0 feed read into the catalogue, as the CSV upload is: every record is
checked (the standard's schema, then our rules), every error named by line, JSON path
and message; a feed with one bad record writes nothing; otherwise every record is
written through the one write path (``create_offers``, ``update_offer``,
``verify_offer``) with the channel ``hsds``. The same function is the dry run (the
caller rolls back) and the confirmed import (the caller commits).

A record is matched to an offer by the feed's service id (kept per offer in
``hsds_service``), else by name and address (street with house number, postcode) for
a first match that staff confirm; a match not confirmed is imported as a new offer.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlmodel import Session

from app.catalogue.audit import changed_fields, snapshot
from app.catalogue.providers import update_provider
from app.catalogue.write import create_offers, update_offer, verify_offer
from app.catalogue.writers import Actor, NewOffer, SourceInfo
from app.db import state
from app.hsds.feed import FeedError, Record, read_feed, schema_errors
from app.hsds.mapping import FEED_FIELDS, Mapped, map_service
from app.hsds.values import web_uri
from app.i18n import gettext as _
from app.importer.preview import PreviewReport
from app.models import HsdsService, Location, Offer, OfferCreate, Provider
from app.models.hsds_ids import sal_id
from app.text import address_key, fold

CHANNEL = "hsds"
SOURCE = "hsds"
NEW, CHANGED, UNCHANGED, TO_CONFIRM = "neu", "geändert", "unverändert", "zuordnen"


@dataclass
class FeedLine:
    line: int
    action: str  # NEW | CHANGED | UNCHANGED | TO_CONFIRM
    name: str
    service_id: str
    offer_id: int | None = None
    fields: list[str] = field(default_factory=list)  # what changes
    ignored: list[str] = field(default_factory=list)  # paths we cannot hold


@dataclass
class FeedReport(PreviewReport):
    lines: list[FeedLine] = field(default_factory=list)
    errors: list[FeedError] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "%(new)s neu, %(changed)s geändert, %(same)s unverändert, "
            "%(confirm)s zuzuordnen, %(errors)s Fehler",
            new=self.count(NEW),
            changed=self.count(CHANGED),
            same=self.count(UNCHANGED),
            confirm=self.count(TO_CONFIRM),
            errors=len(self.errors),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "created": self.count(NEW),
            "changed": self.count(CHANGED),
            "unchanged": self.count(UNCHANGED),
            "to_confirm": self.count(TO_CONFIRM),
            "lines": [r.__dict__ for r in self.lines],
            "errors": [e.__dict__ for e in self.errors],
        }


@dataclass
class _Checked:
    record: Record
    mapped: Mapped
    offer: Offer | None  # matched
    by_name: bool  # matched by name and address, not by the feed's id
    data: OfferCreate | None = None  # new offers


def _model_errors(line: int, mapped: Mapped, exc: ValidationError) -> list[FeedError]:
    errors = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        name = loc[0] if loc else ""
        path = mapped.paths.get(".".join(loc[:2])) or mapped.paths.get(name) or "$"
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "string_too_long":
            message = _("ist zu lang (höchstens %(n)s Zeichen)", n=err["ctx"]["max_length"])
        elif err["type"] == "string_too_short":
            message = _("ist zu kurz")
        elif err["type"] == "string_pattern_mismatch":
            message = _("hat nicht die erwartete Form")
        elif err["type"] == "missing":
            message = _("Pflichtfeld fehlt")
        errors.append(FeedError(line, path, message))
    return errors


def _place_key(name: str | None, street: str | None, postcode: str | None) -> tuple | None:
    key = address_key(street)
    if not name or (key is None and not postcode):
        return None
    return (fold(name), key, postcode or None)


def _name_index(session: Session) -> dict[tuple, int]:
    """Offers without a feed id by (name, street and number, postcode): the first wins."""
    rows = session.execute(
        select(Offer.id, Offer.name, Location.street, Location.postcode)
        .join(Location, Location.id == Offer.location_id)
        .outerjoin(HsdsService, HsdsService.offer_id == Offer.id)
        .where(HsdsService.offer_id.is_(None), Offer.archived_at.is_(None))
        .order_by(Offer.id)
    )
    index: dict[tuple, int] = {}
    for offer_id, name, street, postcode in rows:
        key = _place_key(name, street, postcode)
        if key is not None:
            index.setdefault(key, offer_id)
    return index


def _linked(session: Session, ids: list[str]) -> dict[str, int]:
    """Offers by the service id a feed names: the id kept from a feed, or the id our
    export derives (so our own dump read back finds its offers)."""
    found: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        found.update(
            session.execute(
                select(HsdsService.service_id, HsdsService.offer_id).where(
                    HsdsService.service_id.in_(ids[start : start + 500])
                )
            ).all()
        )
    wanted = sorted(set(ids) - set(found))
    for start in range(0, len(wanted), 500):
        found.update(
            session.execute(
                select(Offer.hsds_service_id, Offer.id)
                .outerjoin(HsdsService, HsdsService.offer_id == Offer.id)
                .where(
                    Offer.hsds_service_id.in_(wanted[start : start + 500]),
                    HsdsService.offer_id.is_(None),
                )
            ).all()
        )
    return found


def check_feed(session: Session, text: str) -> tuple[list[_Checked], list[FeedError]]:
    """Every record checked and matched, or all errors of the feed."""
    records, errors = read_feed(text)
    if errors:
        return [], errors
    if not records:
        return [], [FeedError(1, "$", _("die Datei enthält keinen Service"))]
    mapped: list[tuple[Record, Mapped]] = []
    seen: dict[str, int] = {}
    for record in records:
        found = schema_errors(record)
        if found:
            errors += found
            continue
        m = map_service(record.data)
        sid = (m.service_id or "").lower()
        if sid in seen:
            errors.append(
                FeedError(
                    record.line,
                    "$.id",
                    _("derselbe Service steht schon in Zeile %(line)s", line=seen[sid]),
                )
            )
            continue
        seen[sid] = record.line
        m.service_id = sid
        mapped.append((record, m))
    linked = _linked(session, [m.service_id for _, m in mapped])
    index = _name_index(session) if len(linked) < len(mapped) else {}
    checked: list[_Checked] = []
    taken: set[int] = set(linked.values())
    for record, m in mapped:
        offer_id, by_name = linked.get(m.service_id), False
        if offer_id is None:
            key = _place_key(m.values["name"], m.values["street"], m.values["postcode"])
            candidate = index.get(key) if key else None
            if candidate is not None and candidate not in taken:
                offer_id, by_name = candidate, True
                taken.add(candidate)
        offer = session.get(Offer, offer_id) if offer_id is not None else None
        try:
            if offer is None:
                item = _Checked(record, m, None, False, OfferCreate.model_validate(m.values))
            else:
                OfferCreate.model_validate({**snapshot(offer), **m.values})
                item = _Checked(record, m, offer, by_name)
        except ValidationError as exc:
            errors += _model_errors(record.line, m, exc)
            continue
        checked.append(item)
    return checked, errors


def _source(m: Mapped, filename: str, source_id: str) -> SourceInfo:
    return SourceInfo(
        SOURCE,
        source_id,
        source_urls=m.source_urls,
        source_label=m.source_label or _("HSDS-Feed %(name)s", name=filename),
        source_date=m.source_date,
        source_changed=m.source_changed,
    )


def apply_feed(
    session: Session,
    text: str,
    filename: str,
    actor: Actor,
    confirm: Collection[str] | None = None,
) -> FeedReport:
    """Check the feed and, when every record is good, write it (the caller commits or
    rolls back). ``confirm``: the service ids whose match by name and address staff
    confirmed; None: a preview, which shows such matches as to be confirmed."""
    report = FeedReport(filename)
    checked, errors = check_feed(session, text)
    if errors:
        report.errors = sorted(errors, key=lambda e: (e.line, e.path))
        return report
    preview = confirm is None
    confirmed = {c.lower() for c in (confirm or ())}
    new: list[_Checked] = []
    for item in checked:
        if item.offer is not None and item.by_name and not preview:
            if item.mapped.service_id not in confirmed:
                item.offer, item.data = None, OfferCreate.model_validate(item.mapped.values)
        if item.offer is None:
            new.append(item)
    ids = create_offers(
        session,
        [
            NewOffer(
                i.data,  # type: ignore[arg-type]
                _source(i.mapped, filename, i.mapped.service_id or ""),
                provider_kind=i.mapped.provider_kind,
            )
            for i in new
        ],
        actor,
    )
    links = []
    for item, offer_id in zip(new, ids, strict=True):
        links.append(_link(offer_id, item.mapped.service_id))
        offer = session.get(Offer, offer_id)
        assert offer is not None
        _after_write(session, offer, item.mapped, actor)
        report.lines.append(
            FeedLine(
                item.record.line,
                NEW,
                offer.name,
                item.mapped.service_id or "",
                offer_id,
                ignored=item.mapped.ignored,
            )
        )
    for item in checked:
        offer = item.offer
        if offer is None:
            continue
        if item.by_name:
            links.append(_link(offer.id, item.mapped.service_id))
        before = snapshot(offer)
        m = item.mapped
        source = (
            _source(m, filename, offer.source_id)
            if (m.source_label or m.source_urls)
            and (m.source_label, m.source_date, m.source_urls)
            # an offer without a label is exported with its source as the label
            != (
                offer.source_label or offer.source,
                offer.source_date,
                list(offer.source_urls or []),
            )
            else None
        )
        update_offer(session, offer, _changes(offer, m), actor, source=source)
        _after_write(session, offer, item.mapped, actor)
        diff = changed_fields(before, snapshot(offer))
        action = TO_CONFIRM if item.by_name and preview else CHANGED if diff else UNCHANGED
        report.lines.append(
            FeedLine(
                item.record.line,
                action,
                offer.name,
                item.mapped.service_id or "",
                offer.id,
                sorted(diff),
                item.mapped.ignored,
            )
        )
    if links:
        session.execute(insert(HsdsService.__table__), links)
        state.bump(session, state.OFFERS)  # the offers are published with these ids now
    report.lines.sort(key=lambda r: r.line)
    session.flush()
    return report


def _link(offer_id: int | None, sid: str | None) -> dict[str, Any]:
    """The row that keeps the feed's service id of an offer (and, for lookups, the id
    of its service_at_location)."""
    return {"offer_id": offer_id, "service_id": sid, "sal_id": sal_id(sid or "")}


def _changes(offer: Offer, m: Mapped) -> dict[str, Any]:
    """The fields the feed says: an age range only typical of the kind is not
    published, so a feed without ages leaves it alone."""
    changes = {k: m.values[k] for k in FEED_FIELDS if k in m.values}
    if web_uri(offer.website) == changes["website"]:
        del changes["website"]  # the same address, written as our export writes it
    if offer.age_is_typical and m.values["age_min"] is None and m.values["age_max"] is None:
        for name in ("age_min", "age_max", "age_min_months", "age_max_months"):
            changes.pop(name, None)
    return changes


def _after_write(session: Session, offer: Offer, m: Mapped, actor: Actor) -> None:
    """What the offer's write does not carry: the check the feed assures, the
    provider's web address (only where we have none)."""
    if m.assured is not None and (offer.last_verified is None or m.assured > offer.last_verified):
        verify_offer(session, offer, actor, on=m.assured)
    if m.provider_website and offer.provider_id is not None:
        provider = session.get(Provider, offer.provider_id)
        if provider is not None and provider.website is None:
            try:
                update_provider(session, provider, {"website": m.provider_website}, actor)
            except ValidationError:
                pass  # a web address our rules refuse is left out, the offer stands

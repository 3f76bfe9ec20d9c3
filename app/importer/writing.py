"""The import's last step: the checked records into the catalogue through its write
path (``app.catalogue.write``): new offers in bulk, changed ones one by one, each
change logged. A field that staff changed on or after the source's change date is
kept and reported as a conflict. ``app.importer.run`` reads, groups and checks first."""

import sys
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select
from tqdm import tqdm

from app.catalogue.audit import changed_fields, snapshot
from app.catalogue.write import create_offers, update_offer
from app.catalogue.writers import IMPORT, NewOffer, Placement, SourceInfo
from app.i18n import gettext, ngettext
from app.importer.record_check import FILL_ONLY_FIELDS, SOURCE_FIELDS
from app.importer.records import SOURCE_CURATED, SOURCE_POI, Key, OfferRecord
from app.messages import field_label
from app.models import Offer, OfferCategory, OfferChange, OfferCreate
from app.models.categories import SLUGS
from app.numbers import format_date, format_datetime

if TYPE_CHECKING:
    from app.importer.run import ImportReport

LOCAL_TZ = ZoneInfo("Europe/Berlin")  # source dates are calendar days in Bochum
BATCH = 5000  # new offers written per bulk insert


def write_records(
    session: Session,
    records: list[OfferRecord],
    models: dict[Key, OfferCreate],
    report: "ImportReport",
    *,
    progress: bool,
    stale_check: bool,
    all_keys: set[Key],
) -> None:
    """Insert the new records, update the changed ones, count the unchanged (by
    ``source_hash``), and warn of offers the sources no longer list."""
    existing = {
        (source, source_id): (offer_id, digest)
        for offer_id, source, source_id, digest in session.execute(
            select(Offer.id, Offer.source, Offer.source_id, Offer.source_hash).where(
                Offer.source.in_([SOURCE_POI, SOURCE_CURATED])
            )
        )
    }
    new: list[NewOffer] = []
    changed: list[tuple[int, OfferRecord, str]] = []
    for record in records:
        digest = record.source_hash()
        found = existing.get(record.key)
        if found is None:
            new.append(_new_offer(record, models[record.key], digest))
        elif found[1] == digest:
            report.unchanged += 1
        else:
            changed.append((found[0], record, digest))

    show = progress and sys.stderr.isatty()
    with tqdm(
        total=len(new) + len(changed), desc="Import", unit=" offers", disable=not show
    ) as bar:
        for start in range(0, len(new), BATCH):
            batch = new[start : start + BATCH]
            create_offers(session, batch, IMPORT)
            report.inserted += len(batch)
            bar.update(len(batch))
        staff = _staff_fields(session, [offer_id for offer_id, _, _ in changed])
        for offer_id, record, digest in changed:
            _apply_change(
                session,
                offer_id,
                record,
                models[record.key],
                digest,
                staff.get(offer_id, []),
                report,
            )
            bar.update(1)
    session.flush()
    if stale_check:
        stale = sorted(set(existing) - all_keys)
        if stale:
            sample = ", ".join(f"{s} {i}" for s, i in stale[:5])
            report.warnings.append(
                ngettext(
                    "%(num)s Angebot, das die Quellen nicht mehr nennen, blieb unverändert: "
                    "%(sample)s",
                    "%(num)s Angebote, die die Quellen nicht mehr nennen, blieben unverändert: "
                    "%(sample)s",
                    len(stale),
                    sample=sample + (" …" if len(stale) > 5 else ""),
                )
            )
    counts = dict(
        session.execute(
            select(OfferCategory.category, func.count()).group_by(OfferCategory.category)
        ).all()
    )
    report.per_category = {slug: counts[slug] for slug in SLUGS if slug in counts}


def _source_info(record: OfferRecord, digest: str) -> SourceInfo:
    return SourceInfo(
        source=record.source,
        source_id=record.source_id,
        source_urls=list(record.source_urls),
        source_label=record.source_label,
        source_date=record.source_date,
        source_changed=record.source_changed,
        source_hash=digest,
    )


def _placement(record: OfferRecord) -> Placement | None:
    if record.x is None or record.y is None:
        return None
    return Placement(
        record.x,
        record.y,
        record.precision or "exact",
        record.placed_by,
        areas=(record.district_slug, record.plz_area),
    )


def _new_offer(record: OfferRecord, data: OfferCreate, digest: str) -> NewOffer:
    if record.lon is not None:
        data = data.model_copy(update={"lon": record.lon, "lat": record.lat})
    return NewOffer(
        data=data,
        source=_source_info(record, digest),
        placement=_placement(record),
        district_hint=record.district_slug if record.x is None else None,
        provider_kind=record.provider_kind,
    )


def _staff_fields(
    session: Session, offer_ids: list[int]
) -> dict[int, list[tuple[datetime, set[str]]]]:
    """Per offer, when staff changed which fields (from the change log)."""
    found: dict[int, list[tuple[datetime, set[str]]]] = defaultdict(list)
    for start in range(0, len(offer_ids), 1000):
        chunk = offer_ids[start : start + 1000]
        for offer_id, when, after in session.execute(
            select(OfferChange.offer_id, OfferChange.changed_at, OfferChange.after).where(
                OfferChange.offer_id.in_(chunk),
                OfferChange.channel.in_(("page", "api", "upload")),
                OfferChange.action == "update",
            )
        ):
            found[offer_id].append((when, set(after)))
    return found


def _local_day(when: datetime) -> date:
    if when.tzinfo is None:  # SQLite hands back the stored UTC time without a zone
        when = when.replace(tzinfo=UTC)
    return when.astimezone(LOCAL_TZ).date()


def _apply_change(
    session: Session,
    offer_id: int,
    record: OfferRecord,
    data: OfferCreate,
    digest: str,
    staff_edits: list[tuple[datetime, set[str]]],
    report: "ImportReport",
) -> None:
    """Update an offer from its changed source, except where staff changed a field on
    or after the source's change date (an undated source never wins over staff)."""
    offer = session.get(Offer, offer_id)
    assert offer is not None
    owned: set[str] = set()
    last_edit: datetime | None = None
    for when, names in staff_edits:
        if record.source_changed is None or _local_day(when) >= record.source_changed:
            owned |= names
            last_edit = max(last_edit or when, when)
    if (
        not staff_edits
        and offer.edited_at is not None
        and (record.source_changed is None or _local_day(offer.edited_at) >= record.source_changed)
    ):
        owned = set(OfferCreate.model_fields)  # an edit from before the change log
        last_edit = offer.edited_at
    wanted = data.model_dump(include=SOURCE_FIELDS)
    if record.lon is not None:
        wanted.update(lon=record.lon, lat=record.lat)
    before = offer.version
    current = snapshot(offer)
    differing = changed_fields(current, {k: wanted.get(k) for k in wanted})
    # Staff filling a gap of the source (the source has no value) is no conflict.
    kept = sorted(k for k in differing & owned if wanted.get(k) not in (None, "", []))
    changes = {
        k: v
        for k, v in wanted.items()
        if k not in owned and not (k in FILL_ONLY_FIELDS and v in (None, "", []))
    }
    placement = _placement(record) if not ({"lat", "lon"} & owned) else None
    update_offer(
        session,
        offer,
        changes,
        IMPORT,
        source=None if kept else _source_info(record, digest),
        placement=placement,
        district_hint=record.district_slug if record.x is None else None,
    )
    if kept:
        words = dict(
            id=offer.id,
            name=offer.name,
            source=record.source,
            source_id=record.source_id,
            fields=", ".join(field_label(k) for k in kept),
            edited=format_datetime(last_edit),
        )
        if record.source_changed is None:
            text = gettext(
                "Angebot %(id)s „%(name)s“ (%(source)s %(source_id)s): %(fields)s von der "
                "Redaktion geändert am %(edited)s, die Quelle nennt kein Änderungsdatum; "
                "die Fassung der Redaktion bleibt",
                **words,
            )
        else:
            text = gettext(
                "Angebot %(id)s „%(name)s“ (%(source)s %(source_id)s): %(fields)s von der "
                "Redaktion geändert am %(edited)s, die Quelle am %(changed)s; die Fassung "
                "der Redaktion bleibt",
                changed=format_date(record.source_changed),
                **words,
            )
        report.conflicts.append(text)
    if offer.version != before:
        report.updated += 1

"""The importer: the city's POI files and the curated offers file -> the catalogue.

1. Read and check every file (``app.importer.csvreader``); a file with a bad row is
   rejected whole unless ``skip_invalid``.
2. Group rows into offers: one offer per ``poi_id`` (all its categories), curated rows
   with a ``poi_id`` enrich that POI, the others become offers of their own.
3. In one transaction: load the areas (``app.importer.areas``), place every point in
   one vectorised pass, and write through the catalogue's write path
   (``app.catalogue.write``): new offers in bulk, changed ones one by one, each change
   logged. Upserting by (source, source_id) and comparing ``source_hash`` makes a
   second run change nothing. A field that staff changed on or after the source's
   change date is kept and reported as a conflict.

Offers that the sources no longer list are left in place (reported as a warning).
"""

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import sqlalchemy
from sqlmodel import Session, func, select
from tqdm import tqdm

from app.catalogue.audit import changed_fields, snapshot
from app.catalogue.placing import place_points
from app.catalogue.read import offers_to_place
from app.catalogue.write import (
    IMPORT,
    NewOffer,
    Placement,
    SourceInfo,
    create_offers,
    update_offer,
)
from app.config import get_settings
from app.geo import areas as geo
from app.geo.crs import utm_to_wgs_many
from app.i18n import gettext
from app.importer import schools as school_directory
from app.importer.areas import load_areas
from app.importer.candidates import read_candidates
from app.importer.csvreader import read_source
from app.importer.enrich import enrich
from app.importer.kitafacts import load_kita_facts
from app.importer.planning import load_planning_inputs
from app.importer.records import (
    FILL_ONLY_FIELDS,
    SOURCE_CURATED,
    SOURCE_FIELDS,
    SOURCE_POI,
    Draft,
    Key,
    OfferRecord,
    build_drafts,
    check,
    compose,
)
from app.importer.rows import RowError, SourceFile
from app.importer.rules import (
    CANDIDATES,
    DEFAULT_FILES,
    ENRICHING_FILES,
    OGS,
    SCHOOL_DIRECTORY,
    SCHOOLS,
)
from app.models import Offer, OfferCategory, OfferChange, OfferCreate
from app.models.categories import SLUGS
from app.numbers import format_datetime

__all__ = ["ImportReport", "RowError", "run_import", "SOURCE_POI", "SOURCE_CURATED"]

LOCAL_TZ = ZoneInfo("Europe/Berlin")  # source dates are calendar days in Bochum
BATCH = 5000  # new offers written per bulk insert


@dataclass
class ImportReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    conflicts: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    per_category: dict[str, int] = field(default_factory=dict)
    rejected_files: list[str] = field(default_factory=list)
    not_on_map: list[str] = field(default_factory=list)  # for staff to place
    # School directory rows and OGS sites that found no partner (name and street).
    unmatched_schools: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The counts in the current locale's words (German unless English is chosen)."""
        return gettext(
            "%(inserted)s neu, %(updated)s geändert, %(unchanged)s unverändert, "
            "%(rejected)s abgelehnt, %(conflicts)s Konflikte",
            inserted=self.inserted,
            updated=self.updated,
            unchanged=self.unchanged,
            rejected=self.rejected,
            conflicts=len(self.conflicts),
        )


def run_import(
    engine: sqlalchemy.Engine,
    data_dir: Path,
    *,
    files: list[str] | None = None,
    skip_invalid: bool = False,
    progress: bool = False,
    geojson_target: Path | None = None,
) -> ImportReport:
    """Import ``files`` (relative to ``data_dir``; default: the city POI files and the
    curated file) into the catalogue and fill the District table.

    The other standard files in ``data_dir`` are read too, so an offer always comes out
    the same whichever files a run names; only offers built from a named file are
    written, and none that draws on a rejected file.
    """
    data_dir = Path(data_dir)
    scope = _scope(data_dir, files)
    report = ImportReport()
    sources = _read(data_dir, scope)
    rejected: set[str] = set()

    def reject(error: RowError, fatal: bool = False) -> None:
        if error.file not in scope:
            report.warnings.append(f"{error} (file not imported in this run; row left out)")
            return
        report.errors.append(error)
        if fatal or not skip_invalid:
            rejected.add(error.file)

    for source in sources.values():
        for error in source.errors:
            reject(error, fatal=source.fatal)
        if source.kind == "poi" and source.rows and not any(r.categories for r in source.rows):
            if source.rel in scope:
                report.warnings.append(
                    f"{source.rel}: no category rule applies to its rows; "
                    "they only serve to look up poi_id and addresses"
                )

    drafts = build_drafts(sources, reject, report.warnings.append)
    extra = _read_enriching(data_dir, files)
    for source in extra.values():
        for error in source.errors:
            reject(error, fatal=source.fatal)
    directory = extra.get(SCHOOL_DIRECTORY)
    school_pois = [row for rel in (SCHOOLS, OGS) if rel in sources for row in sources[rel].rows]
    match = school_directory.match_schools(directory.rows if directory else [], school_pois)
    if directory is not None:
        ogs_sites = sources[OGS].rows if OGS in sources else []
        report.unmatched_schools = match.unmatched(directory.rows, ogs_sites)
    enrich(
        drafts, extra.get(CANDIDATES), match.school_of, directory, reject, report.warnings.append
    )
    records: dict[Key, tuple[Draft, OfferRecord]] = {}
    models: dict[Key, OfferCreate] = {}
    for key, draft in drafts.items():
        record = compose(draft)
        data, problems = check(record)
        if problems or data is None:
            file, line = draft.blame
            for name, message in problems:
                reject(RowError(file, line, name, message))
            continue
        records[key] = (draft, record)
        models[key] = data

    wanted: list[OfferRecord] = []
    for draft, record in records.values():
        files_used = draft.files
        if not files_used & scope:
            continue
        if files_used & rejected:
            kept = sorted(files_used - rejected)
            if kept:
                file, line = draft.blame
                report.warnings.append(
                    f"{file}:{line}: {record.source} {record.source_id} not imported: it also "
                    f"draws on the rejected file {', '.join(sorted(files_used & rejected))}"
                )
            continue
        wanted.append(record)

    report.rejected = len({(e.file, e.line) for e in report.errors})
    report.rejected_files = sorted(rejected)
    for rel in report.rejected_files:
        bad = len({e.line for e in report.errors if e.file == rel})
        report.warnings.append(
            f"{rel}: rejected whole ({bad} bad row(s)); nothing from it was "
            "imported"
            + ("" if {**sources, **extra}[rel].fatal else "; --skip-invalid imports the good rows")
        )

    with Session(engine) as session:
        load_areas(session, data_dir)
        if directory is not None and directory.rel not in rejected:
            school_directory.write_schools(
                session, school_directory.school_records(session, directory.rows, match)
            )
        report.warnings += load_planning_inputs(session, data_dir)
        _place(session, list(records.values()), report)
        _write(
            session,
            wanted,
            models,
            report,
            progress=progress,
            stale_check=set(DEFAULT_FILES) <= scope and not report.errors,
            all_keys=set(records),
        )
        session.flush()
        report.warnings += load_kita_facts(session, data_dir)
        session.commit()
        report.not_on_map = [
            f"{o.name} ({o.source} {o.source_id}, id {o.id})" for o in offers_to_place(session)
        ]
    geo.write_districts_geojson(data_dir, geojson_target or get_settings().districts_geojson)
    report.errors.sort(key=lambda e: (e.file, e.line, e.field))
    return report


def _relative(data_dir: Path, files: list[str]) -> set[str]:
    scope = set()
    for name in files:
        path = Path(name)
        if path.is_absolute() and path.is_relative_to(data_dir):
            path = path.relative_to(data_dir)
        scope.add(path.as_posix())
    return scope


def _scope(data_dir: Path, files: list[str] | None) -> set[str]:
    if not files:
        return {*DEFAULT_FILES, *ENRICHING_FILES}
    return _relative(data_dir, files)


def _read(data_dir: Path, scope: set[str]) -> dict[str, SourceFile]:
    """The named offer files, plus the standard ones that exist (for look-ups)."""
    names = [*DEFAULT_FILES, *sorted(scope - set(DEFAULT_FILES) - set(ENRICHING_FILES))]
    return {
        rel: read_source(data_dir, rel)
        for rel in names
        if rel in scope or (data_dir / rel).is_file()
    }


def _read_enriching(data_dir: Path, files: list[str] | None) -> dict[str, SourceFile]:
    """The candidates file and the school directory: read when present, an error only
    when a run names them and they are missing."""
    named = _relative(data_dir, files) if files else set()
    readers = {
        CANDIDATES: read_candidates,
        SCHOOL_DIRECTORY: school_directory.read_school_directory,
    }
    return {
        rel: read(data_dir, rel)
        for rel, read in readers.items()
        if rel in named or (data_dir / rel).is_file()
    }


def _place(
    session: Session, records: list[tuple[Draft, OfferRecord]], report: ImportReport
) -> None:
    """Stadtbezirk, postcode area and WGS84 coordinates of every point, in one
    vectorised pass (``app.catalogue.placing``); the write path reuses the result."""
    placed = [(r, d) for d, r in records if r.x is not None]
    if placed:
        xs = np.array([r.x for r, _ in placed])
        ys = np.array([r.y for r, _ in placed])
        lons, lats = utm_to_wgs_many(xs, ys)
        areas = place_points(session, list(zip(xs.tolist(), ys.tolist(), strict=True)))
    for i, (record, draft) in enumerate(placed):
        record.lon, record.lat = float(lons[i]), float(lats[i])
        district, record.plz_area = areas[i]
        record.district_slug = district
        file, line = draft.origin
        if district is None:
            report.warnings.append(
                f"{file}:{line}: rechts_utm/hoch_utm: point ({record.x:.10g}, "
                f"{record.y:.10g}) lies outside every Stadtbezirk of Bochum; imported "
                "without district"
            )
            continue
        record.district_from = "point"
        if record.district_hint and record.district_hint != district:
            file, line = draft.blame
            report.warnings.append(
                f"{file}:{line}: stadtbezirk: the source says '{record.district_hint}', the "
                f"point lies in '{district}'; the point wins"
            )
    for _, record in records:
        if record.x is None and record.district_hint:
            record.district_slug, record.district_from = record.district_hint, "source"


def _write(
    session: Session,
    records: list[OfferRecord],
    models: dict[Key, OfferCreate],
    report: ImportReport,
    *,
    progress: bool,
    stale_check: bool,
    all_keys: set[Key],
) -> None:
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
                f"{len(stale)} offer(s) no longer in the sources were "
                f"left unchanged: {sample}{' …' if len(stale) > 5 else ''}"
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
    report: ImportReport,
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
        changed = record.source_changed or "undated"
        report.conflicts.append(
            f"offer {offer.id} '{offer.name}' ({record.source} {record.source_id}): "
            f"{', '.join(kept)} edited by staff on {format_datetime(last_edit)}, the source "
            f"changed {changed}; the staff version was kept"
        )
    if offer.version != before:
        report.updated += 1

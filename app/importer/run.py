"""The importer: the city's POI files and the curated offers file -> the catalogue.

1. Read and check every file (``app.import_sources``); a file with a bad row is
   rejected whole unless ``skip_invalid``.
2. Group rows into offers: one offer per ``poi_id`` (all its categories), curated rows
   with a ``poi_id`` enrich that POI, the others become offers of their own.
3. Place them: one vectorised point-in-polygon join for the Stadtbezirke and one for
   the postcode areas.
4. Write everything in one transaction, upserting by (source, source_id) and comparing
   ``source_hash``, so a second run changes nothing. Staff edits newer than the
   source's change date are kept and reported as conflicts.

Offers that the sources no longer list are left in place (reported as a warning).
"""

import sys
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy
from sqlmodel import Session, func, select
from tqdm import tqdm

from app.catalogue.categories import SLUGS
from app.catalogue.read import offers_to_place
from app.catalogue.write import (
    create_offer,
    get_or_create_provider,
    refresh_search_text,
    set_categories,
)
from app.config import get_settings
from app.geo import areas as geo
from app.importer.csvreader import read_source
from app.importer.records import (
    SOURCE_CURATED,
    SOURCE_POI,
    Draft,
    Key,
    OfferRecord,
    build_drafts,
    check,
    compose,
)
from app.importer.rows import RowError, SourceFile
from app.importer.rules import DEFAULT_FILES
from app.models.catalogue import District, Location, Offer, OfferCategory, OfferCreate, utcnow

__all__ = ["ImportReport", "RowError", "run_import", "SOURCE_POI", "SOURCE_CURATED"]

LOCAL_TZ = ZoneInfo("Europe/Berlin")  # source dates are calendar days in Bochum


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

    def summary(self) -> str:
        return (f"{self.inserted} inserted, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.rejected} rejected, {len(self.conflicts)} conflicts")


def run_import(engine: sqlalchemy.Engine, data_dir: Path, *, files: list[str] | None = None,
               skip_invalid: bool = False, progress: bool = False,
               geojson_target: Path | None = None) -> ImportReport:
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
                report.warnings.append(f"{source.rel}: no category rule applies to its rows; "
                                       "they only serve to look up poi_id and addresses")

    drafts = build_drafts(sources, reject, report.warnings.append)
    records: dict[Key, tuple[Draft, OfferRecord]] = {}
    for key, draft in drafts.items():
        record = compose(draft)
        problems = check(record)
        if problems:
            file, line = draft.blame
            for name, message in problems:
                reject(RowError(file, line, name, message))
            continue
        records[key] = (draft, record)
    _place(list(records.values()), data_dir, report)

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
                    f"draws on the rejected file {', '.join(sorted(files_used & rejected))}")
            continue
        wanted.append(record)

    report.rejected = len({(e.file, e.line) for e in report.errors})
    report.rejected_files = sorted(rejected)
    for rel in report.rejected_files:
        bad = len({e.line for e in report.errors if e.file == rel})
        report.warnings.append(f"{rel}: rejected whole ({bad} bad row(s)); nothing from it was "
                               "imported" + ("" if sources[rel].fatal else
                                             "; --skip-invalid imports the good rows"))

    _write(engine, data_dir, wanted, report, progress=progress,
           stale_check=set(DEFAULT_FILES) <= scope and not report.errors,
           all_keys=set(records))
    geo.write_districts_geojson(data_dir, geojson_target or get_settings().districts_geojson)
    with Session(engine) as session:
        report.not_on_map = [f"{o.name} ({o.source} {o.source_id}, id {o.id})"
                             for o in offers_to_place(session)]
    report.errors.sort(key=lambda e: (e.file, e.line, e.field))
    return report


def _scope(data_dir: Path, files: list[str] | None) -> set[str]:
    if not files:
        return set(DEFAULT_FILES)
    scope = set()
    for name in files:
        path = Path(name)
        if path.is_absolute() and path.is_relative_to(data_dir):
            path = path.relative_to(data_dir)
        scope.add(path.as_posix())
    return scope


def _read(data_dir: Path, scope: set[str]) -> dict[str, SourceFile]:
    """The named files, plus the standard files that exist (for look-ups)."""
    names = [*DEFAULT_FILES, *sorted(scope - set(DEFAULT_FILES))]
    return {rel: read_source(data_dir, rel) for rel in names
            if rel in scope or (data_dir / rel).is_file()}


def _place(records: list[tuple[Draft, OfferRecord]], data_dir: Path,
           report: ImportReport) -> None:
    """Stadtbezirk and postcode area of every point (one join each), WGS84 coordinates."""
    placed = [(r, d) for d, r in records if r.x is not None]
    xy = [(r.x, r.y) for r, _ in placed]
    districts = geo.assign_areas(xy, geo.load_stadtbezirke(data_dir), "slug")
    postcodes = geo.assign_areas(xy, geo.load_postcode_areas(data_dir), "plz")
    wgs = geo.points_frame(xy).to_crs(geo.WGS84) if xy else None
    for i, (record, draft) in enumerate(placed):
        record.lon = round(float(wgs.geometry.iloc[i].x), 7)
        record.lat = round(float(wgs.geometry.iloc[i].y), 7)
        record.plz_area = postcodes[i]
        record.district_slug = districts[i]
        file, line = draft.origin
        if districts[i] is None:
            report.warnings.append(
                f"{file}:{line}: rechts_utm/hoch_utm: point ({record.x:.10g}, "
                f"{record.y:.10g}) lies outside every Stadtbezirk of Bochum; imported "
                "without district")
            continue
        record.district_from = "point"
        if record.district_hint and record.district_hint != districts[i]:
            file, line = draft.blame
            report.warnings.append(
                f"{file}:{line}: stadtbezirk: the source says '{record.district_hint}', the "
                f"point lies in '{districts[i]}'; the point wins")
    for _, record in records:
        if record.x is None and record.district_hint:
            record.district_slug, record.district_from = record.district_hint, "source"


def _write(engine: sqlalchemy.Engine, data_dir: Path, records: list[OfferRecord],
           report: ImportReport, *, progress: bool, stale_check: bool,
           all_keys: set[Key]) -> None:
    with Session(engine) as session:
        _upsert_districts(session, data_dir)
        existing = {
            (o.source, o.source_id): o
            for o in session.exec(
                select(Offer).where(Offer.source.in_([SOURCE_POI, SOURCE_CURATED])))
        }
        show = progress and sys.stderr.isatty()
        for record in tqdm(records, desc="Import", unit=" offers", disable=not show):
            offer = existing.get(record.key)
            digest = record.source_hash()
            if offer is None:
                _insert(session, record, digest)
                report.inserted += 1
            elif offer.source_hash == digest:
                report.unchanged += 1
            elif _staff_wins(offer, record):
                changed = record.source_changed or "undated"
                report.conflicts.append(
                    f"offer {offer.id} '{offer.name}' ({record.source} {record.source_id}): "
                    f"edited by staff on {offer.edited_at:%Y-%m-%d %H:%M}, the source changed "
                    f"{changed}; the staff version was kept")
            else:
                _update(session, offer, record, digest)
                report.updated += 1
        session.commit()
        if stale_check:
            stale = sorted(set(existing) - all_keys)
            if stale:
                sample = ", ".join(f"{s} {i}" for s, i in stale[:5])
                report.warnings.append(f"{len(stale)} offer(s) no longer in the sources were "
                                       f"left unchanged: {sample}{' …' if len(stale) > 5 else ''}")
        counts = dict(session.exec(
            select(OfferCategory.category, func.count()).group_by(OfferCategory.category)).all())
        report.per_category = {slug: counts[slug] for slug in SLUGS if slug in counts}


def _staff_wins(offer: Offer, record: OfferRecord) -> bool:
    """A staff edit on or after the source's change date (a calendar day in Bochum)
    wins; an undated source never overrides a staff edit."""
    if offer.edited_at is None:
        return False
    if record.source_changed is None:
        return True
    edited = offer.edited_at
    if edited.tzinfo is None:  # SQLite hands back the stored UTC time without a zone
        edited = edited.replace(tzinfo=UTC)
    return edited.astimezone(LOCAL_TZ).date() >= record.source_changed


def _upsert_districts(session: Session, data_dir: Path) -> None:
    for rec in geo.district_records(data_dir):
        district = session.get(District, rec.slug) or District(slug=rec.slug, name=rec.name)
        district.name = rec.name
        district.level = "stadtbezirk"
        district.number = rec.number
        district.area_km2 = rec.area_km2
        district.population = rec.population
        district.population_date = rec.population_date
        district.population_source = rec.population_source
        district.geometry = rec.geometry_geojson
        district.source = geo.BOUNDARY_SOURCE
        session.add(district)
    session.flush()


def _source_fields(record: OfferRecord, digest: str) -> dict:
    return dict(
        district_slug=record.district_slug, district_from=record.district_from,
        source_urls=record.source_urls, source_label=record.source_label,
        source_date=record.source_date, source_changed=record.source_changed,
        last_verified=record.source_changed, source_hash=digest,
    )


def _insert(session: Session, record: OfferRecord, digest: str) -> None:
    get_or_create_provider(session, record.provider_name, record.provider_kind)
    data = OfferCreate(
        name=record.name, category=record.category, extra_categories=record.categories,
        description=record.description, target_group=record.target_group,
        age_min=record.age_min, age_max=record.age_max, age_is_typical=record.age_is_typical,
        contact_phone=record.contact_phone, website=record.website,
        service_area=record.service_area, notes=record.notes,
        provider_name=record.provider_name, street=record.street, postcode=record.postcode,
        lat=record.lat, lon=record.lon,
    )
    fields = _source_fields(record, digest)
    district_slug = fields.pop("district_slug")
    offer = create_offer(session, data, source=record.source, source_id=record.source_id,
                         district_slug=district_slug, **fields)
    if offer.location is not None:
        _fill_location(offer.location, record)


def _fill_location(location: Location, record: OfferRecord) -> None:
    location.street, location.postcode, location.city = (record.street, record.postcode,
                                                         record.city)
    location.lon, location.lat, location.x, location.y = (record.lon, record.lat, record.x,
                                                          record.y)
    location.placed_by = record.placed_by
    location.plz_area = record.plz_area


def _update(session: Session, offer: Offer, record: OfferRecord, digest: str) -> None:
    for name in ("name", "category", "description", "target_group", "age_min", "age_max",
                 "age_is_typical", "contact_phone", "website", "service_area", "notes"):
        setattr(offer, name, getattr(record, name))
    for name, value in _source_fields(record, digest).items():
        setattr(offer, name, value)
    set_categories(offer, record.categories)
    offer.provider = get_or_create_provider(session, record.provider_name, record.provider_kind)
    if record.has_location:
        offer.location = offer.location or Location()
        _fill_location(offer.location, record)
    elif offer.location is not None:
        old, offer.location = offer.location, None
        session.flush()
        session.delete(old)
    offer.version += 1
    offer.updated_at = utcnow()
    refresh_search_text(offer)
    session.add(offer)

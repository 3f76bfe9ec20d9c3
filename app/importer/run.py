"""The importer: the city's POI files and the curated offers file -> the catalogue.

1. Read and check every file (``app.importer.csvreader``); a file with a bad row is
   rejected whole unless ``skip_invalid``.
2. Group rows into offers: one offer per ``poi_id`` (all its categories), curated rows
   with a ``poi_id`` enrich that POI, the others become offers of their own.
3. In one transaction: load the areas (``app.importer.areas``), place every point in
   one vectorised pass, and write through the catalogue's write path
   (``app.catalogue.write``; the step is ``app.importer.writing``): new offers in
   bulk, changed ones one by one, each change logged. Upserting by (source,
   source_id) and comparing ``source_hash`` makes a second run change nothing. A
   field that staff changed on or after the source's change date is kept and
   reported as a conflict.

Offers that the sources no longer list are left in place (reported as a warning).
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sqlalchemy
from sqlmodel import Session

from app.catalogue.placing import place_points
from app.catalogue.read import offers_to_place
from app.config import get_settings
from app.geo import areas as geo
from app.geo.crs import utm_to_wgs_many
from app.i18n import gettext, ngettext
from app.importer import schools as school_directory
from app.importer.areas import load_areas
from app.importer.candidates import read_candidates
from app.importer.csvreader import read_source
from app.importer.enrich import enrich
from app.importer.kitafacts import load_kita_facts
from app.importer.planning import load_planning_inputs
from app.importer.record_check import check
from app.importer.records import (
    SOURCE_CURATED,
    SOURCE_POI,
    Draft,
    Key,
    OfferRecord,
    build_drafts,
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
from app.importer.writing import write_records
from app.models import OfferCreate

__all__ = ["ImportReport", "RowError", "run_import", "SOURCE_POI", "SOURCE_CURATED"]


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
            report.warnings.append(
                gettext(
                    "%(error)s (Datei in diesem Lauf nicht importiert; Zeile ausgelassen)",
                    error=error,
                )
            )
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
                    f"{source.rel}: "
                    + gettext(
                        "keine Kategorie-Regel gilt für ihre Zeilen; sie dienen nur zum "
                        "Nachschlagen von POI-Nummern und Adressen"
                    )
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
                bad_files = sorted(files_used & rejected)
                report.warnings.append(
                    f"{file}:{line}: "
                    + ngettext(
                        "%(source)s %(id)s nicht importiert: es stützt sich auch auf die "
                        "abgelehnte Datei %(files)s",
                        "%(source)s %(id)s nicht importiert: es stützt sich auch auf die "
                        "abgelehnten Dateien %(files)s",
                        len(bad_files),
                        source=record.source,
                        id=record.source_id,
                        files=", ".join(bad_files),
                    )
                )
            continue
        wanted.append(record)

    report.rejected = len({(e.file, e.line) for e in report.errors})
    report.rejected_files = sorted(rejected)
    for rel in report.rejected_files:
        bad = len({e.line for e in report.errors if e.file == rel})
        text = ngettext(
            "ganz abgelehnt (%(num)s fehlerhafte Zeile); nichts daraus wurde importiert",
            "ganz abgelehnt (%(num)s fehlerhafte Zeilen); nichts daraus wurde importiert",
            bad,
        )
        if not {**sources, **extra}[rel].fatal:
            text += gettext("; --skip-invalid importiert die fehlerfreien Zeilen")
        report.warnings.append(f"{rel}: {text}")

    with Session(engine) as session:
        load_areas(session, data_dir)
        if directory is not None and directory.rel not in rejected:
            school_directory.write_schools(
                session, school_directory.school_records(session, directory.rows, match)
            )
        report.warnings += load_planning_inputs(session, data_dir)
        _place(session, list(records.values()), report)
        write_records(
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
            gettext(
                "%(name)s (%(source)s %(source_id)s, Nummer %(id)s)",
                name=o.name,
                source=o.source,
                source_id=o.source_id,
                id=o.id,
            )
            for o in offers_to_place(session)
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
            message = gettext(
                "der Punkt (%(x)s, %(y)s) liegt in keinem Stadtbezirk von Bochum; ohne "
                "Stadtbezirk importiert",
                x=f"{record.x:.10g}",
                y=f"{record.y:.10g}",
            )
            report.warnings.append(str(RowError(file, line, "rechts_utm/hoch_utm", message)))
            continue
        record.district_from = "point"
        if record.district_hint and record.district_hint != district:
            file, line = draft.blame
            message = gettext(
                "die Quelle nennt „%(source)s“, der Punkt liegt in „%(point)s“; der Punkt gilt",
                source=record.district_hint,
                point=district,
            )
            report.warnings.append(str(RowError(file, line, "stadtbezirk", message)))
    for _, record in records:
        if record.x is None and record.district_hint:
            record.district_slug, record.district_from = record.district_hint, "source"

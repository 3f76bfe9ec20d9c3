"""Enriching the offers drafted from the offer files: the candidates file's points,
house numbers and phones for curated offers, and the school directory's contacts for
the offers of school POIs (OGS)."""

from collections.abc import Callable

from app.i18n import gettext as _
from app.importer.records import SOURCE_CURATED, SOURCE_POI, Draft, Key
from app.importer.rows import RowError, SourceFile
from app.importer.schools import SchoolRow


def enrich(
    drafts: dict[Key, Draft],
    candidates: SourceFile | None,
    schools: dict[str, SchoolRow],
    schools_file: SourceFile | None,
    reject: Callable[[RowError], None],
    warn: Callable[[str], None],
) -> None:
    """Put the candidates file's points on the curated offers they name, and the school
    directory's contacts on the offers of the school POIs it matches. An offer that
    would use a bad row of either file depends on that file."""
    curated = {
        d.curated[0].key: d for d in drafts.values() if d.source == SOURCE_CURATED and d.curated
    }
    enriched = {c.key: d for d in drafts.values() if d.source == SOURCE_POI for c in d.curated}
    if candidates is not None:
        for row in candidates.rows:
            if row.key in curated:
                curated[row.key].candidate = row
            elif row.key in enriched:
                message = _(
                    "„%(key)s“ ergänzt den städtischen POI %(id)s, der einen eigenen Punkt "
                    "hat; nicht verwendet",
                    key=row.key,
                    id=enriched[row.key].source_id,
                )
                warn(str(RowError(row.file, row.line, "key", message)))
            else:
                reject(
                    RowError(
                        row.file,
                        row.line,
                        "key",
                        _("„%(key)s“ ist kein Schlüssel der kuratierten Angebote", key=row.key),
                    )
                )
        for _line, key, _street in candidates.bad_rows:
            if key in curated:
                curated[key].depends_on.add(candidates.rel)
    for draft in drafts.values():
        if draft.poi is not None and draft.is_school:
            draft.school = schools.get(draft.poi.poi_id)
            if schools_file is not None and schools_file.errors:
                draft.depends_on.add(schools_file.rel)

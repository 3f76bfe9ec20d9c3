"""Staff uploads: a CSV of offers in the documented template (``COLUMNS``), read with
the importer's line-numbered reader and checked by the model's rules, each error as
``file:line: column: message``; written through the catalogue's write path with the
channel ``upload`` (the columns and cells: ``app.importer.upload_format``). The same
function runs the preview (the caller rolls back) and the confirmed upload (the caller
commits); a file with a bad line writes nothing.

A row without ``id`` is a new offer. A row with ``id`` changes that offer: only the
columns in the file change (an empty cell empties the field); with ``version`` it is
refused when the offer changed since (no lost edits).
"""

import io
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.catalogue.audit import changed_fields, snapshot
from app.catalogue.write import create_offers, update_offer
from app.catalogue.writers import Actor, NewOffer, SourceInfo, VersionConflict
from app.i18n import gettext as _
from app.importer.csvreader import BrokenCsv, stream_records
from app.importer.preview import PreviewReport
from app.importer.rows import RowError
from app.importer.upload_format import COLUMN_OF, COLUMNS, read_cells
from app.messages import worded_errors
from app.models import Offer, OfferCreate, StaffUpload, utcnow

STAFF_SOURCE = "redaktion"
STAFF_LABEL = "Redaktion Familienwegweiser (Stadt Bochum)"


@dataclass
class LineResult:
    line: int
    action: str  # "neu" | "geändert" | "unverändert"
    offer_id: int | None
    name: str
    fields: list[str] = field(default_factory=list)  # changed columns


@dataclass
class UploadReport(PreviewReport):
    lines: list[LineResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "%(new)s neu, %(changed)s geändert, %(same)s unverändert, %(errors)s Fehler",
            new=self.count("neu"),
            changed=self.count("geändert"),
            same=self.count("unverändert"),
            errors=len(self.errors),
        )


def _model_errors(
    filename: str,
    line: int,
    exc: ValidationError,
    known: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[RowError]:
    """The model's errors in words, each named by its column (columns already
    reported as bad are not reported twice)."""
    return [
        RowError(filename, line, column, message)
        for column, message in worded_errors(exc, COLUMN_OF)
        if column not in known
    ]


class _FieldRules(OfferCreate):
    """The offer's rules between fields with no field required: checked on the fields
    of a line that were valid, when others were not (never stored)."""

    name: str | None = None  # type: ignore[assignment]
    category: str | None = None  # type: ignore[assignment]


def _all_model_errors(
    filename: str, line: int, data: dict, exc: ValidationError, known: set[str]
) -> list[RowError]:
    """``_model_errors``, and when a field failed, also the rules between fields (age
    from ≤ age to, …) on the fields that did not: pydantic runs those only when every
    field is valid, and a line's errors are all reported at once."""
    errors = _model_errors(filename, line, exc, known)
    failed = {e["loc"][0] for e in exc.errors() if e["loc"]}
    if not failed:
        return errors
    try:
        _FieldRules.model_validate({k: v for k, v in data.items() if k not in failed})
    except ValidationError as again:
        told = known | {e.field for e in errors}
        errors += [e for e in _model_errors(filename, line, again, told) if e.field]
    return errors


def confirm_upload(session: Session, stored: StaffUpload, actor: Actor) -> UploadReport | None:
    """Apply a kept upload for real, once: the upload is claimed in the database first
    (``UPDATE … SET applied_at WHERE id = ? AND applied_at IS NULL``), so of two
    confirmations at once only one writes; the other gets None (applied already).
    All lines or none: a bad report is rolled back, and so is a line based on a version
    another write changed meanwhile (``VersionConflict`` goes to the caller)."""
    claimed = session.execute(
        update(StaffUpload)
        .where(StaffUpload.id == stored.id, StaffUpload.applied_at.is_(None))
        .values(applied_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        session.rollback()
        return None
    try:
        report = apply_upload(session, stored.content, stored.filename, actor)
    except VersionConflict:
        session.rollback()
        raise
    if not report.ok:
        session.rollback()
        return report
    session.execute(
        update(StaffUpload)
        .where(StaffUpload.id == stored.id)
        .values(summary=report.summary())
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return report


def apply_upload(session: Session, content: str, filename: str, actor: Actor) -> UploadReport:
    """Check every line, and write when all are good (the caller commits or rolls back)."""
    report = UploadReport(filename)
    text = content.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    header: list[str] | None = None
    pending: list[tuple[int, dict[str, str]]] = []
    try:
        for line, values in stream_records(io.StringIO(text, newline=""), delimiter):
            if header is None:
                header = [h.strip().lower() for h in values]
                unknown = [h for h in header if h not in COLUMNS]
                if unknown:
                    report.errors.append(
                        RowError(
                            filename,
                            line,
                            "header",
                            _(
                                "unbekannte Spalte(n) %(unknown)s; erlaubt: %(allowed)s",
                                unknown=", ".join(unknown),
                                allowed=", ".join(COLUMNS),
                            ),
                        )
                    )
                    return report
                if len(set(header)) != len(header):
                    report.errors.append(
                        RowError(filename, line, "header", _("eine Spalte steht doppelt"))
                    )
                    return report
                continue
            if len(values) != len(header):
                report.errors.append(
                    RowError(
                        filename,
                        line,
                        "record",
                        _(
                            "%(n)s Felder, die Kopfzeile hat %(header)s",
                            n=len(values),
                            header=len(header),
                        ),
                    )
                )
                continue
            pending.append((line, dict(zip(header, values, strict=True))))
    except BrokenCsv as exc:
        report.errors.append(
            RowError(filename, exc.line, "file", _("ab hier nicht lesbar: %(why)s", why=exc))
        )
        return report
    if header is None:
        report.errors.append(RowError(filename, 1, "header", _("die Datei ist leer")))
        return report

    new: list[tuple[int, OfferCreate]] = []
    updates: list[tuple[int, Offer, dict[str, Any], int | None]] = []
    for line, raw in pending:
        _check_line(session, report, header, line, raw, new, updates)
    if report.errors:
        return report
    if new:
        ids = create_offers(
            session,
            [
                NewOffer(
                    data,
                    SourceInfo(STAFF_SOURCE, f"upload-{filename}:{line}", source_label=STAFF_LABEL),
                )
                for line, data in new
            ],
            actor,
        )
        for (line, data), offer_id in zip(new, ids, strict=True):
            offer = session.get(Offer, offer_id)
            if offer is not None:
                offer.source_id = f"r{offer_id}"
            report.lines.append(LineResult(line, "neu", offer_id, data.name))
    for line, offer, changes, based_on in updates:
        before = snapshot(offer)
        update_offer(session, offer, changes, actor, based_on=based_on)
        diff = changed_fields(before, snapshot(offer))
        report.lines.append(
            LineResult(
                line,
                "geändert" if diff else "unverändert",
                offer.id,
                offer.name,
                sorted(COLUMN_OF.get(f, f) for f in diff),
            )
        )
    report.lines.sort(key=lambda r: r.line)
    session.flush()
    return report


def _check_line(
    session: Session,
    report: UploadReport,
    header: list[str],
    line: int,
    raw: dict[str, str],
    new: list,
    updates: list,
) -> None:
    """Every error of the line at once: bad cells, then the model's rules on the rest."""
    name = report.filename
    changes, bad = read_cells(header, raw)
    errors = [RowError(name, line, b.column, str(b)) for b in bad]
    known = {b.column for b in bad}
    offer_id = _int_or_error(errors, name, line, "id", raw.get("id", ""))
    version = _int_or_error(errors, name, line, "version", raw.get("version", ""))
    if offer_id is False or version is False:
        report.errors += errors
        return
    if offer_id is None:
        for column in ("name", "kategorie"):
            if not (raw.get(column) or "").strip():
                errors.append(
                    RowError(name, line, column, _("fehlt (Pflicht bei neuen Angeboten)"))
                )
                known.add(column)
        try:
            data = OfferCreate.model_validate(changes)
        except ValidationError as exc:
            errors += _all_model_errors(name, line, changes, exc, known)
        else:
            if not errors:
                new.append((line, data))
        report.errors += errors
        return
    offer = session.exec(
        select(Offer)
        .where(Offer.id == offer_id)
        .options(
            selectinload(Offer.location),
            selectinload(Offer.provider),
            selectinload(Offer.categories),
        )
    ).first()
    if offer is None:
        errors.append(
            RowError(name, line, "id", _("das Angebot %(id)s gibt es nicht", id=offer_id))
        )
        report.errors += errors
        return
    if version is not None and version != offer.version:
        errors.append(
            RowError(
                name,
                line,
                "version",
                _(
                    "Angebot %(id)s wurde seit dem Herunterladen geändert (jetzt Version "
                    "%(now)s, in der Datei %(file)s); laden Sie die Liste neu herunter",
                    id=offer_id,
                    now=offer.version,
                    file=version,
                ),
            )
        )
    try:
        merged = {**snapshot(offer), **changes}
        OfferCreate.model_validate(merged)
    except ValidationError as exc:
        errors += _all_model_errors(name, line, merged, exc, known)
    if errors:
        report.errors += errors
        return
    updates.append((line, offer, changes, version))


def _int_or_error(
    errors: list[RowError], filename: str, line: int, column: str, value: str
) -> int | None | bool:
    if not value.strip():
        return None
    if not re.fullmatch(r"\s*\d{1,10}\s*", value) or not 1 <= int(value) <= 2**31 - 1:
        errors.append(
            RowError(filename, line, column, _("„%(value)s“ ist keine Nummer", value=value))
        )
        return False
    return int(value)

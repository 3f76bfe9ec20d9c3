"""Staff uploads: a CSV of offers in the documented template (``COLUMNS``), read with
the importer's line-numbered reader and checked by the model's rules, each error as
``file:line: column: message``; written through the catalogue's write path with the
channel ``upload``. The same function runs the preview (the caller rolls back) and
the confirmed upload (the caller commits); a file with a bad line writes nothing.

A row without ``id`` is a new offer. A row with ``id`` changes that offer: only the
columns in the file change (an empty cell empties the field); with ``version`` it is
refused when the offer changed since (no lost edits). ``to_upload_csv`` writes offers
in the same columns, so a list can be downloaded, edited and uploaded again.
"""

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.catalogue.audit import changed_fields, snapshot
from app.catalogue.fields import FACT_FIELDS, TEXT_FIELDS, fact_text, text_value
from app.catalogue.hours import exceptions_text, hours_text, parse_exceptions_text, parse_hours_text
from app.catalogue.write import (
    Actor,
    NewOffer,
    SourceInfo,
    VersionConflict,
    create_offers,
    snapshot_of_model,
    update_offer,
)
from app.formats.tabular import csv_text
from app.i18n import gettext as _
from app.importer.csvreader import BrokenCsv, stream_records
from app.importer.rows import RowError
from app.messages import worded_errors
from app.models import Offer, OfferCreate, StaffUpload, utcnow
from app.models.categories import SLUGS

STAFF_SOURCE = "redaktion"
STAFF_LABEL = "Redaktion Familienwegweiser (Stadt Bochum)"

# column -> (model field, what it holds). The order is the template's.
COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("id", "leer: neues Angebot; Zahl: dieses Angebot ändern"),
    "version": (
        "version",
        "Version beim Herunterladen; ist das Angebot inzwischen geändert, wird die Zeile abgelehnt",
    ),
    "name": ("name", "Pflicht bei neuen Angeboten, 2 bis 300 Zeichen"),
    "kategorie": ("category", "Pflicht bei neuen Angeboten: " + ", ".join(SLUGS)),
    "weitere_kategorien": ("extra_categories", "weitere Kategorien, durch Komma getrennt"),
    "traeger": ("provider_name", "Name des Trägers"),
    "strasse": ("street", "Straße und Hausnummer"),
    "plz": ("postcode", "fünf Ziffern"),
    "ort": ("city", "leer: Bochum"),
    "telefon": ("contact_phone", "mindestens fünf Ziffern"),
    "email": ("contact_email", "name@beispiel.de"),
    "website": ("website", "www.beispiel.de"),
    "beschreibung": ("description", "bis 5000 Zeichen"),
    "zielgruppe": ("target_group", "in Worten"),
    "alter_von": ("age_min", "Jahre, ganze Zahl"),
    "alter_bis": ("age_max", "Jahre, ganze Zahl"),
    "alter_von_monate": ("age_min_months", "Monate, wo es darauf ankommt; gilt statt alter_von"),
    "alter_bis_monate": ("age_max_months", "Monate; gilt statt alter_bis"),
    "sprachen": ("languages", "durch Komma getrennt"),
    "kosten": ("costs", "in Worten, z. B. kostenlos"),
    "plaetze": ("capacity", "ganze Zahl"),
    "plaetze_u3": ("capacity_u3", "ganze Zahl, höchstens plaetze"),
    "barrierefrei": ("barrier_free", "ja, nein oder leer (keine Angabe)"),
    "stufenloser_eingang": ("step_free_entrance", "ja, nein oder leer"),
    "barrierefreies_wc": ("accessible_toilet", "ja, nein oder leer"),
    "aufzug": ("lift", "ja, nein oder leer"),
    "induktionsschleife": ("induction_loop", "ja, nein oder leer"),
    "leichte_sprache": ("easy_language", "ja, nein oder leer"),
    "versorgungsgebiet": ("service_area", "bei aufsuchenden Angeboten statt Adresse"),
    "oeffnungszeiten": ("opening_hours", "Mo 08:00–12:00, 14:00–16:00; Di 08:00–12:00"),
    "abweichungen": (
        "opening_exceptions",
        "24.12.2026–01.01.2027 geschlossen; 15.07.2026 10:00–12:00",
    ),
    "hinweis": ("notes", "Hinweis zu den Daten"),
}
COLUMN_OF = {model: column for column, (model, _) in COLUMNS.items()}


@dataclass
class LineResult:
    line: int
    action: str  # "neu" | "geändert" | "unverändert"
    offer_id: int | None
    name: str
    fields: list[str] = field(default_factory=list)  # changed columns


@dataclass
class UploadReport:
    filename: str
    lines: list[LineResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.lines if r.action == action)

    def summary(self) -> str:
        return _(
            "%(new)s neu, %(changed)s geändert, %(same)s unverändert, %(errors)s Fehler",
            new=self.count("neu"),
            changed=self.count("geändert"),
            same=self.count("unverändert"),
            errors=len(self.errors),
        )


class _Bad(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _bool(column: str, value: str) -> bool | None:
    folded = value.strip().lower()
    if folded in ("", "keine angabe"):
        return None
    if folded in ("ja", "j", "1", "true", "yes"):
        return True
    if folded in ("nein", "n", "0", "false", "no"):
        return False
    raise _Bad(column, _("„%(value)s“ ist nicht ja, nein oder leer", value=value))


def _int(column: str, value: str, high: int) -> int | None:
    if not value.strip():
        return None
    if not re.fullmatch(r"\s*\d{1,6}\s*", value) or int(value) > high:
        raise _Bad(
            column, _("„%(value)s“ ist keine ganze Zahl von 0 bis %(high)s", value=value, high=high)
        )
    return int(value)


def _changes(columns: Sequence[str], raw: dict[str, str]) -> tuple[dict[str, Any], list[_Bad]]:
    """The model values of the row's columns, and every bad column (left out)."""
    out: dict[str, Any] = {}
    bad: list[_Bad] = []
    for column in columns:
        try:
            _change(out, column, raw[column])
        except _Bad as exc:
            bad.append(exc)
    return out, bad


def _change(out: dict[str, Any], column: str, value: str) -> None:
    model = COLUMNS[column][0]
    if model in ("id", "version"):
        return
    if model in TEXT_FIELDS:
        out[model] = text_value(model, value)
    elif model == "category":
        out[model] = value.strip()
    elif model in ("extra_categories", "languages"):
        out[model] = [p.strip() for p in value.split(",") if p.strip()]
    elif model in FACT_FIELDS:
        out[model] = _bool(column, value)
    elif model in ("capacity", "capacity_u3"):
        out[model] = _int(column, value, 100_000)
    elif model in ("age_min", "age_max"):
        out[model] = _int(column, value, 120)
        out.setdefault(f"{model}_months", None)  # years replace months, unless given
    elif model in ("age_min_months", "age_max_months"):
        out[model] = _int(column, value, 1440)
    elif model == "opening_hours":
        try:
            out[model] = parse_hours_text(value)
        except ValueError as exc:
            raise _Bad(column, str(exc)) from exc
    elif model == "opening_exceptions":
        try:
            out[model] = parse_exceptions_text(value)
        except ValueError as exc:
            raise _Bad(column, str(exc)) from exc


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
    changes, bad = _changes(header, raw)
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
            errors += _model_errors(name, line, exc, known)
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
        OfferCreate.model_validate({**snapshot(offer), **changes})
    except ValidationError as exc:
        errors += _model_errors(name, line, exc, known)
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


def _cell(model: str, values: dict[str, Any]) -> str:
    value = values.get(model)
    if model in FACT_FIELDS:
        return fact_text(value)
    if model == "opening_hours":
        return hours_text(value)
    if model == "opening_exceptions":
        return exceptions_text(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def to_upload_csv(session: Session, ids: Sequence[int]) -> str:
    """The offers ``ids`` in the template's columns (for editing and uploading again)."""
    rows = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        offers = {o.id: o for o in session.exec(select(Offer).where(Offer.id.in_(chunk)))}
        for offer_id in chunk:
            offer = offers.get(offer_id)
            if offer is None:
                continue
            values = {**snapshot(offer), "id": offer.id, "version": offer.version}
            rows.append([_cell(model, values) for model, _ in COLUMNS.values()])
    return csv_text(list(COLUMNS), rows)


def template_csv() -> str:
    """The documented template: the header and two example lines (marked generated)."""
    example = OfferCreate(
        name="Beispiel-Kita Sonnenblume (generiert)",
        category="kita",
        extra_categories=["familienzentrum"],
        provider_name="Beispiel-Träger (generiert)",
        street="Musterstraße 1",
        postcode="44787",
        contact_phone="0234 000000",
        contact_email="kita@example.org",
        website="www.example.org",
        description="Beispielzeile (generiert): bitte löschen oder überschreiben.",
        age_min_months=4,
        age_max=5,
        languages=["Deutsch", "Türkisch"],
        costs="Elternbeitrag",
        capacity=45,
        capacity_u3=10,
        step_free_entrance=True,
        accessible_toilet=False,
        opening_hours=[{"weekday": d, "opens": "07:00", "closes": "16:30"} for d in range(5)],
        opening_exceptions=[
            {"starts": "2026-12-24", "ends": "2027-01-01", "note": "Weihnachtsferien"}
        ],
    )
    visiting = OfferCreate(
        name="Beispiel-Besuchsdienst (generiert)",
        category="sonstiges",
        service_area="ganz Bochum",
        contact_phone="0234 000001",
        description="Beispielzeile (generiert).",
    )
    rows = []
    for data in (example, visiting):
        values = {**snapshot_of_model(data), "id": None, "version": None}
        rows.append([_cell(model, values) for model, _ in COLUMNS.values()])
    return csv_text(list(COLUMNS), rows)

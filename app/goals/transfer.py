"""The agreement as one flat table, for export (CSV/XLSX, the twins of /ziele) and
import (so a city moves its agreement from Excel, and hands it to the audit's tools).

One row per entry; ``typ`` says which: ``handlungsfeld`` (nummer ``n``), ``ziel`` or
``strategisches_ziel`` (``n.m``), ``massnahme`` (``n.m.k``), ``kennzahl`` (the goal's
``n.m``; identified by its text within the goal). The import creates or changes
entries by number, never deletes; it is all or nothing and names every bad line as
``file:line: column: message``."""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from app.catalogue.writers import Actor
from app.errors import RowError
from app.goals.read import Agreement
from app.goals.write import GoalsConflict, GoalsInvalid, save
from app.models.goals import Goal, GoalField, Indicator, Measure
from app.planning.tables import read_table

COLUMNS = (
    "typ",
    "nummer",
    "text",
    "strategisch",
    "verantwortlich",
    "partner",
    "bezirke",
    "angebote",
    "arten",
    "beginn",
    "faellig",
    "budget_eur",
    "status",
    "beschluss",
    "beschluss_datum",
    "kennzahl_quelle",
    "kennzahl_art",
    "kennzahl_mass",
    "kennzahl_gebiet",
    "einheit",
    "ausgangswert",
    "ausgangsdatum",
    "zielwert",
    "zieldatum",
    "aktueller_wert",
    "aktuell_am",
    "quelle",
)
TYPES = ("handlungsfeld", "strategisches_ziel", "ziel", "massnahme", "kennzahl")
PARTS = {"handlungsfeld": 1, "strategisches_ziel": 2, "ziel": 2, "massnahme": 3, "kennzahl": 2}
# model field -> column (for the errors of an import)
COLUMN_OF = {
    "number": "nummer",
    "name": "text",
    "text": "text",
    "label": "text",
    "strategic": "strategisch",
    "responsible": "verantwortlich",
    "partners": "partner",
    "districts": "bezirke",
    "offer_ids": "angebote",
    "kinds": "arten",
    "start_date": "beginn",
    "due_date": "faellig",
    "budget_eur": "budget_eur",
    "status": "status",
    "decision_ref": "beschluss",
    "decision_date": "beschluss_datum",
    "source_kind": "kennzahl_quelle",
    "kind_slug": "kennzahl_art",
    "measure_key": "kennzahl_mass",
    "area_slug": "kennzahl_gebiet",
    "unit": "einheit",
    "baseline_value": "ausgangswert",
    "baseline_date": "ausgangsdatum",
    "target_value": "zielwert",
    "target_date": "zieldatum",
    "current_value": "aktueller_wert",
    "current_date": "aktuell_am",
    "source": "quelle",
    "field_id": "nummer",
    "goal_id": "nummer",
}


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def rows(agreement: Agreement) -> list[list[Any]]:
    """The agreement as the export writes it (numbers as numbers)."""
    out: list[list[Any]] = []
    rest = len(COLUMNS) - 3
    for f in agreement.fields:
        out.append(["handlungsfeld", str(f.field.number), f.field.name, *[""] * rest])
        for g in f.goals:
            kind = "strategisches_ziel" if g.goal.strategic else "ziel"
            flag = "ja" if g.goal.strategic else "nein"
            out.append([kind, g.number, g.goal.text, flag, *[""] * (rest - 1)])
            for m in g.measures:
                x = m.measure
                out.append(
                    [
                        "massnahme",
                        m.number,
                        x.text,
                        "",
                        x.responsible,
                        x.partners,
                        ", ".join(x.districts),
                        ", ".join(map(str, x.offer_ids)),
                        ", ".join(x.kinds),
                        _iso(x.start_date),
                        _iso(x.due_date),
                        x.budget_eur,
                        x.status,
                        x.decision_ref,
                        _iso(x.decision_date),
                        *[""] * 12,
                    ]
                )
            for i in g.indicators:
                x = i.indicator
                out.append(
                    [
                        "kennzahl",
                        g.number,
                        x.label,
                        *[""] * 12,
                        x.source_kind,
                        x.kind_slug or "",
                        x.measure_key or "",
                        x.area_slug or "",
                        x.unit,
                        x.baseline_value,
                        _iso(x.baseline_date),
                        x.target_value,
                        _iso(x.target_date),
                        i.current.value,
                        _iso(i.current.on),
                        x.source,
                    ]
                )
    return out


# --- import ---------------------------------------------------------------------------


@dataclass
class TransferReport:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


_DE_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DE_NUMBER = re.compile(r"^-?[\d.]*,\d+$|^-?\d{1,3}(\.\d{3})+$")


def _date(text: str) -> str:
    m = _DE_DATE.match(text)
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else text


def _number(text: str) -> str:
    text = text.replace(" ", "").replace("\u202f", "")
    return text.replace(".", "").replace(",", ".") if _DE_NUMBER.match(text) else text


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def xlsx_rows(data: bytes, name: str) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The first sheet's rows under its header, with their line numbers."""
    from openpyxl import load_workbook  # only the import of a workbook needs it

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 - any unreadable file is one error
        return [], [RowError(name, 1, "file", "keine lesbare XLSX-Datei")]
    found: list[tuple[int, dict[str, str]]] = []
    header: list[str] = []
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if not header:
            header = [c.strip().lower() for c in cells]
            missing = [c for c in ("typ", "nummer", "text") if c not in header]
            if missing:
                return [], [RowError(name, 1, "header", f"fehlt: {', '.join(missing)}")]
            continue
        if any(cells):
            found.append(
                (line, {h: c for h, c in zip(header, cells, strict=False) if h in COLUMNS})
            )
    return found, []


def _numbers(text: str, parts: int) -> list[int] | None:
    pieces = text.strip().split(".")
    if len(pieces) != parts or not all(p.isdigit() for p in pieces):
        return None
    return [int(p) for p in pieces]


def import_agreement(
    session: Session, data: bytes, name: str, actor: Actor, *, xlsx: bool = False
) -> TransferReport:
    """Create or change the entries of ``data`` (CSV or XLSX in the export's columns).
    All or nothing: with any bad line the session is rolled back and every error is
    reported; otherwise the caller commits."""
    report = TransferReport()
    if xlsx:
        records, errors = xlsx_rows(data, name)
    else:
        table = read_table(data, name, ("typ", "nummer", "text"), COLUMNS[3:])
        records, errors = table.rows, table.errors
    report.errors.extend(errors)
    if report.errors:
        return report
    for line, raw in records:
        row = {k: (v or "").strip() for k, v in raw.items()}

        def bad(column: str, message: str, line: int = line) -> None:
            report.errors.append(RowError(name, line, column, message))

        try:
            outcome = _apply(session, row, actor, bad)
        except GoalsInvalid as exc:
            for key, message in sorted(
                exc.errors.items(), key=lambda kv: COLUMN_OF.get(kv[0], kv[0])
            ):
                bad(COLUMN_OF.get(key, key), message)
            continue
        except GoalsConflict:
            bad("nummer", "changed meanwhile")
            continue
        if outcome is not None:
            setattr(report, outcome, getattr(report, outcome) + 1)
    if report.errors:
        session.rollback()
        report.created = report.changed = report.unchanged = 0
    return report


def _one(session: Session, query) -> Any:  # noqa: ANN001
    return session.execute(query).scalar_one_or_none()


def _apply(
    session: Session, row: dict[str, str], actor: Actor, bad: Callable[[str, str], None]
) -> str | None:
    kind = row.get("typ", "").casefold()
    if kind not in TYPES:
        bad("typ", f"unbekannt; erlaubt: {', '.join(TYPES)}")
        return None
    number = row.get("nummer", "")
    numbers = _numbers(number, PARTS[kind])
    if numbers is None:
        shape = {1: "n", 2: "n.m", 3: "n.m.k"}[PARTS[kind]]
        bad("nummer", f"'{number}' ist keine Nummer der Form {shape}")
        return None
    field_row = _one(session, select(GoalField).where(GoalField.number == numbers[0]))
    if kind == "handlungsfeld":
        return _save(
            session, "field", {"number": numbers[0], "name": row["text"]}, field_row, actor
        )
    if field_row is None:
        bad("nummer", f"Handlungsfeld {numbers[0]} gibt es nicht (weder hier noch gespeichert)")
        return None
    goal = _one(
        session, select(Goal).where(Goal.field_id == field_row.id, Goal.number == numbers[1])
    )
    if kind in ("ziel", "strategisches_ziel"):
        strategic = kind == "strategisches_ziel" or row.get("strategisch", "").casefold() == "ja"
        data = {
            "field_id": field_row.id,
            "number": numbers[1],
            "text": row["text"],
            "strategic": strategic,
        }
        return _save(session, "goal", data, goal, actor)
    if goal is None:
        bad("nummer", f"Ziel {numbers[0]}.{numbers[1]} gibt es nicht (weder hier noch gespeichert)")
        return None
    if kind == "massnahme":
        existing = _one(
            session, select(Measure).where(Measure.goal_id == goal.id, Measure.number == numbers[2])
        )
        data = {
            "goal_id": goal.id,
            "number": numbers[2],
            "text": row["text"],
            "responsible": row.get("verantwortlich", ""),
            "partners": row.get("partner", ""),
            "districts": row.get("bezirke", ""),
            "offer_ids": row.get("angebote", ""),
            "kinds": row.get("arten", ""),
            "start_date": _date(row.get("beginn", "")),
            "due_date": _date(row.get("faellig", "")),
            "budget_eur": _number(row.get("budget_eur", "")),
            "status": row.get("status", "") or "geplant",
            "decision_ref": row.get("beschluss", ""),
            "decision_date": _date(row.get("beschluss_datum", "")),
        }
        return _save(session, "measure", data, existing, actor)
    existing = _one(
        session,
        select(Indicator).where(Indicator.goal_id == goal.id, Indicator.label == row["text"]),
    )
    source_kind = row.get("kennzahl_quelle", "") or "planung"
    data = {
        "goal_id": goal.id,
        "label": row["text"],
        "source_kind": source_kind,
        "kind_slug": row.get("kennzahl_art", ""),
        "measure_key": row.get("kennzahl_mass", ""),
        "area_slug": row.get("kennzahl_gebiet", ""),
        "unit": row.get("einheit", ""),
        "baseline_value": _number(row.get("ausgangswert", "")),
        "baseline_date": _date(row.get("ausgangsdatum", "")),
        "target_value": _number(row.get("zielwert", "")),
        "target_date": _date(row.get("zieldatum", "")),
        "source": row.get("quelle", ""),
    }
    if source_kind != "planung":  # a computed current value is not read back
        data["current_value"] = _number(row.get("aktueller_wert", ""))
        data["current_date"] = _date(row.get("aktuell_am", ""))
    return _save(session, "indicator", data, existing, actor)


def _save(session: Session, entity: str, data: dict, existing: Any, actor: Actor) -> str:
    if existing is None:
        save(session, entity, data, actor)
        return "created"
    before = existing.version
    save(session, entity, data, actor, row_id=existing.id)
    return "changed" if existing.version != before else "unchanged"

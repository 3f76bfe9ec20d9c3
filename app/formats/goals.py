"""The agreement's twins: JSON (nested, with every indicator's baseline, target and
current value), CSV and XLSX (the flat table of ``app.goals.transfer``, which the
import reads back)."""

from datetime import date
from typing import Any

from app.formats.tabular import csv_text
from app.formats.xlsx import Sheet, workbook_bytes
from app.goals.read import Agreement
from app.goals.transfer import COLUMNS, rows


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def to_json(agreement: Agreement) -> dict[str, Any]:
    return {
        "query": {"feld": agreement.query.feld, "bezirk": agreement.query.bezirk},
        "status_counts": agreement.status_counts(),
        "fields": [
            {
                "number": f.field.number,
                "name": f.field.name,
                "goals": [
                    {
                        "number": g.number,
                        "strategic": g.goal.strategic,
                        "text": g.goal.text,
                        "measures": [
                            {
                                "number": m.number,
                                "text": m.measure.text,
                                "responsible": m.measure.responsible,
                                "partners": m.measure.partners,
                                "districts": m.measure.districts,
                                "city_wide": m.city_wide,
                                "offer_ids": m.measure.offer_ids,
                                "kinds": m.measure.kinds,
                                "start_date": _iso(m.measure.start_date),
                                "due_date": _iso(m.measure.due_date),
                                "budget_eur": m.measure.budget_eur,
                                "status": m.measure.status,
                                "decision": {
                                    "reference": m.measure.decision_ref or None,
                                    "date": _iso(m.measure.decision_date),
                                },
                                "notes": [
                                    {"date": _iso(n.noted_on), "text": n.text} for n in m.notes
                                ],
                            }
                            for m in g.measures
                        ],
                        "indicators": [
                            {
                                "label": i.indicator.label,
                                "source": i.indicator.source_kind,
                                "kind": i.indicator.kind_slug,
                                "measure": i.indicator.measure_key,
                                "area": i.indicator.area_slug or "bochum",
                                "unit": i.indicator.unit,
                                "baseline": {
                                    "value": i.baseline.value,
                                    "date": _iso(i.baseline.on or i.indicator.baseline_date),
                                    "basis": i.baseline.basis,
                                },
                                "target": {
                                    "value": i.indicator.target_value,
                                    "date": _iso(i.indicator.target_date),
                                },
                                "current": {
                                    "value": i.current.value,
                                    "date": _iso(i.current.on),
                                    "basis": i.current.basis,
                                },
                            }
                            for i in g.indicators
                        ],
                    }
                    for g in f.goals
                ],
            }
            for f in agreement.fields
        ],
    }


def to_csv(agreement: Agreement) -> str:
    return csv_text(COLUMNS, rows(agreement))


def to_xlsx(agreement: Agreement) -> bytes:
    return workbook_bytes([Sheet("Zielvereinbarung", COLUMNS, rows(agreement))])

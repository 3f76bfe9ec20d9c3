"""The staff forms of the agreement: which fields each entry's form has (declared
once: name, label, kind of control), and the typed form turned into the data the
write path validates (``app.goals.write``)."""

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from app.goals.labels import SOURCE_LABELS, STATUS_LABELS
from app.i18n import lazy_gettext as _l
from app.numbers import parse_number_input
from app.planning.coverage_model import MEASURES
from app.planning.kinds import KINDS
from app.planning.query import MEASURE_LABELS

# URL segment -> entity of the write path
ENTITIES = {"feld": "field", "ziel": "goal", "massnahme": "measure", "kennzahl": "indicator"}
SEGMENT = {v: k for k, v in ENTITIES.items()}


@dataclass(frozen=True)
class FormField:
    name: str
    label: object
    control: str = "text"  # text, textarea, number, date, select, checkboxes, checkbox, parent
    hint: object = None
    options: tuple = ()


FIELDS: dict[str, tuple[FormField, ...]] = {
    "field": (
        FormField("number", _l("Nummer"), "number"),
        FormField("name", _l("Name des Handlungsfelds")),
    ),
    "goal": (
        FormField("field_id", _l("Handlungsfeld"), "parent"),
        FormField("number", _l("Nummer im Handlungsfeld"), "number", _l("m in „Ziel n.m“")),
        FormField("strategic", _l("Strategisches Ziel"), "checkbox"),
        FormField("text", _l("Ziel"), "textarea"),
    ),
    "measure": (
        FormField("goal_id", _l("Ziel"), "parent"),
        FormField("number", _l("Nummer im Ziel"), "number", _l("k in „Maßnahme n.m.k“")),
        FormField("text", _l("Maßnahme"), "textarea"),
        FormField("responsible", _l("Verantwortlich (Amt oder Träger)")),
        FormField("partners", _l("Partner")),
        FormField("districts", _l("Bezirke"), "districts", _l("Keiner gewählt: ganze Stadt")),
        FormField(
            "offer_ids", _l("Verknüpfte Angebote"), hint=_l("Nummern der Angebote, mit Komma")
        ),
        FormField(
            "kinds",
            _l("Arten von Angeboten"),
            "checkboxes",
            options=tuple((k.slug, k.label) for k in KINDS),
        ),
        FormField("start_date", _l("Beginn"), "date"),
        FormField("due_date", _l("Fällig"), "date"),
        FormField("budget_eur", _l("Budget in Euro (freiwillig)"), "number"),
        FormField("status", _l("Stand"), "select", options=tuple(STATUS_LABELS.items())),
        FormField("decision_ref", _l("Ratsbeschluss (Drucksache)")),
        FormField("decision_date", _l("Datum des Beschlusses"), "date"),
    ),
    "indicator": (
        FormField("goal_id", _l("Ziel"), "parent"),
        FormField("label", _l("Kennzahl")),
        FormField("source_kind", _l("Quelle"), "select", options=tuple(SOURCE_LABELS.items())),
        FormField(
            "kind_slug",
            _l("Art von Angebot (bei einem Maß der Planung)"),
            "select",
            options=(("", "–"), *((k.slug, k.label) for k in KINDS)),
        ),
        FormField(
            "measure_key",
            _l("Maß (bei einem Maß der Planung)"),
            "select",
            options=(("", "–"), *((m, MEASURE_LABELS[m]) for m in MEASURES)),
        ),
        FormField("area_slug", _l("Gebiet"), "area"),
        FormField("unit", _l("Einheit")),
        FormField("baseline_value", _l("Ausgangswert"), "number"),
        FormField("baseline_date", _l("Ausgangswert vom"), "date"),
        FormField("target_value", _l("Zielwert"), "number"),
        FormField("target_date", _l("Zielwert bis"), "date"),
        FormField("current_value", _l("Aktueller Wert (nur bei eingetragener Zahl)"), "number"),
        FormField("current_date", _l("Aktueller Wert vom"), "date"),
        FormField("source", _l("Quelle der Zahl")),
    ),
}


def form_data(entity: str, form: FormData) -> dict[str, Any]:
    """The typed form as the write path's data (lists from checkboxes)."""
    data: dict[str, Any] = {}
    for f in FIELDS[entity]:
        if f.control in ("checkboxes", "districts"):
            data[f.name] = [str(v) for v in form.getlist(f.name)]
        elif f.control == "checkbox":
            data[f.name] = form.get(f.name) == "1"
        elif f.control == "number":
            typed = str(form.get(f.name) or "").strip()
            # German input ("1.500.000,50 €"); what is no number goes on as typed, and
            # the write path words its error.
            data[f.name] = parse_number_input(typed) or typed
        else:
            data[f.name] = str(form.get(f.name) or "").strip()
    return data


def typed_values(entity: str, row: object | None) -> dict[str, Any]:
    """What a form shows for a stored row (or an empty form)."""
    values: dict[str, Any] = {}
    for f in FIELDS[entity]:
        value = getattr(row, f.name, None) if row is not None else None
        if f.control in ("checkboxes", "districts"):
            values[f.name] = list(value or [])
        elif f.name == "offer_ids" and value is not None:
            values[f.name] = ", ".join(map(str, value))
        elif f.control == "date":
            values[f.name] = value.isoformat() if value else ""
        elif f.control == "checkbox":
            values[f.name] = bool(value)
        else:
            values[f.name] = "" if value is None else value
    return values

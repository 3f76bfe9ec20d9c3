"""The staff's offer form <-> the offer's fields.

``parse_offer_form`` reads the posted form into the values of ``OfferCreate`` and
names every bad field by the id of its control (for the error summary's links), with
a message in plain words; what was typed is kept in ``raw`` for the form to show
again. Validation is the model's: the form only turns text into values first.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from app.catalogue.audit import snapshot_of_model
from app.catalogue.fields import DEFAULT_CITY, FACT_FIELDS, TEXT_FIELDS, fact_text, text_value
from app.catalogue.hours import (
    WEEKDAYS,
    format_date_input,
    format_ranges,
    parse_date,
    parse_ranges,
)
from app.i18n import gettext as _
from app.messages import error_sentence
from app.models import OfferCreate
from app.models.categories import SLUGS
from app.web.offer_words import FIELD_LABELS

BLANK_EXCEPTIONS = 2  # empty rows offered for new exceptions (no JavaScript needed)


@dataclass
class OfferForm:
    """A posted form: the values for the model (when valid), errors by control id, and
    what was typed."""

    values: dict[str, Any] | None
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    version: int | None = None
    data: OfferCreate | None = None


def _int(text: str, low: int, high: int) -> int:
    if not re.fullmatch(r"\s*\d{1,6}\s*", text):
        raise ValueError
    value = int(text)
    if not low <= value <= high:
        raise ValueError
    return value


def _tri(value: str) -> bool | None:
    return {"ja": True, "nein": False}.get(value)


def parse_offer_form(
    form: Mapping[str, Any], getlist: Any, *, current: Mapping[str, Any] | None = None
) -> OfferForm:
    """Read the posted form (``form.get`` and ``getlist(name)``) into ``OfferCreate``
    values on top of ``current`` (the stored state: fields the form does not show,
    like the point, stay as they are)."""
    raw: dict[str, Any] = {name: str(form.get(name) or "") for name in TEXT_FIELDS}
    errors: dict[str, str] = {}
    values: dict[str, Any] = dict(current or {})
    for name in TEXT_FIELDS:
        values[name] = text_value(name, raw[name])
    raw["category"] = str(form.get("category") or "")
    values["category"] = raw["category"]
    if raw["category"] not in SLUGS:
        errors["category"] = _("Wählen Sie die Art des Angebots.")
    raw["extra_categories"] = [s for s in getlist("extra_categories") if s in SLUGS]
    values["extra_categories"] = sorted(set(raw["extra_categories"]) - {raw["category"]})

    for end in ("min", "max"):
        key, unit_key = f"age_{end}", f"age_{end}_unit"
        raw[key] = str(form.get(key) or "").strip()
        raw[unit_key] = "monate" if form.get(unit_key) == "monate" else "jahre"
        values[key] = values[f"{key}_months"] = None
        if not raw[key]:
            continue
        months = raw[unit_key] == "monate"
        try:
            number = _int(raw[key], 0, 1440 if months else 120)
        except ValueError:
            errors[key] = _(
                "Das Alter muss eine ganze Zahl sein: 0 bis 120 Jahre oder 0 bis 1440 Monate."
            )
            continue
        if months:
            values[f"{key}_months"], values[key] = number, number // 12
        else:
            values[key] = number
    if "age_min" not in errors and "age_max" not in errors:
        low = (
            values["age_min_months"]
            if values["age_min_months"] is not None
            else (values["age_min"] * 12 if values["age_min"] is not None else None)
        )
        high = (
            values["age_max_months"]
            if values["age_max_months"] is not None
            else (values["age_max"] * 12 + 11 if values["age_max"] is not None else None)
        )
        if low is not None and high is not None and low > high:
            errors["age_min"] = _("Das Alter „von“ ist größer als das Alter „bis“.")
    values["age_is_typical"] = form.get("age_is_typical") == "1"
    raw["age_is_typical"] = values["age_is_typical"]

    hours: list[dict[str, Any]] = []
    for day in range(7):
        key = f"hours_{day}"
        raw[key] = str(form.get(key) or "")
        try:
            hours += [
                {"weekday": day, "opens": o, "closes": c, "note": n}
                for o, c, n in parse_ranges(raw[key])
            ]
        except ValueError as exc:
            errors[key] = f"{WEEKDAYS[day]}: {exc}"
    values["opening_hours"] = hours

    exceptions: list[dict[str, Any]] = []
    raw["exceptions"] = []
    for n in range(_count_rows(form)):
        row = {
            part: str(form.get(f"exc_{n}_{part}") or "").strip()
            for part in ("starts", "ends", "times", "note")
        }
        raw["exceptions"].append(row)
        if not any(row.values()) or form.get(f"exc_{n}_remove") == "1":
            continue
        key = f"exc_{n}_starts"
        try:
            starts = parse_date(row["starts"])
            ends = parse_date(row["ends"]) if row["ends"] else starts
            if ends < starts:
                raise ValueError(_("Das Ende liegt vor dem Beginn."))
            ranges = parse_ranges(row["times"]) if row["times"] else []
            if len(ranges) > 1:
                raise ValueError(_("Geben Sie für abweichende Tage nur eine Zeitspanne an."))
        except ValueError as exc:
            errors[key] = _(
                "Abweichende Zeiten, Zeile %(n)s: %(message)s", n=n + 1, message=str(exc)
            )
            continue
        opens, closes = (ranges[0][0], ranges[0][1]) if ranges else (None, None)
        exceptions.append(
            {
                "starts": starts,
                "ends": ends,
                "opens": opens,
                "closes": closes,
                "note": row["note"] or (ranges[0][2] if ranges else None),
            }
        )
    values["opening_exceptions"] = exceptions

    raw["languages"] = str(form.get("languages") or "")
    values["languages"] = list(
        dict.fromkeys(p.strip() for p in re.split(r"[,;]", raw["languages"]) if p.strip())
    )
    for name in FACT_FIELDS:
        raw[name] = str(form.get(name) or "")
        values[name] = _tri(raw[name])
    raw["costs_kind"] = str(form.get("costs_kind") or "")
    values["costs_kind"] = raw["costs_kind"] or None
    raw["delivery"] = [s for s in getlist("delivery") if s]
    values["delivery"] = list(dict.fromkeys(raw["delivery"]))
    raw["closed_on_holidays"] = str(form.get("closed_on_holidays") or "")
    values["closed_on_holidays"] = _tri(raw["closed_on_holidays"])
    raw["closed_school_holidays"] = str(form.get("closed_school_holidays") or "").strip()
    values["closed_school_holidays"] = raw["closed_school_holidays"] or None
    for name in ("capacity", "capacity_u3"):
        raw[name] = str(form.get(name) or "").strip()
        values[name] = None
        if raw[name]:
            try:
                values[name] = _int(raw[name], 0, 100_000)
            except ValueError:
                errors[name] = _(
                    "Geben Sie die Zahl der Plätze als ganze Zahl ein, zum Beispiel 45."
                )
    version = None
    if str(form.get("version") or "").isdigit():
        version = int(str(form.get("version")))

    data = None
    try:  # also with errors above: every bad field is named at once
        data = OfferCreate.model_validate(values)
    except ValidationError as exc:
        for name, message in model_errors(exc).items():
            errors.setdefault(name, message)
    if errors:
        data = None
        errors = dict(sorted(errors.items(), key=lambda item: _position(item[0])))
    return OfferForm(snapshot_of_model(data) if data else None, errors, raw, version, data)


# The controls in the order the form shows them (the error summary follows it).
ORDER = (
    "name",
    "category",
    "extra_categories",
    "provider_name",
    "description",
    "street",
    "postcode",
    "city",
    "service_area",
    "contact_phone",
    "contact_email",
    "website",
    "target_group",
    "age_min",
    "age_max",
    "languages",
    "costs",
    "costs_kind",
    "delivery",
    *(f"hours_{d}" for d in range(7)),
    "exc_",
    "closed_on_holidays",
    "closed_school_holidays",
    *FACT_FIELDS,
    "capacity",
    "capacity_u3",
    "notes",
)


def _position(name: str) -> int:
    key = "exc_" if name.startswith("exc_") else name
    return ORDER.index(key) if key in ORDER else len(ORDER)


def _count_rows(form: Mapping[str, Any]) -> int:
    numbers = [
        int(m.group(1)) for key in form if (m := re.fullmatch(r"exc_(\d{1,3})_starts", str(key)))
    ]
    return max(numbers, default=-1) + 1


def model_errors(exc: ValidationError) -> dict[str, str]:
    """The model's errors in words, keyed by the form control's id."""
    messages = _messages()
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        name = loc[0] if loc else "name"
        message = str(err["msg"]).removeprefix("Value error, ")
        name = {
            "age_min_months": "age_min",
            "age_max_months": "age_max",
            "opening_hours": "hours_0",
            "opening_exceptions": "exc_0_starts",
        }.get(name, name)
        if err["type"] == "string_too_long":
            text = _(
                "Der Text ist zu lang (höchstens %(n)s Zeichen).",
                n=err.get("ctx", {}).get("max_length", ""),
            )
        elif "age_min" in message or "age_max" in message:
            name, text = "age_min", _("Das Alter „von“ ist größer als das Alter „bis“.")
        elif "capacity_u3" in message:
            name, text = (
                "capacity_u3",
                _("Es kann nicht mehr Plätze unter drei Jahren als Plätze insgesamt geben."),
            )
        else:
            text = messages.get(name) or error_sentence(err, name)
        known = name in FIELD_LABELS or name.startswith(("hours_", "exc_"))
        errors.setdefault(name if known else "name", text)
    return errors


def _messages() -> dict[str, str]:
    return {
        "name": _("Geben Sie einen Namen mit 2 bis 300 Zeichen ein."),
        "postcode": _("Die Postleitzahl hat fünf Ziffern, zum Beispiel 44787."),
        "contact_email": _("Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein."),
        "contact_phone": _(
            "Geben Sie eine Telefonnummer mit mindestens fünf Ziffern ein, zum Beispiel 0234 910-0."
        ),
        "website": _("Geben Sie eine Internetadresse wie www.beispiel.de ein."),
        "category": _("Wählen Sie die Art des Angebots."),
        "languages": _("Geben Sie die Sprachen durch Komma getrennt ein."),
    }


def form_state(values: Mapping[str, Any]) -> dict[str, Any]:
    """What the form shows for stored values (the inverse of ``parse_offer_form``)."""
    raw: dict[str, Any] = {name: values.get(name) or "" for name in TEXT_FIELDS}
    raw["city"] = values.get("city") or DEFAULT_CITY
    raw["category"] = values.get("category") or ""
    raw["extra_categories"] = list(values.get("extra_categories") or [])
    for end in ("min", "max"):
        months = values.get(f"age_{end}_months")
        years = values.get(f"age_{end}")
        raw[f"age_{end}"] = str(
            months if months is not None else years if years is not None else ""
        )
        raw[f"age_{end}_unit"] = "monate" if months is not None else "jahre"
    raw["age_is_typical"] = bool(values.get("age_is_typical"))
    hours = list(values.get("opening_hours") or [])
    for day in range(7):
        raw[f"hours_{day}"] = format_ranges(h for h in hours if int(h["weekday"]) == day)
    raw["exceptions"] = [
        {
            "starts": format_date_input(e["starts"]),
            "ends": format_date_input(e["ends"]) if e.get("ends") != e["starts"] else "",
            "times": format_ranges([e]) if e.get("opens") else "",
            "note": e.get("note") or "",
        }
        for e in values.get("opening_exceptions") or []
    ]
    raw["languages"] = ", ".join(values.get("languages") or [])
    raw["costs_kind"] = values.get("costs_kind") or ""
    raw["delivery"] = list(values.get("delivery") or [])
    raw["closed_school_holidays"] = values.get("closed_school_holidays") or ""
    for name in (*FACT_FIELDS, "closed_on_holidays"):
        raw[name] = fact_text(values.get(name))
    for name in ("capacity", "capacity_u3"):
        raw[name] = "" if values.get(name) is None else str(values[name])
    return raw


def exception_rows(raw: Mapping[str, Any]) -> list[dict[str, str]]:
    """The exception rows the form shows: those typed or stored, and blank ones."""
    blank = {"starts": "", "ends": "", "times": "", "note": ""}
    rows = [r for r in raw.get("exceptions", []) if any(r.values())]
    return rows + [dict(blank) for _ in range(BLANK_EXCEPTIONS)]

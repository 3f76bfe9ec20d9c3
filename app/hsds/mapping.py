"""One HSDS service read back into our fields (the inverse of ``serialise``), with the
JSON path each value came from, so that an error of our rules names the feed's path.

Only what HSDS carries is read (``FEED_FIELDS``); a field the feed leaves out is
empty in the feed, so an update empties it. What we cannot hold is left out:
programs, funding, required documents, contacts by person, a second location or phone,
schedules other than weekly by day, dated or our holiday rules, language codes, cost
amounts (an amount of 0 is read as free of charge, one above 0 as "kosten")."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.hsds.schedules import (
    DAYS,
    FIRST_WEEK,
    HOLIDAYS_CLOSED,
    HOLIDAYS_OPEN,
    SCHOOL_CLOSED,
    SCHOOL_NAMES,
)
from app.hsds.serialise import ACCESSIBILITY, COST_OPTIONS
from app.hsds.taxonomy import (
    DELIVERY_MODES,
    DELIVERY_OF_TERM,
    DELIVERY_TAXONOMY_ID,
    SLUG_OF_TERM,
)
from app.models import PROVIDER_KINDS
from app.models.categories import SLUGS

FEED_FIELDS = (
    "name",
    "category",
    "extra_categories",
    "description",
    "website",
    "contact_email",
    "contact_phone",
    "costs",
    "costs_kind",
    "delivery",
    "target_group",
    "age_min",
    "age_max",
    "age_min_months",
    "age_max_months",
    "languages",
    "service_area",
    "provider_name",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "opening_hours",
    "opening_exceptions",
    "closed_on_holidays",
    "closed_school_holidays",
    *ACCESSIBILITY,
)
FACT_OF = {label.casefold(): name for name, label in ACCESSIBILITY.items()}
KIND_OF_OPTION = {
    **{kind: kind for kind in COST_OPTIONS},
    **{word.casefold(): kind for kind, word in COST_OPTIONS.items()},
}
HOLIDAY_OF = {HOLIDAYS_CLOSED.casefold(): True, HOLIDAYS_OPEN.casefold(): False}
SCHOOL_OF = {words.casefold(): name for name, words in SCHOOL_NAMES.items()}
_WEEKS = re.compile(r"^(.+?) \(die ersten ([2-7]) wochen\)$")
YES = {"ja", "yes", "true", "1", "vorhanden"}
NO = {"nein", "no", "false", "0", "nicht vorhanden"}
_TIME = re.compile(r"^(\d{2}):(\d{2})")


@dataclass
class Mapped:
    values: dict[str, Any]
    paths: dict[str, str]  # our field -> the feed's JSON path
    service_id: str | None
    provider_kind: str = "unbekannt"
    provider_website: str | None = None
    source_label: str | None = None
    source_date: str | None = None
    source_urls: list[str] = field(default_factory=list)
    source_changed: date | None = None
    assured: date | None = None
    ignored: list[str] = field(default_factory=list)  # paths of what we cannot hold


def _text(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _time(value: Any) -> str | None:
    found = _TIME.match(str(value or ""))
    return f"{found.group(1)}:{found.group(2)}" if found else None


def _age(value: Any) -> tuple[int | None, int | None]:
    """(years, months) of an HSDS age; a fraction of a year becomes months."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None, None
    if float(value).is_integer():
        return int(value), None
    months = round(value * 12)
    return months // 12, months


def _categories(data: dict[str, Any]) -> tuple[str, list[str], str | None]:
    """(main kind, extra kinds, path of the main one) from the attributes that name a
    term of our taxonomy (by id or code); the main one has value "main", else the
    first; none: "sonstiges"."""
    found: list[tuple[str, bool, str]] = []
    for n, attr in enumerate(data.get("attributes") or []):
        if not isinstance(attr, dict):
            continue
        term = attr.get("taxonomy_term")
        slug = SLUG_OF_TERM.get(str(attr.get("taxonomy_term_id", "")).lower())
        if slug is None and isinstance(term, dict) and term.get("code") in SLUGS:
            slug = term["code"]
        if slug is not None:
            found.append((slug, attr.get("value") == "main", f"$.attributes[{n}]"))
    if not found:
        return "sonstiges", [], None
    main = next((f for f in found if f[1]), found[0])
    return main[0], sorted({f[0] for f in found} - {main[0]}), main[2]


def _delivery(data: dict[str, Any]) -> list[str]:
    """The forms of the offer from the attributes that name a term of our taxonomy
    "Angebotsformen" (by id, or by code within that taxonomy), in their order."""
    found: list[str] = []
    for attr in data.get("attributes") or []:
        if not isinstance(attr, dict):
            continue
        term = attr.get("taxonomy_term") if isinstance(attr.get("taxonomy_term"), dict) else {}
        mode = DELIVERY_OF_TERM.get(str(attr.get("taxonomy_term_id", "")).lower())
        if mode is None and str(term.get("taxonomy_id", "")).lower() == DELIVERY_TAXONOMY_ID:
            mode = term.get("code") if term.get("code") in DELIVERY_MODES else None
        if mode is not None and mode not in found:
            found.append(mode)
    return found


def _costs_kind(option: dict[str, Any]) -> str | None:
    """Our costs kind of a cost option: its ``option`` in our words, else its amount
    (0: free of charge; above 0: costs)."""
    kind = KIND_OF_OPTION.get(str(option.get("option") or "").strip().casefold())
    amount = option.get("amount")
    if kind is None and isinstance(amount, int | float) and not isinstance(amount, bool):
        kind = "frei" if amount == 0 else "kosten" if amount > 0 else None
    return kind


def school_closure(words: str) -> str | None:
    """ "Sommerferien (die ersten 3 Wochen), Herbstferien" -> "sommerferien:3,herbstferien"
    (the inverse of ``schedules.school_closure_words``); None if a part is not ours."""
    tokens = []
    for part in (p.strip().casefold() for p in words.split(",")):
        weeks = ""
        if part.endswith(FIRST_WEEK.casefold()):
            part, weeks = part.removesuffix(FIRST_WEEK.casefold()), "1"
        elif found := _WEEKS.match(part):
            part, weeks = found.group(1), found.group(2)
        name = SCHOOL_OF.get(part)
        if name is None:
            return None
        tokens.append(f"{name}:{weeks}" if weeks else name)
    return ",".join(tokens) or None


def _holiday_rule(description: str) -> tuple[str, Any] | None:
    """(our field, value) of a schedule row that says one of our holiday rules."""
    text = " ".join(description.split())
    if text.casefold() in HOLIDAY_OF:
        return "closed_on_holidays", HOLIDAY_OF[text.casefold()]
    if text.casefold().startswith(SCHOOL_CLOSED.casefold()):
        closure = school_closure(text[len(SCHOOL_CLOSED) :])
        return ("closed_school_holidays", closure) if closure else None
    return None


def _schedules(
    data: dict[str, Any], values: dict[str, Any], paths: dict[str, str], ignored: list[str]
) -> None:
    hours, exceptions = [], []
    values["closed_on_holidays"] = values["closed_school_holidays"] = None
    for n, row in enumerate(data.get("schedules") or []):
        path = f"$.schedules[{n}]"
        if not isinstance(row, dict):
            continue
        rule = (
            _holiday_rule(str(row.get("description") or ""))
            if not row.get("byday") and not row.get("valid_from")
            else None
        )
        if rule is not None:
            values[rule[0]] = rule[1]
            paths[rule[0]] = f"{path}.description"
            continue
        opens, closes = _time(row.get("opens_at")), _time(row.get("closes_at"))
        note = _text(row.get("notes"))
        if row.get("valid_from") and not row.get("byday"):
            exceptions.append(
                {
                    "starts": str(row["valid_from"])[:10],
                    "ends": str(row.get("valid_to") or row["valid_from"])[:10],
                    "opens": opens,
                    "closes": closes,
                    "note": note,
                }
            )
            paths.setdefault(f"opening_exceptions.{len(exceptions) - 1}", path)
            continue
        days = [d.strip().upper() for d in str(row.get("byday") or "").split(",") if d.strip()]
        if row.get("freq", "WEEKLY") != "WEEKLY" or not days or not opens or not closes:
            ignored.append(path)
            continue
        for day in days:
            if day not in DAYS:
                ignored.append(f"{path}.byday")
                continue
            hours.append(
                {"weekday": DAYS.index(day), "opens": opens, "closes": closes, "note": note}
            )
            paths.setdefault(f"opening_hours.{len(hours) - 1}", path)
    values["opening_hours"] = hours
    values["opening_exceptions"] = exceptions
    paths.setdefault("opening_hours", "$.schedules")
    paths.setdefault("opening_exceptions", "$.schedules")


def _location(
    data: dict[str, Any], values: dict[str, Any], paths: dict[str, str], ignored: list[str]
) -> None:
    sals = [s for s in (data.get("service_at_locations") or []) if isinstance(s, dict)]
    for name in ("street", "postcode", "lat", "lon"):
        values[name] = None
    values["city"] = "Bochum"
    if not sals:
        return  # accessibility facts live on the location: without one, none are said
    for name in ACCESSIBILITY:
        values[name] = None
    if len(sals) > 1:
        ignored.append("$.service_at_locations[1]")
    loc = sals[0].get("location") if isinstance(sals[0].get("location"), dict) else {}
    base = "$.service_at_locations[0].location"
    if isinstance(loc.get("latitude"), int | float) and isinstance(
        loc.get("longitude"), int | float
    ):
        values["lat"], values["lon"] = float(loc["latitude"]), float(loc["longitude"])
        paths["lat"], paths["lon"] = f"{base}.latitude", f"{base}.longitude"
    addresses = [a for a in (loc.get("addresses") or []) if isinstance(a, dict)]
    physical = [a for a in addresses if a.get("address_type") == "physical"] or addresses
    if physical:
        n = addresses.index(physical[0])
        a = physical[0]
        street = " ".join(p for p in (_text(a.get("address_1")), _text(a.get("address_2"))) if p)
        values["street"] = street or None
        values["postcode"] = _text(a.get("postal_code"))
        values["city"] = _text(a.get("city")) or "Bochum"
        for ours, theirs in (
            ("street", "address_1"),
            ("postcode", "postal_code"),
            ("city", "city"),
        ):
            paths[ours] = f"{base}.addresses[{n}].{theirs}"
    for n, fact in enumerate(loc.get("accessibility") or []):
        if not isinstance(fact, dict):
            continue
        name = FACT_OF.get(str(fact.get("description") or "").strip().casefold())
        details = str(fact.get("details") or "").strip().casefold()
        if name and (details in YES or details in NO):
            values[name] = details in YES
            paths[name] = f"{base}.accessibility[{n}]"
        else:
            ignored.append(f"{base}.accessibility[{n}]")


def map_service(data: dict[str, Any]) -> Mapped:
    """Our fields of one schema-valid HSDS service."""
    values: dict[str, Any] = {}
    paths: dict[str, str] = {}
    ignored: list[str] = []
    for ours, theirs in (
        ("name", "name"),
        ("description", "description"),
        ("website", "url"),
        ("contact_email", "email"),
        ("target_group", "eligibility_description"),
    ):
        values[ours] = _text(data.get(theirs))
        paths[ours] = f"$.{theirs}"
    values["category"], values["extra_categories"], path = _categories(data)
    paths["category"] = paths["extra_categories"] = path or "$.attributes"
    phones = [p for p in (data.get("phones") or []) if isinstance(p, dict)]
    values["contact_phone"] = _text(phones[0].get("number")) if phones else None
    paths["contact_phone"] = "$.phones[0].number"
    if len(phones) > 1:
        ignored.append("$.phones[1]")
    costs = [c for c in (data.get("cost_options") or []) if isinstance(c, dict)]
    values["costs"] = _text(costs[0].get("amount_description")) if costs else None
    paths["costs"] = "$.cost_options[0].amount_description"
    values["costs_kind"] = _costs_kind(costs[0]) if costs else None
    paths["costs_kind"] = "$.cost_options[0].option"
    values["delivery"] = _delivery(data)
    paths["delivery"] = "$.attributes"
    if values["costs"] is None:
        values["costs"] = _text(data.get("fees_description"))
        paths["costs"] = "$.fees_description"
    for end, theirs in (("min", "minimum_age"), ("max", "maximum_age")):
        years, months = _age(data.get(theirs))
        values[f"age_{end}"], values[f"age_{end}_months"] = years, months
        paths[f"age_{end}"] = paths[f"age_{end}_months"] = f"$.{theirs}"
    values["languages"] = [
        _text(lang.get("name")) or _text(lang.get("code"))
        for lang in (data.get("languages") or [])
        if isinstance(lang, dict) and (_text(lang.get("name")) or _text(lang.get("code")))
    ]
    paths["languages"] = "$.languages"
    areas = [a for a in (data.get("service_areas") or []) if isinstance(a, dict)]
    values["service_area"] = (
        (_text(areas[0].get("name")) or _text(areas[0].get("description"))) if areas else None
    )
    paths["service_area"] = "$.service_areas[0].name"
    org = data.get("organization") if isinstance(data.get("organization"), dict) else {}
    values["provider_name"] = _text(org.get("name"))
    paths["provider_name"] = "$.organization.name"
    _location(data, values, paths, ignored)
    _schedules(data, values, paths, ignored)
    for key in ("program", "funding", "required_documents", "contacts"):
        if data.get(key):
            ignored.append(f"$.{key}")  # HSDS holds these, we do not
    if data.get("status") != "active":
        ignored.append("$.status")  # we publish active offers only; the status is not kept
    mapped = Mapped(values, paths, _text(data.get("id")), ignored=ignored)
    kind = _text(org.get("legal_status"))
    mapped.provider_kind = kind if kind in PROVIDER_KINDS else "unbekannt"
    mapped.provider_website = _text(org.get("website"))
    for row in data.get("metadata") or []:
        if not isinstance(row, dict) or row.get("last_action_type") != "source":
            continue
        value = _text(row.get("replacement_value"))
        name = row.get("field_name")
        if name == "source_label":
            mapped.source_label = value
        elif name == "source_date":
            mapped.source_date = value
        elif name == "source_urls" and value:
            mapped.source_urls = value.split()
        mapped.source_changed = mapped.source_changed or _date(row.get("last_action_date"))
    mapped.assured = _date(data.get("assured_date")) if data.get("assured_date") else None
    return mapped

"""Opening hours and their exceptions: rows of an offer <-> the input models, in the
same JSON shape for the change log as the input (so that a snapshot compares equal)."""

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time
from typing import Any

from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.models import OpeningException, OpeningExceptionIn, OpeningHours, OpeningHoursIn

FIELDS = ("opening_hours", "opening_exceptions")


def hours_of(offer: Any) -> list[dict[str, Any]]:
    rows = [
        OpeningHoursIn(weekday=h.weekday, opens=h.opens, closes=h.closes, note=h.note)
        for h in offer.opening_hours
    ]
    return normalised_hours([r.model_dump(mode="json") for r in rows])


def exceptions_of(offer: Any) -> list[dict[str, Any]]:
    rows = [
        OpeningExceptionIn(
            starts=e.starts, ends=e.ends, opens=e.opens, closes=e.closes, note=e.note
        )
        for e in offer.opening_exceptions
    ]
    return normalised_exceptions([r.model_dump(mode="json") for r in rows])


def normalised_hours(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["weekday"], r["opens"], r["closes"]))


def normalised_exceptions(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["starts"], r["ends"], r["opens"] or ""))


def hours_rows(offer_id: int, data: Any) -> list[dict[str, Any]]:
    """Insert rows for the hours of a validated ``OfferCreate``."""
    return [
        {
            "offer_id": offer_id,
            "weekday": h.weekday,
            "opens": h.opens,
            "closes": h.closes,
            "note": h.note,
        }
        for h in data.opening_hours
    ]


def exception_rows(offer_id: int, data: Any) -> list[dict[str, Any]]:
    return [
        {
            "offer_id": offer_id,
            "starts": e.starts,
            "ends": e.ends or e.starts,
            "opens": e.opens,
            "closes": e.closes,
            "note": e.note,
        }
        for e in data.opening_exceptions
    ]


def set_hours(offer: Any, data: Any, changed: set[str]) -> None:
    """Replace the offer's hours and/or exceptions by those of ``data``."""
    if "opening_hours" in changed:
        offer.opening_hours = [
            OpeningHours(weekday=h.weekday, opens=h.opens, closes=h.closes, note=h.note)
            for h in data.opening_hours
        ]
    if "opening_exceptions" in changed:
        offer.opening_exceptions = [
            OpeningException(
                starts=e.starts,
                ends=e.ends or e.starts,
                opens=e.opens,
                closes=e.closes,
                note=e.note,
            )
            for e in data.opening_exceptions
        ]


# --- hours as text: the form's fields, the upload's cells, the history ------------------

WEEKDAYS = (
    _l("Montag"),
    _l("Dienstag"),
    _l("Mittwoch"),
    _l("Donnerstag"),
    _l("Freitag"),
    _l("Samstag"),
    _l("Sonntag"),
)
WEEKDAYS_SHORT = (_l("Mo"), _l("Di"), _l("Mi"), _l("Do"), _l("Fr"), _l("Sa"), _l("So"))
FILE_DAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")  # in files: always German

_RANGE = re.compile(
    r"^\s*(\d{1,2})[:.](\d{2})\s*(?:-|–|bis)\s*(\d{1,2})[:.](\d{2})\s*"
    r"(?:\((?P<note>[^()]*)\))?\s*$"
)


def _time(hours: str, minutes: str) -> time | None:
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return time(23, 59)
    if 0 <= h <= 23 and 0 <= m <= 59:
        return time(h, m)
    return None


def parse_ranges(text: str) -> list[tuple[time, time, str | None]]:
    """ "08:00–12:00, 14:00–16:30 (nur mit Termin)" -> ranges; ValueError with a message."""
    ranges = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", text))):
        match = _RANGE.match(part)
        if not match:
            raise ValueError(
                _(
                    "Schreiben Sie die Zeiten wie 08:00–12:00, mehrere durch "
                    "Komma getrennt, einen Hinweis in Klammern."
                )
            )
        opens, closes = _time(*match.group(1, 2)), _time(*match.group(3, 4))
        if opens is None or closes is None:
            raise ValueError(_("„%(text)s“ ist keine Uhrzeit.", text=part))
        if closes == opens:
            raise ValueError(_("In „%(text)s“ ist das Ende gleich dem Beginn.", text=part))
        note = (match.group("note") or "").strip() or None
        ranges.append((opens, closes, note))
    return ranges


def format_ranges(rows: Iterable[Mapping[str, Any]]) -> str:
    parts = []
    for row in rows:
        text = f"{str(row['opens'])[:5]}–{str(row['closes'])[:5]}"
        if row.get("note"):
            text += f" ({row['note']})"
        parts.append(text)
    return ", ".join(parts)


def parse_date(text: str) -> date:
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(_("Geben Sie ein Datum wie 24.12.2026 ein."))


def format_date_input(value: Any) -> str:
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return day.strftime("%d.%m.%Y")


def hours_text(rows: Sequence[Mapping[str, Any]], days: Sequence[Any] = FILE_DAYS) -> str:
    """ "Mo 08:00–12:00, 14:00–16:00; Di 08:00–12:00" """
    return "; ".join(
        f"{days[d]} {format_ranges(r for r in rows if int(r['weekday']) == d)}"
        for d in range(7)
        if any(int(r["weekday"]) == d for r in rows)
    )


def exceptions_text(rows: Sequence[Mapping[str, Any]], closed: str = "geschlossen") -> str:
    """ "24.12.2026–01.01.2027 geschlossen (Ferien); 15.07.2026 10:00–12:00" """
    parts = []
    for e in rows:
        span = format_date_input(e["starts"])
        if e.get("ends") and str(e["ends"]) != str(e["starts"]):
            span += f"–{format_date_input(e['ends'])}"
        times = format_ranges([{**e, "note": None}]) if e.get("opens") else closed
        parts.append(f"{span} {times}" + (f" ({e['note']})" if e.get("note") else ""))
    return "; ".join(parts)


def parse_hours_text(value: str) -> list[dict[str, Any]]:
    """The inverse of ``hours_text`` (German day names); ValueError naming the part."""
    rows = []
    for part in filter(None, (p.strip() for p in value.split(";"))):
        match = re.fullmatch(r"(\w{2})\.?\s+(.+)", part)
        day = (
            FILE_DAYS.index(match.group(1).capitalize())
            if match and match.group(1).capitalize() in FILE_DAYS
            else None
        )
        if match is None or day is None:
            raise ValueError(
                _("„%(part)s“ beginnt nicht mit einem Wochentag (Mo, Di, … So)", part=part)
            )
        rows += [
            {"weekday": day, "opens": o, "closes": c, "note": n}
            for o, c, n in parse_ranges(match.group(2))
        ]
    return rows


def parse_exceptions_text(value: str) -> list[dict[str, Any]]:
    """The inverse of ``exceptions_text``; ValueError naming the part."""
    rows = []
    for part in filter(None, (p.strip() for p in value.split(";"))):
        match = re.fullmatch(r"(\S+?)(?:\s*[–-]\s*(\d{1,2}\.\d{1,2}\.\d{4}))?\s+(.+)", part)
        if not match:
            raise ValueError(
                _(
                    "„%(part)s“ ist nicht „Datum[–Datum] geschlossen“ oder „Datum hh:mm–hh:mm“",
                    part=part,
                )
            )
        starts = parse_date(match.group(1))
        ends = parse_date(match.group(2)) if match.group(2) else starts
        rest, note = match.group(3).strip(), None
        if m := re.fullmatch(r"(.*?)\s*\(([^()]*)\)", rest):
            rest, note = m.group(1).strip(), m.group(2).strip() or None
        if rest.lower() == "geschlossen":
            opens = closes = None
        else:
            ranges = parse_ranges(rest)
            if len(ranges) != 1:
                raise ValueError(
                    _("„%(part)s“: genau eine Zeitspanne oder „geschlossen“", part=part)
                )
            opens, closes = ranges[0][0], ranges[0][1]
        if ends < starts:
            raise ValueError(_("„%(part)s“: das Ende liegt vor dem Beginn", part=part))
        rows.append(
            {"starts": starts, "ends": ends, "opens": opens, "closes": closes, "note": note}
        )
    return rows

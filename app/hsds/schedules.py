"""Opening hours as HSDS schedules: the weekly hours as WEEKLY rows, each exception as
a dated row, and the holiday rules, which no RRULE can say (HSDS knows no holiday
calendar), as rows with only a ``description`` in fixed words that the import
(``app.hsds.mapping``) reads back."""

from typing import Any

from app.hsds.ids import uid
from app.hsds.records import OfferRecord
from app.hsds.values import drop_empty, hhmm, iso_date
from app.models.types import SCHOOL_HOLIDAYS

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
CLOSED = "geschlossen"
OTHER_HOURS = "abweichende Öffnungszeiten"
# The holiday rules, which RRULEs cannot express (HSDS knows no holiday calendar): a
# schedule row with only a ``description`` in these words, which the import reads back.
HOLIDAYS_CLOSED = "An gesetzlichen Feiertagen (NRW) geschlossen"
HOLIDAYS_OPEN = "Auch an gesetzlichen Feiertagen (NRW) geöffnet"
SCHOOL_CLOSED = "In den Schulferien (NRW) geschlossen: "
SCHOOL_NAMES = {"alle": "alle Schulferien", **{h: h.capitalize() for h in SCHOOL_HOLIDAYS}}
FIRST_WEEK, FIRST_WEEKS = " (die erste Woche)", " (die ersten {n} Wochen)"


def schedules(rec: OfferRecord, sid: str) -> list[dict[str, Any]]:
    """Weekly hours as WEEKLY rows (days with the same times and note share a row), then
    each exception as a dated row (no ``byday``): closed, or open at other times; then
    the holiday rules as rows with only a ``description`` (``holiday_rules``)."""
    groups: dict[tuple, list[int]] = {}
    for h in sorted(rec.hours, key=lambda h: (h["weekday"], hhmm(h["opens"]), hhmm(h["closes"]))):
        key = (hhmm(h["opens"]), hhmm(h["closes"]), h["note"] or None)
        groups.setdefault(key, []).append(h["weekday"])
    out = []
    for n, ((opens, closes, note), days) in enumerate(
        sorted(groups.items(), key=lambda kv: (kv[1][0], kv[0][0], kv[0][1]))
    ):
        out.append(
            drop_empty(
                {
                    "id": uid("schedule", sid, "weekly", n),
                    "service_id": sid,
                    "freq": "WEEKLY",
                    "wkst": "MO",
                    "byday": ",".join(DAYS[d] for d in sorted(set(days))),
                    "opens_at": opens,
                    "closes_at": closes,
                    "notes": note,
                }
            )
        )
    exceptions = sorted(
        rec.exceptions,
        key=lambda e: (iso_date(e["starts"]), iso_date(e["ends"]), hhmm(e["opens"]) or ""),
    )
    for n, e in enumerate(exceptions):
        out.append(
            drop_empty(
                {
                    "id": uid("schedule", sid, "exception", n),
                    "service_id": sid,
                    "valid_from": iso_date(e["starts"]),
                    "valid_to": iso_date(e["ends"]),
                    "opens_at": hhmm(e["opens"]),
                    "closes_at": hhmm(e["closes"]),
                    "description": CLOSED if e["opens"] is None else OTHER_HOURS,
                    "notes": e["note"],
                }
            )
        )
    for name, words in holiday_rules(rec.row).items():
        out.append({"id": uid("schedule", sid, name), "service_id": sid, "description": words})
    return out


def school_closure_words(closure: str) -> str:
    """ "sommerferien:3,herbstferien" -> "Sommerferien (die ersten 3 Wochen), Herbstferien"."""
    parts = []
    for token in filter(None, closure.split(",")):
        name, _sep, weeks = token.partition(":")
        n = int(weeks) if weeks else 0
        tail = "" if not n else FIRST_WEEK if n == 1 else FIRST_WEEKS.format(n=n)
        parts.append(SCHOOL_NAMES.get(name, name) + tail)
    return ", ".join(parts)


def holiday_rules(row: dict[str, Any]) -> dict[str, str]:
    """The holiday rules of an offer as words (schedule key -> description)."""
    rules = {}
    if row["closed_on_holidays"] is not None:
        rules["holidays"] = HOLIDAYS_CLOSED if row["closed_on_holidays"] else HOLIDAYS_OPEN
    if row["closed_school_holidays"]:
        rules["school_holidays"] = SCHOOL_CLOSED + school_closure_words(
            row["closed_school_holidays"]
        )
    return rules

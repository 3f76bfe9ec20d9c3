"""What the sources say in words, read into values: the date a curated source last
changed (``quelle_datum``) and an age range in a target-group text."""

import re
from datetime import date

_RETRIEVAL = re.compile(r"(?:Abruf|abgerufen)\s+(\d{4}-\d{2}-\d{2})")


def latest_source_date(text: str | None) -> date | None:
    """The latest full ISO date in a curated ``quelle_datum``, else None.

    Retrieval dates ("Abruf 2023-10-17") say when a file was fetched, not when the
    source changed, so they do not count.
    """
    if not text:
        return None
    text = _RETRIEVAL.sub("", text)
    found = []
    for match in re.finditer(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)", text):
        try:
            found.append(date(*map(int, match.groups())))
        except ValueError:
            continue
    return max(found, default=None)


_RANGE = re.compile(r"(?<!\d)(\d{1,2})\s*(?:bis|-|–)\s*(\d{1,2})\s*Jahr", re.I)


_FROM = re.compile(r"\bab\s+(\d{1,3})(?!\s*(?:Uhr|%|€|Euro))\b", re.I)


def parse_age_range(text: str | None) -> tuple[int | None, int | None] | None:
    """An explicit age range in a target-group text, e.g. "6 bis 16 Jahre" -> (6, 16),
    "ab 12 Jahren" -> (12, None). Only the first ``;`` part counts: later parts name
    sub-offers ("Menschen jeden Alters; Kurse ... ab 12 Jahren")."""
    if not text:
        return None
    head = text.split(";")[0]
    if match := _RANGE.search(head):
        low, high = int(match.group(1)), int(match.group(2))
        return (low, high) if low <= high else None
    if match := _FROM.search(head):
        return int(match.group(1)), None
    return None

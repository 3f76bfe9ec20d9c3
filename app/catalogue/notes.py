"""The public data note of an offer ("Hinweis zu den Daten"), as far as it is still true.

The notes come from the curated source (its ``hinweis`` column) or from staff, and say
what the sources lacked: "Telefon nicht genannt. Bitte prüfen." Once staff entered the
phone, that sentence is wrong. So the note is read sentence by sentence (and clause by
clause at a semicolon); each part is about the fields it names (Telefon, PLZ, Adresse,
Träger, Öffnungszeiten, ...), and a part whose fields were all changed after the note
was written is left out; a part where only some of them were is kept and marked with
what changed since. A part that names no field stays, except a bare "Bitte prüfen."
that belongs to the part before it. The stored note itself is not changed: staff see
it whole on the edit form, with the parts the public page leaves out.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import Session, select

from app.i18n import lazy_gettext as _l
from app.models import Offer, OfferChange

# Words that name a field of the offer, and the fields (change log names) they mean.
FIELD_WORDS: tuple[tuple[re.Pattern[str], tuple[str, ...], object], ...] = (
    (re.compile(r"\bTelefon", re.I), ("contact_phone",), _l("Telefon")),
    (re.compile(r"\b(PLZ|Postleitzahl)", re.I), ("postcode",), _l("PLZ")),
    (re.compile(r"\b(Adresse|Straße|Hausnummer)", re.I), ("street",), _l("Adresse")),
    (re.compile(r"\bTräger", re.I), ("provider_name",), _l("Träger")),
    (re.compile(r"\bÖffnungszeit", re.I), ("opening_hours",), _l("Öffnungszeiten")),
    (re.compile(r"\bE-?Mail", re.I), ("contact_email",), _l("E-Mail")),
    (re.compile(r"\b(Website|Internetseite|Webseite)", re.I), ("website",), _l("Website")),
    (
        re.compile(r"\b(Einzugsgebiet|Versorgungsgebiet)", re.I),
        ("service_area",),
        _l("Einzugsgebiet"),
    ),
)
_PARTS = re.compile(r"(?<=;)\s+|(?<=[.?!])\s+(?=[A-ZÄÖÜ„\"])")
_ONLY_CHECK = re.compile(r"^(bitte prüfen|bitte überprüfen)[.!]?$", re.I)


@dataclass(frozen=True)
class NotePart:
    text: str
    fields: frozenset[str]
    changed: tuple[object, ...] = ()  # labels of its fields changed since the note

    @property
    def outdated(self) -> bool:
        return bool(self.fields) and len(self.changed) == len(self.labels)

    @property
    def labels(self) -> tuple[object, ...]:
        return tuple(label for _w, names, label in FIELD_WORDS if set(names) & self.fields)


@dataclass
class DataNote:
    parts: list[NotePart] = field(default_factory=list)
    since: datetime | None = None  # when the note was written (last changed)

    @property
    def shown(self) -> list[NotePart]:
        """The parts the public page shows (a clause that lost what followed its
        semicolon ends with a full stop)."""
        kept = []
        for i, part in enumerate(self.parts):
            if part.outdated:
                continue
            following = self.parts[i + 1] if i + 1 < len(self.parts) else None
            if part.text.endswith(";") and (following is None or following.outdated):
                part = replace(part, text=part.text[:-1] + ".")
            kept.append(part)
        return kept

    @property
    def hidden(self) -> list[NotePart]:
        """The parts left out because a later edit made them wrong."""
        return [p for p in self.parts if p.outdated]


def fields_named(text: str) -> frozenset[str]:
    return frozenset(name for word, names, _l in FIELD_WORDS if word.search(text) for name in names)


def split_note(text: str) -> list[tuple[str, frozenset[str]]]:
    """The note's parts, each with the fields it is about."""
    parts: list[tuple[str, frozenset[str]]] = []
    for piece in _PARTS.split(text.strip()):
        piece = piece.strip()
        if not piece:
            continue
        if _ONLY_CHECK.match(piece) and parts:
            before, fields = parts[-1]
            parts[-1] = (f"{before} {piece}", fields)
            continue
        parts.append((piece, fields_named(piece)))
    return parts


def read_note(text: str, since: datetime | None, changed_at: dict[str, datetime]) -> DataNote:
    """The note with each part marked by the fields changed after ``since``."""
    note = DataNote(since=since)
    for piece, fields in split_note(text):
        later = {
            f for f in fields if since is not None and f in changed_at and changed_at[f] > since
        }
        labels = tuple(label for _w, names, label in FIELD_WORDS if set(names) & later)
        note.parts.append(NotePart(piece, fields, labels))
    return note


def last_changes(changes: Iterable[OfferChange]) -> dict[str, datetime]:
    """Per field, when it last changed (the change log in version order)."""
    last: dict[str, datetime] = {}
    for change in changes:
        for name in change.after:
            if change.before.get(name) != change.after[name] or change.action == "create":
                last[name] = change.changed_at
    return last


def data_note(session: Session, offer: Offer) -> DataNote | None:
    """The offer's note as far as it is still true (None: it has none)."""
    if not offer.notes or not offer.notes.strip():
        return None
    changes = session.exec(
        select(OfferChange).where(OfferChange.offer_id == offer.id).order_by(OfferChange.version)
    ).all()
    last = last_changes(changes)
    since = last.get("notes") or (changes[0].changed_at if changes else None)
    return read_note(offer.notes, since, last)

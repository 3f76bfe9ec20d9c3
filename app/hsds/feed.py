"""Reading an HSDS feed: newline-delimited JSON (one service per line, as
``/services?format=ndjson`` writes it), a JSON list of services, or a page of the
read API (``{"contents": [...]}``), each record with the line it starts on; then each
record checked against the HSDS 3.0 service schema, every error with its line, its
JSON path and a message in the request's language."""

import json
import re
from dataclasses import dataclass
from typing import Any

from app.hsds.schemas import SERVICE, validator
from app.i18n import gettext as _


@dataclass(frozen=True)
class FeedError:
    line: int
    path: str  # JSON path within the record, "$" for the record itself
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.path}: {self.message}"


@dataclass(frozen=True)
class Record:
    line: int
    data: dict[str, Any]


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _not_json(line: int, exc: json.JSONDecodeError) -> FeedError:
    return FeedError(
        line,
        "$",
        _("kein gültiges JSON (%(detail)s, Spalte %(col)s)", detail=exc.msg, col=exc.colno),
    )


def _json_list(
    text: str, start: int, *, last: bool = True
) -> tuple[list[tuple[int, Any]], list[FeedError]]:
    """The elements of the JSON list at ``start`` with the line each starts on."""
    decoder = json.JSONDecoder()
    items: list[tuple[int, Any]] = []
    pos = start + 1
    ws = re.compile(r"\s*")
    pos = ws.match(text, pos).end()  # type: ignore[union-attr]
    if text.startswith("]", pos):
        return items, []
    while True:
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            return items, [_not_json(exc.lineno, exc)]
        items.append((_line_of(text, pos), value))
        pos = ws.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
            continue
        if text.startswith("]", pos) and (not last or not text[pos + 1 :].strip()):
            return items, []
        return items, [FeedError(_line_of(text, pos), "$", _("hier wird „,“ oder „]“ erwartet"))]


def _ndjson(text: str) -> tuple[list[tuple[int, Any]], list[FeedError]]:
    items: list[tuple[int, Any]] = []
    errors: list[FeedError] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append((n, json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append(_not_json(n, exc))
    return items, errors


def _items(text: str, start: int) -> tuple[list[tuple[int, Any]], list[FeedError]]:
    if text.startswith("[", start):
        return _json_list(text, start)
    if text.startswith("{", start):
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
            return _ndjson(text)
        if isinstance(whole, dict) and isinstance(whole.get("contents"), list):
            # a page of the read API: its contents, each with the line it starts on
            inner = text.find("[", text.find('"contents"'))
            return _json_list(text, inner, last=False)
        return [(_line_of(text, start), whole)], []
    return _ndjson(text)


def read_feed(text: str) -> tuple[list[Record], list[FeedError]]:
    """The records of a feed (each a JSON object), or the errors that make it unreadable."""
    text = text.removeprefix("\ufeff")
    stripped = text.lstrip()
    if not stripped:
        return [], [FeedError(1, "$", _("die Datei ist leer"))]
    items, errors = _items(text, len(text) - len(stripped))
    if errors:
        return [], errors
    records = []
    for line, value in items:
        if not isinstance(value, dict):
            errors.append(FeedError(line, "$", _("ist kein JSON-Objekt (ein Service je Zeile)")))
            continue
        records.append(Record(line, value))
    return records, errors


def _path(error: Any) -> str:
    return error.json_path


def _message(error: Any) -> tuple[str, str]:
    """(path, message) of a ``jsonschema.ValidationError`` in the request's language."""
    path = _path(error)
    kind = error.validator
    if kind == "required":
        found = re.match(r"^'(.+)' is a required property$", error.message)
        name = found.group(1) if found else str(error.validator_value)
        return f"{path}.{name}", _("Pflichtfeld fehlt")
    if kind == "type":
        return path, _("hat den falschen Typ (erwartet: %(type)s)", type=error.validator_value)
    if kind == "format":
        return path, _(
            "„%(value)s“ ist kein gültiger Wert im Format %(format)s",
            value=str(error.instance)[:80],
            format=error.validator_value,
        )
    if kind == "enum":
        return path, _(
            "„%(value)s“ ist keiner der erlaubten Werte (%(values)s)",
            value=str(error.instance)[:80],
            values=", ".join(map(str, error.validator_value)),
        )
    return path, _("ist ungültig (%(detail)s)", detail=error.message[:200])


def schema_errors(record: Record) -> list[FeedError]:
    """Every error of the record against the HSDS 3.0 service schema."""
    out = []
    for error in validator().errors(SERVICE, record.data):
        path, message = _message(error)
        out.append(FeedError(record.line, path, message))
    return out

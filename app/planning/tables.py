"""Reading the tables staff load (population, indicators, grid cells): CSV with a
header, ``;`` or ``,``, UTF-8 (with or without BOM). Each record keeps the physical
line where it starts, so an error reads ``file:line: field: message``."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

from app.errors import RowError, csv_problem
from app.i18n import gettext as _

TableInput = str | Path | bytes | IO[bytes] | IO[str]


@dataclass
class Table:
    name: str
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, values)
    errors: list[RowError] = field(default_factory=list)


def _text(source: TableInput) -> str:
    if isinstance(source, (str, Path)):
        data: bytes | str = Path(source).read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    return data.decode("utf-8-sig")


def read_table(
    source: TableInput, name: str, required: Sequence[str], optional: Sequence[str] = ()
) -> Table:
    """The records of a CSV table, or errors naming the file, line and field."""
    table = Table(name)
    try:
        text = _text(source)
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        message = _(
            "nicht in UTF-8 gespeichert (Byte %(byte)s); die Datei wird nicht gelesen",
            byte=f"{exc.object[exc.start]:#x}",
        )
        table.errors.append(RowError(name, line, "file", message))
        return table
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.errors.append(
                RowError(
                    name,
                    start,
                    "file",
                    _("ab hier kein lesbares CSV: %(why)s", why=csv_problem(exc)),
                )
            )
            return table
        line, start = start, reader.line_num + 1
        if not values or all(not v.strip() for v in values):
            continue
        if not table.header:
            table.header = [v.strip().lower() for v in values]
            missing = [c for c in required if c not in table.header]
            if missing:
                table.errors.append(
                    RowError(
                        name,
                        line,
                        "header",
                        _("es fehlen die Spalten %(columns)s", columns=", ".join(missing)),
                    )
                )
                return table
            continue
        if len(values) != len(table.header):
            table.errors.append(
                RowError(
                    name,
                    line,
                    "row",
                    _(
                        "%(n)s Felder, die Kopfzeile hat %(header)s",
                        n=len(values),
                        header=len(table.header),
                    ),
                )
            )
            continue
        row = {
            k: v.strip()
            for k, v in zip(table.header, values, strict=True)
            if k in required or k in optional
        }
        table.rows.append((line, row))
    if not table.header:
        table.errors.append(RowError(name, 1, "file", _("leer: keine Kopfzeile und keine Zeilen")))
    elif not table.rows and not table.errors:
        table.errors.append(RowError(name, 2, "file", _("keine Zeilen unter der Kopfzeile")))
    return table


def parse_int(text: str, *, low: int, high: int) -> int:
    """A whole number, with German thousands separators allowed ("103.514")."""
    cleaned = text.replace("\u202f", "").replace(" ", "")
    parts = cleaned.split(".")
    if len(parts) > 1 and all(len(p) == 3 and p.isdigit() for p in parts[1:]):
        cleaned = "".join(parts)
    if not cleaned.lstrip("-").isdigit():
        raise ValueError(_("„%(text)s“ ist keine ganze Zahl", text=text))
    value = int(cleaned)
    if not low <= value <= high:
        raise ValueError(
            _(
                "%(value)s liegt nicht zwischen %(low)s und %(high)s",
                value=value,
                low=low,
                high=high,
            )
        )
    return value


def parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError(_("„%(text)s“ ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ)", text=text))

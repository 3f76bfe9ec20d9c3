"""Tables as files: the one CSV convention of every CSV twin, and the one rule every
table export (CSV here, XLSX in its own writer) applies to its cells.

The CSV convention (German spreadsheet programs open it correctly by double-click):

- UTF-8 with a byte order mark, ``;`` between cells, CRLF line ends, a header row;
- numbers with a decimal comma and no thousands separator (``10,48``, ``103514``);
  whole numbers without decimals (``3``, never ``3.0``);
- yes/no as ``ja``/``nein``, lists joined by `` | ``, an empty cell for no value;
- dates as ISO 8601 (``2024-03-12``), which every spreadsheet program reads as a date.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula, and a leading tab or carriage return can hide such a start (OWASP "CSV
injection"). Every text cell is therefore passed through ``neutralise_cell``; numbers
stay numbers (a negative number is not a formula).
"""

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """``value`` as a spreadsheet cell that cannot run as a formula: a text beginning with
    ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, which
    spreadsheet programs show as text. Numbers, booleans, dates and None pass unchanged.

    The XLSX writer calls this too, and also writes such cells as text (never as a
    formula cell)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def number_text(value: float | int) -> str:
    """A number as the CSV convention writes it: ``10,48``, ``3`` (also for ``3.0``),
    ``-2,5``; no thousands separator, no exponent."""
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return ""
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        text = f"{value:.12f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def csv_cell(value: Any) -> str:
    """One cell of the CSV convention (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, list | tuple):
        value = " | ".join(str(v) for v in value)
    return neutralise_cell(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV in the one convention (see the module's docstring), every text cell
    neutralised (``neutralise_cell``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return "\ufeff" + buf.getvalue()

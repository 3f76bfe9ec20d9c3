"""Tables as files: CSV as spreadsheet programs read it (UTF-8 with BOM, ``;``), and the
one rule every table export (CSV here, XLSX in its own writer) applies to its cells.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula, and a leading tab or carriage return can hide such a start (OWASP "CSV
injection"). Every text cell is therefore passed through ``neutralise_cell``; numbers
stay numbers (a negative number is not a formula).
"""

import csv
import io
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


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with a BOM (so spreadsheet programs read UTF-8), ``;`` and CRLF; every text
    cell neutralised (``neutralise_cell``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_cell(h) for h in header])
    writer.writerows([neutralise_cell(v) for v in row] for row in rows)
    return "\ufeff" + buf.getvalue()

"""Tables as an Excel workbook (openpyxl): one sheet per table, bold header, frozen
first row, columns wide enough to read.

Numbers are written as numbers with a number format (never as text): a column's
format comes from ``Sheet.formats`` (``INTEGER``, ``ONE_DECIMAL``, ``PERCENT`` ...),
a single cell may carry its own (``Number``). A share is written as a fraction
(0.487) with the percent format, so the spreadsheet shows "48,7 %" and computes with
the share. A link cell (``Link``) shows its label and opens its full URL."""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.formats.tabular import neutralise_cell

MAX_WIDTH = 60

INTEGER = "#,##0"
ONE_DECIMAL = "#,##0.0"
TWO_DECIMALS = "#,##0.00"
PERCENT = "0.0%"


@dataclass(frozen=True)
class Number:
    """A number with its own format (e.g. a published value with its decimals)."""

    value: float | int
    number_format: str


@dataclass(frozen=True)
class Link:
    """A cell showing ``label`` that opens ``url`` (only http(s) URLs become links)."""

    label: str
    url: str


@dataclass(frozen=True)
class Sheet:
    title: str  # at most 31 characters (Excel's limit)
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    formats: Sequence[str | None] = field(default=())  # per column, for numeric cells


def decimals_format(text: str) -> str:
    """The number format that shows as many decimals as ``text`` has ("8,1" -> one)."""
    digits = len(text.rsplit(",", 1)[1]) if "," in text else 0
    return INTEGER if digits == 0 else "#,##0." + "0" * min(digits, 6)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    # Imported here: only the XLSX export needs openpyxl, not every worker's start.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        ws.append([neutralise_cell(h) for h in sheet.header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        formats = list(sheet.formats)
        for row in sheet.rows:
            ws.append([_value(v) for v in row])
            for i, value in enumerate(row):
                cell = ws.cell(row=ws.max_row, column=i + 1)
                if isinstance(value, Number):
                    cell.number_format = value.number_format
                elif isinstance(value, Link) and value.url.startswith(("https://", "http://")):
                    cell.hyperlink = value.url
                    cell.style = "Hyperlink"
                elif (
                    isinstance(value, int | float)
                    and not isinstance(value, bool)
                    and i < len(formats)
                    and formats[i]
                ):
                    cell.number_format = formats[i]
        ws.freeze_panes = "A2"
        for i, name in enumerate(sheet.header, start=1):
            longest = max(
                [len(str(name)), *(len(_shown(r[i - 1])) for r in sheet.rows if i <= len(r))]
            )
            ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, longest + 2)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _shown(value: Any) -> str:
    if isinstance(value, Number):
        return f"{value.value:,.1f}"
    if isinstance(value, Link):
        return value.label
    return str(value if value is not None else "")


def _value(value: Any) -> Any:
    """A list as text; text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, Number):
        return value.value
    if isinstance(value, Link):
        return neutralise_cell(value.label)
    if isinstance(value, list | tuple):
        value = " | ".join(str(v) for v in value)
    return neutralise_cell(value)

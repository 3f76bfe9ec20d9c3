"""Tables as an Excel workbook (openpyxl): one sheet per table, bold header, frozen
first row, columns wide enough to read."""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.formats.tabular import neutralise_cell

MAX_WIDTH = 60


@dataclass(frozen=True)
class Sheet:
    title: str  # at most 31 characters (Excel's limit)
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


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
        for row in sheet.rows:
            ws.append([_cell(v) for v in row])
        ws.freeze_panes = "A2"
        for i, name in enumerate(sheet.header, start=1):
            longest = max([len(str(name)), *(len(str(r[i - 1] or "")) for r in sheet.rows)])
            ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, longest + 2)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    """A list as text; text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, (list, tuple)):
        value = " | ".join(str(v) for v in value)
    return neutralise_cell(value)

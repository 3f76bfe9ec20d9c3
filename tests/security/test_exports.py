"""Every table export (CSV, and XLSX where a route writes one) neutralises cells that a
spreadsheet program would run as a formula (OWASP CSV injection). The exports are found
in the route table by what they answer, so exports added later are checked too."""

import csv
import io

import pytest

from app.formats.tabular import FORMULA_STARTS
from tests.factories import add_districts
from tests.security.hostile import FORMULAS, formula_offer_fields, make_hostile_offer
from tests.security.routes import get_routes

CSV_TYPES = ("text/csv",)
XLSX_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)


def csv_cells(body: str) -> list[str]:
    rows = csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";")
    return [cell for row in rows for cell in row]


def xlsx_cells(content: bytes) -> list[tuple[object, str]]:
    """(value, openpyxl data type) of every cell; a formula cell has type "f"."""
    openpyxl = pytest.importorskip("openpyxl", reason="an XLSX export needs openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        (cell.value, cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


@pytest.fixture
def formula_offer(session, data_dir) -> dict[str, object]:  # noqa: ANN001
    add_districts(session, data_dir)
    offer = make_hostile_offer(session, formula_offer_fields())
    return {"offer_id": offer.id, "id": offer.id, "slug": offer.district_slug or "mitte"}


def test_every_export_neutralises_formula_cells(client, formula_offer, auth_headers):
    exports: list[str] = []
    found_offer = False
    for route in get_routes(client.app):
        url = route.url(formula_offer)
        response = client.get(url, headers=auth_headers)
        kind = response.headers.get("content-type", "").split(";")[0]
        if response.status_code != 200 or kind not in CSV_TYPES + XLSX_TYPES:
            continue
        exports.append(url)
        if kind in CSV_TYPES:
            cells = [(c, "s") for c in csv_cells(response.text)]
        else:
            cells = xlsx_cells(response.content)
        for value, data_type in cells:
            assert data_type != "f", f"{url}: a formula cell {value!r}"
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                assert is_number(value), f"{url}: cell {value!r} would run as a formula"
        texts = {v for v, _ in cells if isinstance(v, str)}
        if "'" + FORMULAS[0] in texts:
            found_offer = True
            assert {"'+1+1", "'-2+3", "'@SUM(1,1)"} <= texts, url
    assert "/angebote.csv" in exports and "/bezirke.csv" in exports, exports
    assert found_offer, f"no export listed the offer: {exports}"

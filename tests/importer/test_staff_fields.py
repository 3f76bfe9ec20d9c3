"""A later import never touches what only staff enter (no source has it), even when the
source changed after the staff's edit."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from app.importer.rules import DAYCARE
from tests.importer.test_importer import (  # noqa: F401  (data is a fixture)
    _staff_edits,
    data,
    kitas,
    poi_offer,
    run,
    write_poi_file,
)


def test_fields_no_source_has_survive_a_newer_source_change(engine: Engine, data: Path) -> None:  # noqa: F811
    write_poi_file(data, DAYCARE, kitas(1))
    run(engine, data)
    _staff_edits(
        engine,
        1001,
        datetime(2023, 1, 10, tzinfo=UTC),
        contact_email="kita@example.org",
        capacity=45,
        lift=True,
        opening_hours=[{"weekday": 0, "opens": "07:00", "closes": "16:00"}],
    )
    rows = kitas(1)
    rows[0].update(name="Kita Eins laut Stadt", geaendert="2023-06-01")  # after the edit
    write_poi_file(data, DAYCARE, rows)

    report = run(engine, data)

    assert report.summary() == "0 neu, 1 geändert, 0 unverändert, 0 abgelehnt, 0 Konflikte"
    offer = poi_offer(engine, 1001)
    assert offer.name == "Kita Eins laut Stadt"  # the source's field follows the source
    assert (offer.contact_email, offer.capacity, offer.lift) == ("kita@example.org", 45, True)

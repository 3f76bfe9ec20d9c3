"""The importer on small files written for each test, on SQLite and PostgreSQL."""

import csv
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app import i18n
from app.catalogue.write import update_offer
from app.config import PROJECT_ROOT, get_settings
from app.importer.csvreader import read_source
from app.importer.rows import CURATED_COLUMNS, POI_COLUMNS
from app.importer.rules import CURATED, DAYCARE, OGS, PLAYGROUNDS, POI_SOURCE_URLS, SCHOOLS
from app.importer.run import ImportReport, run_import
from app.importer.source_text import parse_age_range
from app.models import District, Offer, OfferChange
from app.text import address_key
from tests.factories import STAFF

# Real points (EPSG:25832) in known Stadtbezirke.
MITTE = (375548, 5705963)
WATTENSCHEID = (371001, 5704963)
OST = (383872, 5702663)
KOELN = (356000, 5645000)  # in NRW, outside Bochum

# The command line (its arguments, exit codes and words) is the same on every database,
# and each run starts an interpreter (4-10 s): its tests run on SQLite; what the command
# does to a database is tested in-process on both backends.
ONE_DATABASE = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)


# --- factories ---------------------------------------------------------------------


def poi(
    poi_id: int | str,
    name: str,
    *,
    at: tuple[float, float] = MITTE,
    path: str = "Soziales/Kindertagesstätten/Ev. Kindertagesstätten",
    primary: bool = True,
    **fields: str,
) -> dict[str, str]:
    """One row of a city POI file, in the city's columns."""
    row = {
        "poi_id": str(poi_id),
        "name": name,
        "str_hausnr": "Teststr. 1",
        "plz_ort": "44791 Bochum",
        "kategorie": path.rsplit("/", 1)[-1],
        "hauptkateg": path.split("/", 1)[0],
        "beschreib": "",
        "link": "",
        "bedeut_id": "3",
        "bedeutung": "Örtlich",
        "erstkateg": "1" if primary else "0",
        "angelegt": "2009-06-23",
        "geaendert": "2022-05-11",
        "kateg_id": "1",
        "kateg_pfad": path,
        "rechts_utm": str(at[0]),
        "hoch_utm": str(at[1]),
        "abrufdatum": "2023-10-17",
    }
    row.update(fields)
    return row


def kitas(n: int) -> list[dict[str, str]]:
    return [poi(1000 + i, f"Kita Nummer {i}") for i in range(1, n + 1)]


def curated(key: str, kategorie: str, name: str, **fields: str) -> dict[str, str]:
    row = dict.fromkeys(CURATED_COLUMNS, "")
    row.update(
        key=key,
        kategorie=kategorie,
        name=name,
        ort="Bochum",
        quellen=f"https://example.org/{key}",
        quelle_datum="o. D.",
    )
    row.update(fields)
    return row


def write_poi_file(data_dir: Path, rel: str, rows: list[dict[str, str]]) -> Path:
    path = data_dir / rel
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(POI_COLUMNS)
        writer.writerows([[row[c] for c in POI_COLUMNS] for row in rows])
    return path


def write_curated_file(data_dir: Path, rows: list[dict[str, str]]) -> Path:
    path = data_dir / CURATED
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CURATED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data directory with the real boundaries and population, and empty sources."""
    real = get_settings().data_dir
    root = tmp_path / "data"
    (root / "bochum-opendata").mkdir(parents=True)
    (root / "offers").mkdir()
    for folder in ("boundaries", "population"):
        (root / folder).symlink_to(real / folder)
    for rel in (DAYCARE, SCHOOLS, OGS, PLAYGROUNDS):
        write_poi_file(root, rel, [])
    write_curated_file(root, [])
    return root


def run(engine: Engine, data_dir: Path, **kwargs) -> ImportReport:
    return run_import(
        engine, data_dir, geojson_target=data_dir.parent / "districts.geojson", **kwargs
    )


def offers(engine: Engine) -> dict[tuple[str, str], Offer]:
    with Session(engine) as session:
        found = session.exec(select(Offer)).all()
        for offer in found:
            _ = offer.location, offer.provider, offer.categories
        return {(o.source, o.source_id): o for o in found}


def poi_offer(engine: Engine, poi_id: int | str) -> Offer:
    return offers(engine)[("stadt-bochum-poi", str(poi_id))]


# --- importing good files --------------------------------------------------------


def test_good_kita_file_imports_one_offer_per_poi_with_district_from_point(
    engine: Engine, data: Path
) -> None:
    write_poi_file(
        data,
        DAYCARE,
        [
            poi(8001, "Ev. Kita Sonnenschein", at=MITTE, link="www.sonnenschein.de"),
            poi(8002, "AWO Kita / Familienzentrum Zillertalstraße", at=WATTENSCHEID, geaendert=""),
            poi(
                8003,
                "Betriebs-Kita Outlaw",
                path="Soziales/Kindertagesstätten/Betriebskindertagesstätten",
                at=OST,
            ),
            poi(
                8003,
                "Betriebs-Kita Outlaw",
                primary=False,
                path="Soziales/Kindertagesstätten/Kindertagesstätten freie Wohlfahrtsverbände",
                at=OST,
            ),
        ],
    )

    report = run(engine, data)

    assert report.summary() == "3 neu, 0 geändert, 0 unverändert, 0 abgelehnt, 0 Konflikte"
    assert report.errors == [] and report.warnings == []
    assert report.per_category == {"kita": 3, "familienzentrum": 1}
    found = offers(engine)
    assert len(found) == 3
    kita = found[("stadt-bochum-poi", "8001")]
    assert kita.category_slugs == ["kita"]
    assert (kita.district_slug, kita.district_from) == ("mitte", "point")
    assert (kita.location.x, kita.location.y) == MITTE
    assert kita.location.plz_area == "44791"
    assert kita.location.placed_by == "Stadt Bochum, Open Data (POI 8001)"
    assert 51.4 < kita.location.lat < 51.6 and 7.1 < kita.location.lon < 7.4
    assert kita.website == "www.sonnenschein.de"
    assert kita.provider is None
    assert (kita.age_min, kita.age_max, kita.age_is_typical) == (0, 6, True)
    assert kita.source_urls == [POI_SOURCE_URLS[DAYCARE]]
    assert kita.source_label == "Stadt Bochum, Open Data (CC0), POI 8001"
    assert kita.source_date == "geändert 2022-05-11, abgerufen 2023-10-17"
    assert kita.source_changed == date(2022, 5, 11)
    assert kita.last_verified is None  # a source date is not a check by a person
    assert kita.source_hash and len(kita.source_hash) == 64
    assert "Sonnenschein" in kita.search_text

    familienzentrum = found[("stadt-bochum-poi", "8002")]
    assert familienzentrum.category == "kita"
    assert familienzentrum.category_slugs == ["kita", "familienzentrum"]
    assert familienzentrum.district_slug == "wattenscheid"
    assert familienzentrum.source_changed == date(2009, 6, 23)  # no geaendert: angelegt
    assert familienzentrum.source_date == "angelegt 2009-06-23, abgerufen 2023-10-17"
    assert found[("stadt-bochum-poi", "8003")].district_slug == "ost"


def test_only_family_education_rows_of_the_schools_file_are_imported(
    engine: Engine, data: Path
) -> None:
    weiterbildung = "Bildung/Weiterbildungseinrichtungen"
    write_poi_file(
        data,
        SCHOOLS,
        [
            poi(8039, "Familienbildungsstätte der Stadt Bochum", path=weiterbildung),
            poi(175572, "DRK-Familienbildungswerk", path=weiterbildung, primary=False),
            poi(305, "Volkshochschule (VHS) Bochum", path=weiterbildung),
            poi(
                151,
                "Amtmann-Kreyenfeld-Schule",
                path="Bildung/Allgemeinbildende Schulen/Grundschulen",
            ),
        ],
    )
    write_poi_file(
        data,
        OGS,
        [
            poi(
                151,
                "Amtmann-Kreyenfeld-Schule",
                path="Bildung/Allgemeinbildende Schulen/Grundschulen",
                beschreib="städtische Gemeinschaftsgrundschule, offene Ganztagsschule",
            ),
        ],
    )
    write_poi_file(
        data,
        PLAYGROUNDS,
        [
            poi(
                9001,
                "Spielplatz Am Park",
                path="Freizeit Kultur Tourismus/Spielplätze/Spielplätze allgemein",
            ),
        ],
    )

    report = run(engine, data)

    assert report.per_category == {"familienbildung": 2, "ogs": 1, "spielplatz": 1}
    found = offers(engine)
    assert set(found) == {("stadt-bochum-poi", i) for i in ("8039", "175572", "151", "9001")}
    ogs = found[("stadt-bochum-poi", "151")]
    assert (ogs.category, ogs.age_min, ogs.age_max, ogs.age_is_typical) == ("ogs", 6, 10, True)
    assert ogs.source_urls == [POI_SOURCE_URLS[SCHOOLS]]
    assert found[("stadt-bochum-poi", "9001")].age_min is None


def test_district_table_is_filled_and_geojson_written(engine: Engine, data: Path) -> None:
    run(engine, data)

    with Session(engine) as session:
        districts = {d.slug: d for d in session.exec(select(District)).all()}
    assert set(districts) == {"mitte", "wattenscheid", "nord", "ost", "sued", "suedwest"}
    assert districts["mitte"].population == 103514
    assert districts["sued"].name == "Süd" and districts["sued"].area_km2 > 20
    geojson = json.loads((data.parent / "districts.geojson").read_text(encoding="utf-8"))
    assert len(geojson["features"]) == 6


# --- bad rows ----------------------------------------------------------------------


def _with_bad_row_17(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[15]["rechts_utm"] = "abc"  # the 16th data row is on line 17
    return rows


def test_bad_row_on_line_17_is_reported_and_nothing_imported(engine: Engine, data: Path) -> None:
    write_poi_file(data, DAYCARE, kitas(20))
    run(engine, data)
    before = {k: (o.name, o.version, o.source_hash) for k, o in offers(engine).items()}
    rows = _with_bad_row_17(kitas(21))
    rows[0]["name"] = "Kita Nummer 1, neuer Name"
    write_poi_file(data, DAYCARE, rows)

    report = run(engine, data)

    assert [str(e) for e in report.errors] == [f"{DAYCARE}:17: rechts_utm: „abc“ ist keine Zahl"]
    assert report.rejected == 1
    assert report.rejected_files == [DAYCARE]
    assert report.summary() == "0 neu, 0 geändert, 0 unverändert, 1 abgelehnt, 0 Konflikte"
    after = {k: (o.name, o.version, o.source_hash) for k, o in offers(engine).items()}
    assert after == before


def test_file_with_bad_row_imports_nothing_on_first_run(engine: Engine, data: Path) -> None:
    write_poi_file(data, DAYCARE, _with_bad_row_17(kitas(20)))
    write_curated_file(data, [curated("kinderbuero", "kinderbuero", "Kinderbüro Bochum")])

    report = run(engine, data)

    assert [f"{e.file}:{e.line}" for e in report.errors] == [f"{DAYCARE}:17"]
    assert list(offers(engine)) == [("kuratiert", "kinderbuero")]  # other files still import


def test_skip_invalid_imports_the_good_rows_and_lists_line_17(engine: Engine, data: Path) -> None:
    write_poi_file(data, DAYCARE, _with_bad_row_17(kitas(20)))

    report = run(engine, data, skip_invalid=True)

    assert [str(e) for e in report.errors] == [f"{DAYCARE}:17: rechts_utm: „abc“ ist keine Zahl"]
    assert report.summary() == "19 neu, 0 geändert, 0 unverändert, 1 abgelehnt, 0 Konflikte"
    assert ("stadt-bochum-poi", "1016") not in offers(engine)


def test_quoted_newline_keeps_later_line_numbers_right(engine: Engine, data: Path) -> None:
    rows = kitas(5)
    rows[1]["beschreib"] = "erste Zeile\nzweite Zeile\ndritte Zeile"  # line 3, ends on 5
    rows[3]["hoch_utm"] = "5705xyz"  # the 4th data row starts on line 7
    write_poi_file(data, DAYCARE, rows)

    report = run(engine, data, skip_invalid=True)

    assert [str(e) for e in report.errors] == [f"{DAYCARE}:7: hoch_utm: „5705xyz“ ist keine Zahl"]
    assert poi_offer(engine, 1002).description == "erste Zeile\nzweite Zeile\ndritte Zeile"


def test_crlf_file_with_newline_in_field_counts_physical_lines(data: Path) -> None:
    rows = kitas(3)
    rows[0]["beschreib"] = "a\r\nb"
    rows[2]["poi_id"] = "x3"
    path = write_poi_file(data, PLAYGROUNDS, rows)
    path.write_bytes(path.read_bytes().replace(b'"\n', b'"\r\n'))

    source = read_source(data, PLAYGROUNDS)

    assert [str(e) for e in source.errors] == [f"{PLAYGROUNDS}:5: poi_id: „x3“ ist keine Nummer"]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (curated("a", "zoo", "Zoo"), "kategorie: unbekannte Kategorie „zoo“"),
        (curated("a", "beratung", ""), "name: mindestens 2 Zeichen"),
        (
            curated("a", "beratung", "Beratung", plz="4478"),
            "plz: „4478“: fünf Ziffern, z. B. 44787",
        ),
        (curated("a", "beratung", "Beratung", poi_id="12a"), "poi_id: „12a“ ist keine Nummer"),
        (
            curated("a", "beratung", "Beratung", stadtbezirk="Hamme"),
            "stadtbezirk: „Hamme“ ist keiner von",
        ),
        (
            curated("a", "beratung", "Beratung", quellen="www.x.de"),
            "quellen: „www.x.de“: keine Internetadresse",
        ),
        (
            curated("A B", "beratung", "Beratung", quellen="https://example.org/ab"),
            "key: „A B“ ist kein Kürzel",
        ),
    ],
)
def test_bad_curated_row_is_reported_with_line_and_field(
    data: Path, row: dict[str, str], expected: str
) -> None:
    write_curated_file(data, [curated("ok", "beratung", "Gute Beratung"), row])

    source = read_source(data, CURATED)

    assert len(source.errors) == 1
    assert str(source.errors[0]).startswith(f"{CURATED}:3: {expected}")
    assert [r.key for r in source.rows] == ["ok"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"hoch_utm": "5705"}, "hoch_utm: 5705 ist kein EPSG:25832-Hochwert in NRW"),
        ({"rechts_utm": "7.21"}, "rechts_utm: 7.21 ist kein EPSG:25832-Rechtswert in NRW"),
        ({"plz_ort": "4479 Bochum"}, "plz_ort: „4479 Bochum“ ist nicht „PLZ Ort“"),
        ({"geaendert": "11.05.2022"}, "geaendert: „11.05.2022“ ist kein Datum JJJJ-MM-TT"),
        ({"name": ""}, "name: mindestens 2 Zeichen"),
        ({"erstkateg": "ja"}, "erstkateg: „ja“ ist nicht 0 oder 1"),
    ],
)
def test_bad_poi_row_is_reported_with_line_and_field(
    data: Path, fields: dict[str, str], expected: str
) -> None:
    write_poi_file(data, DAYCARE, [poi(1, "Gute Kita"), {**poi(2, "Kita"), **fields}])

    source = read_source(data, DAYCARE)

    assert [str(e) for e in source.errors][0].startswith(f"{DAYCARE}:3: {expected}")


def test_record_with_too_few_fields_is_reported(data: Path) -> None:
    path = write_poi_file(data, DAYCARE, kitas(2))
    with path.open("a", encoding="utf-8") as fh:
        fh.write('"1003";"Kita ohne Rest"\n')

    source = read_source(data, DAYCARE)

    assert [str(e) for e in source.errors] == [
        f"{DAYCARE}:4: record: 2 Felder, die Kopfzeile hat 18"
    ]


def test_file_that_is_not_utf8_is_rejected_whole(engine: Engine, data: Path) -> None:
    path = write_poi_file(data, DAYCARE, [*kitas(2), poi(1003, "Kita Am Bach")])
    path.write_bytes(path.read_bytes().replace(b"Am Bach", "Über".encode("latin-1")))

    report = run(engine, data, skip_invalid=True)

    assert [f"{e.file}:{e.line}: {e.field}" for e in report.errors] == [f"{DAYCARE}:4: file"]
    assert report.rejected_files == [DAYCARE] and offers(engine) == {}


def test_duplicate_curated_key_is_reported(data: Path) -> None:
    write_curated_file(data, [curated("a", "beratung", "Eins"), curated("a", "beratung", "Zwei")])

    source = read_source(data, CURATED)

    assert [str(e) for e in source.errors] == [f"{CURATED}:3: key: „a“ steht schon in Zeile 2"]


def test_missing_file_is_rejected(engine: Engine, data: Path) -> None:
    (data / PLAYGROUNDS).unlink()

    report = run(engine, data, files=[PLAYGROUNDS])

    assert [f"{e.file}:{e.line}: {e.field}" for e in report.errors] == [f"{PLAYGROUNDS}:0: file"]
    assert report.rejected == 1


def test_point_outside_bochum_is_reported_with_its_line(engine: Engine, data: Path) -> None:
    rows = kitas(3)
    rows[2]["rechts_utm"], rows[2]["hoch_utm"] = map(str, KOELN)
    write_poi_file(data, DAYCARE, rows)

    report = run(engine, data)

    assert report.errors == []
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith(
        f"{DAYCARE}:4: rechts_utm/hoch_utm: der Punkt (356000, 5645000) liegt in keinem "
        "Stadtbezirk von Bochum"
    )
    outside = poi_offer(engine, 1003)  # still imported, without district
    assert outside.district_slug is None and outside.location.x == KOELN[0]


# --- idempotence and staff edits ---------------------------------------------------


def test_second_run_reports_nothing_inserted_or_updated(engine: Engine, data: Path) -> None:
    write_poi_file(data, DAYCARE, kitas(4))
    write_curated_file(
        data,
        [
            curated(
                "begruessungsteam",
                "begruessungsteam",
                "Begrüßungsteam",
                versorgungsgebiet="Stadt Bochum",
                traeger="Stadt Bochum, Jugendamt",
            ),
            curated("fz", "familienzentrum", "Familienzentrum", poi_id="1002"),
        ],
    )
    first = run(engine, data)

    second = run(engine, data)

    assert first.summary() == "5 neu, 0 geändert, 0 unverändert, 0 abgelehnt, 0 Konflikte"
    assert second.summary() == "0 neu, 0 geändert, 5 unverändert, 0 abgelehnt, 0 Konflikte"


def test_changed_source_row_updates_offer_and_bumps_version(engine: Engine, data: Path) -> None:
    write_poi_file(data, DAYCARE, kitas(2))
    run(engine, data)
    rows = kitas(2)
    rows[0].update(
        name="Kita am Neuen Markt", geaendert="2023-09-01", rechts_utm="383872", hoch_utm="5702663"
    )
    write_poi_file(data, DAYCARE, rows)

    report = run(engine, data)

    assert report.summary() == "0 neu, 1 geändert, 1 unverändert, 0 abgelehnt, 0 Konflikte"
    offer = poi_offer(engine, 1001)
    assert (offer.name, offer.version, offer.district_slug) == ("Kita am Neuen Markt", 2, "ost")
    assert offer.source_changed == date(2023, 9, 1) and offer.last_verified is None
    assert "Neuen Markt" in offer.search_text


def _staff_edits(engine: Engine, poi_id: int, when: datetime, **changes: object) -> int:
    """A staff edit through the write path, dated ``when`` in its change log."""
    with Session(engine) as session:
        offer = session.exec(select(Offer).where(Offer.source_id == str(poi_id))).one()
        update_offer(session, offer, changes, STAFF)
        change = session.exec(
            select(OfferChange)
            .where(OfferChange.offer_id == offer.id)
            .order_by(OfferChange.id.desc())
        ).first()
        change.changed_at = offer.edited_at = when
        session.commit()
        return offer.id


def _staff_renames(engine: Engine, poi_id: int, name: str, when: datetime) -> int:
    return _staff_edits(engine, poi_id, when, name=name)


def test_staff_edit_newer_than_source_change_is_kept_and_reported_as_conflict(
    engine: Engine, data: Path
) -> None:
    write_poi_file(data, DAYCARE, kitas(2))
    run(engine, data)
    offer_id = _staff_renames(engine, 1001, "Kita Nummer 1 (von Hand)", datetime.now(UTC))
    rows = kitas(2)
    rows[0].update(name="Kita Eins laut Stadt", geaendert="2023-06-01")
    write_poi_file(data, DAYCARE, rows)

    report = run(engine, data)

    assert report.summary() == "0 neu, 0 geändert, 1 unverändert, 0 abgelehnt, 1 Konflikte"
    assert report.conflicts[0].startswith(f"Angebot {offer_id} „Kita Nummer 1 (von Hand)“")
    assert "Name von der Redaktion geändert" in report.conflicts[0]
    assert "die Quelle am 01.06.2023" in report.conflicts[0]
    offer = poi_offer(engine, 1001)
    assert (offer.name, offer.version) == ("Kita Nummer 1 (von Hand)", 2)


def test_import_updates_the_fields_staff_did_not_touch_and_keeps_theirs(
    engine: Engine, data: Path
) -> None:
    write_poi_file(data, DAYCARE, kitas(2))
    run(engine, data)
    offer_id = _staff_edits(engine, 1001, datetime.now(UTC), contact_phone="0234 910 1234")
    rows = kitas(2)
    rows[0].update(name="Kita Eins laut Stadt", geaendert="2023-06-01")
    write_poi_file(data, DAYCARE, rows)

    report = run(engine, data)

    assert report.summary() == "0 neu, 1 geändert, 1 unverändert, 0 abgelehnt, 0 Konflikte"
    offer = poi_offer(engine, 1001)
    assert (offer.name, offer.contact_phone) == ("Kita Eins laut Stadt", "0234 910 1234")
    with Session(engine) as session:
        trail = session.exec(
            select(OfferChange)
            .where(OfferChange.offer_id == offer_id)
            .order_by(OfferChange.version)
        ).all()
    assert [(c.action, c.channel) for c in trail] == [
        ("create", "import"),
        ("update", "page"),
        ("update", "import"),
    ]
    assert (trail[-1].before, trail[-1].after) == (
        {"name": "Kita Nummer 1"},
        {"name": "Kita Eins laut Stadt"},
    )


def test_source_change_after_staff_edit_updates_offer(engine: Engine, data: Path) -> None:
    write_poi_file(data, DAYCARE, kitas(2))
    run(engine, data)
    _staff_renames(
        engine, 1001, "Kita Nummer 1 (von Hand)", datetime(2023, 1, 10, 9, 30, tzinfo=UTC)
    )
    rows = kitas(2)
    rows[0].update(name="Kita Eins laut Stadt", geaendert="2023-06-01")
    write_poi_file(data, DAYCARE, rows)

    report = run(engine, data)

    assert report.summary() == "0 neu, 1 geändert, 1 unverändert, 0 abgelehnt, 0 Konflikte"
    offer = poi_offer(engine, 1001)
    assert (offer.name, offer.version) == ("Kita Eins laut Stadt", 3)  # create, staff, import


def test_staff_edit_always_wins_over_an_undated_curated_source(engine: Engine, data: Path) -> None:
    write_curated_file(data, [curated("pro-familia", "beratung", "pro familia")])
    run(engine, data)
    with Session(engine) as session:
        offer = session.exec(select(Offer)).one()
        update_offer(session, offer, {"name": "pro familia Beratungsstelle"}, STAFF)
        session.commit()
    write_curated_file(data, [curated("pro-familia", "beratung", "pro familia Bochum")])

    report = run(engine, data)

    assert len(report.conflicts) == 1 and "kein Änderungsdatum" in report.conflicts[0]
    assert offers(engine)[("kuratiert", "pro-familia")].name == "pro familia Beratungsstelle"


def test_offers_the_source_no_longer_lists_are_kept_and_reported(
    engine: Engine, data: Path
) -> None:
    write_poi_file(data, DAYCARE, kitas(3))
    run(engine, data)
    write_poi_file(data, DAYCARE, kitas(2))

    report = run(engine, data)

    assert report.summary() == "0 neu, 0 geändert, 2 unverändert, 0 abgelehnt, 0 Konflikte"
    assert report.warnings == [
        "1 Angebot, das die Quellen nicht mehr nennen, blieb unverändert: stadt-bochum-poi 1003"
    ]
    assert ("stadt-bochum-poi", "1003") in offers(engine)


def test_warnings_and_conflicts_are_in_english_when_english_is_chosen(
    engine: Engine, data: Path
) -> None:
    rows = kitas(4)
    rows[2]["rechts_utm"], rows[2]["hoch_utm"] = map(str, KOELN)
    write_poi_file(data, DAYCARE, rows)
    run(engine, data)
    offer_id = _staff_renames(engine, 1001, "Kita Nummer 1 (von Hand)", datetime.now(UTC))
    rows[0].update(name="Kita Eins laut Stadt", geaendert="2023-06-01")
    write_poi_file(data, DAYCARE, rows[:3])

    i18n.set_locale("en")
    try:
        report = run(engine, data)
    finally:
        i18n.set_locale(i18n.DEFAULT)

    assert report.warnings == [
        f"{DAYCARE}:4: rechts_utm/hoch_utm: point (356000, 5645000) lies outside every "
        "Stadtbezirk of Bochum; imported without district",
        "1 offer no longer in the sources was left unchanged: stadt-bochum-poi 1004",
    ]
    assert len(report.conflicts) == 1
    assert report.conflicts[0].startswith(
        f"offer {offer_id} 'Kita Nummer 1 (von Hand)' (stadt-bochum-poi 1001): Name edited "
        "by staff on "
    )
    assert report.conflicts[0].endswith("the source changed 2023-06-01; the staff version was kept")


def test_named_files_limit_what_is_written_but_offers_stay_whole(
    engine: Engine, data: Path
) -> None:
    write_poi_file(data, DAYCARE, kitas(2))
    write_curated_file(
        data,
        [
            curated("fz", "familienzentrum", "Familienzentrum", poi_id="1001", telefon="0234 9"),
            curated("pro-familia", "beratung", "pro familia Bochum"),
        ],
    )

    report = run(engine, data, files=[DAYCARE])

    assert report.summary() == "2 neu, 0 geändert, 0 unverändert, 0 abgelehnt, 0 Konflikte"
    found = offers(engine)
    assert set(found) == {("stadt-bochum-poi", "1001"), ("stadt-bochum-poi", "1002")}
    assert found[("stadt-bochum-poi", "1001")].contact_phone == "0234 9"  # still enriched
    assert run(engine, data).summary() == (
        "1 neu, 0 geändert, 2 unverändert, 0 abgelehnt, 0 Konflikte"
    )


# --- the curated file ---------------------------------------------------------------


def test_curated_row_with_poi_id_enriches_the_poi(engine: Engine, data: Path) -> None:
    write_poi_file(
        data,
        DAYCARE,
        [
            poi(
                22147,
                "AWO Kita Zillertalstraße",
                link="",
                path="Soziales/Kindertagesstätten/Kindertagesstätten freie Wohlfahrtsverbände",
            ),
        ],
    )
    write_curated_file(
        data,
        [
            curated(
                "familienzentrum-awo",
                "familienzentrum",
                "AWO-Familienzentrum Zillertalstraße",
                poi_id="22147",
                traeger="AWO Ruhr-Mitte",
                website="www.awo-ruhr-mitte.de",
                telefon="0234 123",
                beschreibung="Familienzentrum mit Beratung.",
                zielgruppe="Kinder von 1 bis 6 Jahren",
                hinweis="Bitte prüfen.",
                quellen="https://www.awo-ruhr-mitte.de/fz | https://example.org/zweite",
                quelle_datum="AWO o. D.; Stadt-POI 22147 geändert 2023-01-18 (Abruf 2023-10-17)",
                stadtbezirk="Mitte",
            )
        ],
    )

    report = run(engine, data)

    assert report.summary() == "1 neu, 0 geändert, 0 unverändert, 0 abgelehnt, 0 Konflikte"
    assert report.warnings == []
    offer = poi_offer(engine, 22147)
    assert offer.name == "AWO Kita Zillertalstraße"
    assert offer.category_slugs == ["kita", "familienzentrum"]
    assert offer.source_urls == [
        POI_SOURCE_URLS[DAYCARE],
        "https://www.awo-ruhr-mitte.de/fz",
        "https://example.org/zweite",
    ]
    assert (offer.website, offer.contact_phone) == ("www.awo-ruhr-mitte.de", "0234 123")
    assert offer.description == "Familienzentrum mit Beratung."
    assert offer.target_group == "Kinder von 1 bis 6 Jahren"
    assert (offer.age_min, offer.age_max, offer.age_is_typical) == (1, 6, False)
    assert offer.notes == "Bitte prüfen."
    assert (offer.provider.name, offer.provider.kind) == ("AWO Ruhr-Mitte", "frei")
    assert offer.source_label == (
        "Stadt Bochum, Open Data (CC0), POI 22147; Kuratierte Liste aus öffentlichen Seiten"
    )
    assert offer.source_changed == date(2023, 1, 18)  # the retrieval date does not count
    assert (offer.district_slug, offer.district_from) == ("mitte", "point")


def test_curated_poi_id_not_selected_by_a_rule_comes_from_the_poi_file(
    engine: Engine, data: Path
) -> None:
    write_poi_file(
        data,
        SCHOOLS,
        [
            poi(
                319499,
                "Familienforum Ruhrgebiet",
                path="Bildung/Weiterbildungseinrichtungen",
                link="www.familienforum-ruhrgebiet.de",
            ),
        ],
    )
    write_curated_file(
        data,
        [curated("familienforum-ruhr", "familienbildung", "Familienforum Ruhr", poi_id="319499")],
    )

    run(engine, data)

    assert list(offers(engine)) == [("stadt-bochum-poi", "319499")]
    offer = poi_offer(engine, 319499)
    assert offer.category_slugs == ["familienbildung"]
    assert offer.location.x == MITTE[0] and offer.website == "www.familienforum-ruhrgebiet.de"
    assert offer.source_urls[0] == POI_SOURCE_URLS[SCHOOLS]


def test_curated_poi_id_missing_from_every_poi_file_is_an_error(engine: Engine, data: Path) -> None:
    write_curated_file(data, [curated("gibts-nicht", "beratung", "Beratung", poi_id="4242")])

    report = run(engine, data)

    assert [str(e) for e in report.errors] == [
        f"{CURATED}:2: poi_id: POI 4242 steht in keiner POI-Datei der Stadt"
    ]
    assert offers(engine) == {}


def test_rejected_curated_file_leaves_the_enriched_poi_unchanged(
    engine: Engine, data: Path
) -> None:
    write_poi_file(data, DAYCARE, kitas(2))
    write_curated_file(
        data, [curated("fz", "familienzentrum", "FZ", poi_id="1001", telefon="0234 1")]
    )
    run(engine, data)
    write_curated_file(
        data,
        [
            curated("fz", "familienzentrum", "FZ", poi_id="1001", telefon="0234 2"),
            curated("x", "zoo", "Zoo"),
        ],
    )

    report = run(engine, data)

    assert report.rejected_files == [CURATED]
    assert poi_offer(engine, 1001).contact_phone == "0234 1"
    assert any("stadt-bochum-poi 1001 nicht importiert" in w for w in report.warnings)


def test_curated_address_like_a_city_poi_takes_its_point(engine: Engine, data: Path) -> None:
    write_poi_file(
        data,
        SCHOOLS,
        [
            poi(
                183,
                "Fachseminar für Altenpflege",
                str_hausnr="Ostermannstr. 32",
                plz_ort="44789 Bochum",
                at=(376506, 5702599),
                path="Bildung/Berufsschulen/Altenpflegeschulen",
            ),
        ],
    )
    write_curated_file(
        data,
        [
            curated(
                "caritas",
                "beratung",
                "Caritas-Beratungszentrum",
                strasse="Ostermannstraße 32",
                stadtbezirk="Süd",
            ),
            curated("juma", "jugendfreizeithaus", "JuMa", strasse="Markstraße", stadtbezirk="Süd"),
        ],
    )

    run(engine, data)

    found = offers(engine)
    caritas = found[("kuratiert", "caritas")]
    assert caritas.location.street == "Ostermannstraße 32"
    assert (caritas.location.x, caritas.location.postcode) == (376506, "44789")
    assert caritas.location.placed_by == (
        "Adresse wie städtischer POI 183 (Stadt Bochum, Open Data)"
    )
    assert (caritas.district_slug, caritas.district_from) == ("sued", "point")
    assert POI_SOURCE_URLS[SCHOOLS] in caritas.source_urls
    juma = found[("kuratiert", "juma")]  # a street without a number is never placed
    assert juma.location.street == "Markstraße" and not juma.location.has_point
    assert (juma.district_slug, juma.district_from) == ("sued", "source")
    assert ("stadt-bochum-poi", "183") not in found


def test_curated_offer_at_the_address_of_a_bad_poi_row_is_left_unchanged(
    engine: Engine, data: Path
) -> None:
    rows = kitas(3)
    rows[2].update(str_hausnr="Schultesche Heide 50", rechts_utm="378344", hoch_utm="5708432")
    write_poi_file(data, DAYCARE, rows)
    write_curated_file(
        data,
        [
            curated(
                "falkenheim-bergen",
                "jugendfreizeithaus",
                "Falkenheim Bergen",
                strasse="Schultesche Heide 50",
            )
        ],
    )
    run(engine, data)
    rows[2]["hoch_utm"] = "57084"
    write_poi_file(data, DAYCARE, rows)

    report = run(engine, data)

    assert report.rejected_files == [DAYCARE]
    assert any("kuratiert falkenheim-bergen nicht importiert" in w for w in report.warnings)
    falkenheim = offers(engine)[("kuratiert", "falkenheim-bergen")]
    assert (falkenheim.location.x, falkenheim.version) == (378344, 1)


def test_curated_row_whose_poi_row_is_bad_is_skipped_not_an_error(
    engine: Engine, data: Path
) -> None:
    rows = kitas(2)
    rows[1]["plz_ort"] = "Bochum"
    write_poi_file(data, DAYCARE, rows)
    write_curated_file(
        data,
        [
            curated("fz", "familienzentrum", "FZ", poi_id="1002"),
            curated("pro-familia", "beratung", "pro familia Bochum"),
        ],
    )

    report = run(engine, data, skip_invalid=True)

    assert [f"{e.file}:{e.line}: {e.field}" for e in report.errors] == [f"{DAYCARE}:3: plz_ort"]
    assert report.rejected_files == []
    assert (
        f"{CURATED}:2: poi_id: nicht importiert: die Zeile von POI 1002 ({DAYCARE}:3) ist "
        "fehlerhaft" in report.warnings
    )
    assert set(offers(engine)) == {("stadt-bochum-poi", "1001"), ("kuratiert", "pro-familia")}


def test_visiting_service_gets_service_area_and_no_location(engine: Engine, data: Path) -> None:
    write_curated_file(
        data,
        [
            curated(
                "begruessungsteam",
                "begruessungsteam",
                "Begrüßungsteam des Jugendamts",
                traeger="Stadt Bochum, Jugendamt",
                versorgungsgebiet="Stadt Bochum",
                zielgruppe="Familien mit Neugeborenen",
                quelle_datum="2007-08-29; 2011",
            ),
            curated(
                "fruehe-hilfen",
                "beratung",
                "Team Frühe Hilfen",
                strasse="Westring",
                versorgungsgebiet="Stadt Bochum",
            ),
            curated("pro-familia", "beratung", "pro familia Bochum"),
        ],
    )

    run(engine, data)

    found = offers(engine)
    team = found[("kuratiert", "begruessungsteam")]
    assert (team.service_area, team.location, team.district_slug) == ("Stadt Bochum", None, None)
    assert (team.age_min, team.age_max, team.age_is_typical) == (0, 1, True)
    assert team.provider.name == "Stadt Bochum, Jugendamt"
    assert team.source_label == "Kuratierte Liste aus öffentlichen Seiten"
    assert team.source_changed == date(2007, 8, 29) and team.last_verified is None
    assert found[("kuratiert", "fruehe-hilfen")].location is None
    pro_familia = found[("kuratiert", "pro-familia")]
    assert pro_familia.location is None and pro_familia.source_changed is None


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("6 bis 16 Jahre (Ferienangebote)", (6, 16)),
        ("ab 12 Jahren", (12, None)),
        ("Kinder von 6 bis 12 Jahren", (6, 12)),
        ("14 bis 21 Jahre", (14, 21)),
        ("Menschen ab 55", (55, None)),
        ("Menschen jeden Alters; Kurse des Jugendmigrationsdienstes ab 12 Jahren", None),
        ("Kinder ab dem Vorschulalter bis junge Erwachsene", None),
        ("", None),
    ],
)
def test_explicit_age_ranges_are_read_from_the_target_group(text: str, ages) -> None:
    assert parse_age_range(text) == ages


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ostermannstraße 32", "Ostermannstr. 32"),
        ("Westring 26 a", "Westring 26a"),
        ("Hattinger Strasse 811", "Hattinger Str. 811"),
        ("In der Schornau 23 - 25", "In der Schornau 23-25"),
    ],
)
def test_addresses_compare_after_normalising(a: str, b: str) -> None:
    assert address_key(a) == address_key(b) is not None


# --- the command line ---------------------------------------------------------------


def _cli(engine: Engine, data: Path, *args: str, module: bool = False, lang: str = "C.UTF-8"):
    url = engine.url.render_as_string(hide_password=False)
    command = ["-m", "scripts.import_offers"] if module else ["scripts/import_offers.py"]
    env = {**os.environ, "BUILD_DIR": str(data.parent / "build"), "LANG": lang}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    return subprocess.run(
        [
            sys.executable,
            *command,
            "--data-dir",
            str(data),
            "--database-url",
            url,
            "--no-progress",
            *args,
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@ONE_DATABASE
def test_cli_reports_line_17_and_exits_non_zero_on_a_bad_file(engine: Engine, data: Path) -> None:
    write_poi_file(data, DAYCARE, _with_bad_row_17(kitas(20)))

    result = _cli(engine, data)

    assert result.returncode == 1, result.stderr
    assert f"Fehler: {DAYCARE}:17: rechts_utm: „abc“ ist keine Zahl" in result.stdout
    assert result.stdout.strip().endswith(
        "0 neu, 0 geändert, 0 unverändert, 1 abgelehnt, 0 Konflikte"
    )


@ONE_DATABASE
def test_cli_with_skip_invalid_still_exits_non_zero(engine: Engine, data: Path) -> None:
    write_poi_file(data, DAYCARE, _with_bad_row_17(kitas(20)))

    result = _cli(engine, data, "--skip-invalid", DAYCARE)

    assert result.returncode == 1, result.stderr
    assert "Angebote je Kategorie: kita 19" in result.stdout
    assert "19 neu, 0 geändert, 0 unverändert, 1 abgelehnt, 0 Konflikte" in result.stdout


@ONE_DATABASE
def test_cli_runs_as_module_and_prints_the_summary(engine: Engine, data: Path) -> None:
    write_poi_file(data, DAYCARE, kitas(2))

    result = _cli(engine, data, module=True)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "2 neu, 0 geändert, 0 unverändert, 0 abgelehnt, 0 Konflikte"
    )
    assert (data.parent / "build" / "districts.geojson").is_file()


@ONE_DATABASE
def test_cli_names_a_missing_data_directory_instead_of_a_traceback(
    engine: Engine, tmp_path: Path
) -> None:
    result = _cli(engine, tmp_path / "nowhere")

    assert result.returncode == 2
    assert "Das Datenverzeichnis" in result.stderr and "DATA_DIR" in result.stderr
    assert "Traceback" not in result.stderr


@ONE_DATABASE
def test_cli_reports_in_english_with_lang_en_or_an_english_lang(engine: Engine, data: Path) -> None:
    from scripts.import_offers import locale_from_environment, parse_args

    write_poi_file(data, DAYCARE, _with_bad_row_17(kitas(20)))

    result = _cli(engine, data, lang="en_GB.UTF-8")  # one real run: LANG reaches the CLI
    assert result.returncode == 1, result.stderr
    assert f"error: {DAYCARE}:17: rechts_utm:" in result.stdout
    assert result.stdout.strip().endswith(
        "0 inserted, 0 updated, 0 unchanged, 1 rejected, 0 conflicts"
    )
    # The choice itself, without another interpreter start per case.
    assert locale_from_environment({"LANG": "en_US.UTF-8"}) == "en"
    assert locale_from_environment({"LC_ALL": "de_DE.UTF-8", "LANG": "en_US.UTF-8"}) == "de"
    assert locale_from_environment({"LANG": "C.UTF-8"}) == "de"
    assert locale_from_environment({}) == "de"
    assert parse_args(["--lang", "en"]).lang == "en" and parse_args([]).lang is None

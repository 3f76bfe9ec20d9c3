"""The enriching files on small files written for each test: the candidates file
(points, house numbers, phones for curated offers) and the school directory (the OGS
offers' contacts, the school table), with their errors as file:line: field: message."""

import csv
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.importer.candidates import COLUMNS as CANDIDATE_COLUMNS
from app.importer.rules import CANDIDATES, OGS, SCHOOL_DIRECTORY, SCHOOLS
from app.importer.schools import COLUMNS as SCHOOL_COLUMNS
from app.models import School
from tests.importer.test_importer import (  # noqa: F401  (the data fixture)
    MITTE,
    curated,
    data,
    offers,
    poi,
    run,
    write_curated_file,
    write_poi_file,
)

GRUNDSCHULE = "Bildung/Allgemeinbildende Schulen/Grundschulen"


def candidate(key: str, **fields: str) -> dict[str, str]:
    row = dict.fromkeys(CANDIDATE_COLUMNS, "")
    row.update(
        key=key,
        found_address="Wodanstraße 18",
        found_plz="44805",
        match_type="house number from press; street-level point only",
        source_record="Baumkataster OBJECTID 38 (generiert)",
        x_epsg25832=str(MITTE[0]),
        y_epsg25832=str(MITTE[1]),
        source="https://example.org/woody | Presse ohne URL",
        source_date="2022",
        licence="CC0 1.0",
        note="Telefon laut Seite: 0234 123456 (generiert)",
    )
    row.update(fields)
    return row


def write_candidates(data_dir: Path, rows: list[dict[str, str]]) -> None:
    with (data_dir / CANDIDATES).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CANDIDATE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def school(number: str, name: str, street: str, **fields: str) -> dict[str, str]:
    row = dict.fromkeys(SCHOOL_COLUMNS, "")
    row.update(
        {
            "Schulform": "Grundschule",
            "Schulnummer": number,
            "Amtliche Bezeichnung 1": name,
            "Amtliche Bezeichnung 2": "Städt. Gem. Grundschule",
            "Straße und Hausnummer": street,
            "Postleitzahl": "44791",
            "Telefonnummer Vorwahl": "234.0",
            "Telefonnummer Durchwahl": "123456.0",
            "Offizielle E-Mail-Adresse": f"{number}@schule.nrw.de",
            "Anzahl": "250",
            "Sozialindex": "6.0",
            "Startchancen-Schule": "1",
        }
    )
    row.update(fields)
    return row


def write_schools(data_dir: Path, rows: list[dict[str, str]]) -> None:
    (data_dir / "schools").mkdir(exist_ok=True)
    with (data_dir / SCHOOL_DIRECTORY).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SCHOOL_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_candidate_places_a_curated_offer_approximately_with_house_number_and_phone(
    engine: Engine,
    data: Path,  # noqa: F811
) -> None:
    write_curated_file(
        data,
        [
            curated(
                "kjfh-test",
                "jugendfreizeithaus",
                "Jugendhaus an der Straße (generiert)",
                strasse="Wodanstraße",
                stadtbezirk="Mitte",
            )
        ],
    )
    write_candidates(data, [candidate("kjfh-test")])

    report = run(engine, data)

    assert report.errors == [] and report.warnings == [] and report.not_on_map == []
    offer = offers(engine)[("kuratiert", "kjfh-test")]
    assert (offer.location.street, offer.location.postcode) == ("Wodanstraße 18", "44805")
    assert (offer.location.x, offer.location.y) == MITTE
    assert offer.location.precision == "approximate"
    assert offer.location.placed_by == "Baumkataster OBJECTID 38 (generiert) (CC0 1.0)"
    assert offer.contact_phone == "0234 123456"
    assert offer.district_slug == "mitte" and offer.district_from == "point"
    assert "https://example.org/woody" in offer.source_urls
    assert "Ortskandidaten" in offer.source_label and "Lage: 2022" in offer.source_date
    assert run(engine, data).summary().startswith("0 neu, 0 geändert, 1 unverändert")


def test_an_address_only_candidate_completes_the_address_without_a_point(
    engine: Engine,
    data: Path,  # noqa: F811
) -> None:
    write_curated_file(data, [curated("beratung-test", "beratung", "Beratung (generiert)")])
    write_candidates(
        data,
        [
            candidate(
                "beratung-test",
                found_address="Bongardstraße 25",
                found_plz="",
                match_type="address only (press)",
                x_epsg25832="",
                y_epsg25832="",
                note="",
            )
        ],
    )
    report = run(engine, data)
    offer = offers(engine)[("kuratiert", "beratung-test")]
    assert offer.location.street == "Bongardstraße 25" and offer.location.x is None
    assert "Beratung (generiert)" in "\n".join(report.not_on_map)


def test_a_bad_candidate_row_is_named_and_its_offer_is_not_half_written(
    engine: Engine,
    data: Path,  # noqa: F811
) -> None:
    write_curated_file(
        data,
        [
            curated("eins", "beratung", "Beratung eins (generiert)"),
            curated("zwei", "beratung", "Beratung zwei (generiert)"),
        ],
    )
    write_candidates(
        data,
        [
            candidate("eins", match_type="somewhere, we think"),
            candidate("zwei", y_epsg25832=""),
            candidate("drei"),
        ],
    )

    report = run(engine, data)

    assert [str(e) for e in report.errors] == [
        f"{CANDIDATES}:2: match_type: „somewhere, we think“ nennt keins von „address only“, "
        "„location description only“, „approximate“, „street-level“, „exact address“, "
        "„same building“, „building named“, „same facility“, „same operator/site“",
        f"{CANDIDATES}:3: y_epsg25832: x und y gehören zusammen",
        f"{CANDIDATES}:4: key: „drei“ ist kein Schlüssel der kuratierten Angebote",
    ]
    assert report.rejected_files == [CANDIDATES]
    assert set(offers(engine)) == set()  # both offers would use the rejected file

    report = run(engine, data, skip_invalid=True)  # the good rows, nothing else
    assert set(offers(engine)) == {("kuratiert", "eins"), ("kuratiert", "zwei")}
    assert offers(engine)[("kuratiert", "eins")].location is None


def test_the_school_directory_gives_ogs_offers_their_schools_phone_and_e_mail(
    engine: Engine,
    data: Path,  # noqa: F811
) -> None:
    schools = [
        poi(151, "Amtmann-Kreyenfeld-Schule", path=GRUNDSCHULE, str_hausnr="Kreyenfeldstr. 80"),
        poi(197, "Bunte Schule Teilstandort", path=GRUNDSCHULE, str_hausnr="Hörder Str. 116"),
    ]
    write_poi_file(data, SCHOOLS, schools)
    write_poi_file(data, OGS, schools)
    write_schools(
        data,
        [
            school("128533", "Amtmann-Kreyenfeld-Schule", "Kreyenfeldstr. 80"),
            school("128697", "Bunte Schule", "Am Neggenborn 75"),
        ],
    )

    report = run(engine, data)

    assert report.errors == []
    assert report.warnings == [
        f"{SCHOOLS}: keine Kategorie-Regel gilt für ihre Zeilen; sie dienen nur zum "
        "Nachschlagen von POI-Nummern und Adressen"
    ]
    found = offers(engine)
    ogs = found[("stadt-bochum-poi", "151")]
    assert (ogs.contact_phone, ogs.contact_email) == ("0234 123456", "128533@schule.nrw.de")
    assert "dl-de/by-2-0" in ogs.source_label
    assert found[("stadt-bochum-poi", "197")].contact_phone is None
    assert report.unmatched_schools == [
        f"{SCHOOL_DIRECTORY}:3: Bunte Schule, Am Neggenborn 75: kein Schul-POI der Stadt "
        "mit diesem Namen und dieser Straße",
        f"{OGS}:3: POI 197 Bunte Schule Teilstandort, Hörder Str. 116: keine Zeile des "
        "Schulverzeichnisses mit diesem Namen und dieser Straße",
    ]
    with Session(engine) as session:
        rows = {s.id: s for s in session.exec(select(School)).all()}
    assert rows[128533].poi_id == "151" and (rows[128533].x, rows[128533].y) == MITTE
    assert (rows[128533].social_index, rows[128533].startchancen) == (6, True)
    assert rows[128533].district_slug == "mitte"
    assert rows[128697].poi_id is None and rows[128697].x is None
    assert run(engine, data).summary().startswith("0 neu, 0 geändert, 2 unverändert")


def test_a_bad_school_directory_row_is_named_and_no_school_offer_is_changed(
    engine: Engine,
    data: Path,  # noqa: F811
) -> None:
    schools = [
        poi(151, "Amtmann-Kreyenfeld-Schule", path=GRUNDSCHULE, str_hausnr="Kreyenfeldstr. 80")
    ]
    write_poi_file(data, SCHOOLS, schools)
    write_poi_file(data, OGS, schools)
    write_schools(data, [school("128533", "Amtmann-Kreyenfeld-Schule", "Kreyenfeldstr. 80")])
    run(engine, data)
    write_schools(
        data,
        [
            school(
                "128533",
                "Amtmann-Kreyenfeld-Schule",
                "Kreyenfeldstr. 80",
                **{"Telefonnummer Durchwahl": "999999.0"},
            ),
            school("128545", "Lina-Morgenstern-Schule", "Bonhoefferstr. 50", Sozialindex="12.0"),
        ],
    )

    report = run(engine, data)

    assert [str(e) for e in report.errors] == [
        f"{SCHOOL_DIRECTORY}:3: Sozialindex: „12.0“ liegt nicht zwischen 1 und 9"
    ]
    assert offers(engine)[("stadt-bochum-poi", "151")].contact_phone == "0234 123456"
    with Session(engine) as session:
        assert session.get(School, 128533).phone == "0234 123456"  # not half-written

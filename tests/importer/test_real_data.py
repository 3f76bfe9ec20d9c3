"""The importer on the real Bochum data (DATA_DIR), imported once per backend."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import Point
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from app.config import PROJECT_ROOT
from app.geo import areas as geo
from app.importer.run import ImportReport, run_import
from app.models import District, Location, Offer, OfferCategory, School
from app.models.categories import MAIN_KINDS

# The command line (its arguments, exit codes and words) is the same on every database,
# and each run starts an interpreter (4-10 s): its tests run on SQLite; what the command
# does to a database is tested in-process on both backends.
ONE_DATABASE = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)


def _count(engine: Engine, category: str) -> int:
    with Session(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(OfferCategory)
            .where(OfferCategory.category == category)
        ).one()


def test_first_run_imports_everything_without_errors(
    real_engine: Engine, real_import_report: ImportReport
) -> None:
    report = real_import_report
    print(f"\nper category: {report.per_category}\n{report.summary()}")
    assert report.errors == [] and report.rejected == 0
    assert report.updated == report.unchanged == 0
    assert report.inserted == _offers(real_engine) >= 590
    assert report.warnings == []


def test_at_least_190_kitas_and_five_family_education_centres(real_engine: Engine) -> None:
    assert _count(real_engine, "kita") >= 190
    assert _count(real_engine, "familienbildung") >= 5


def test_all_eight_main_kinds_are_present(real_engine: Engine) -> None:
    missing = [kind for kind in MAIN_KINDS if _count(real_engine, kind) == 0]
    assert missing == []


def test_every_offer_with_coordinates_lies_inside_bochum(
    real_engine: Engine, data_dir: Path
) -> None:
    outline = geo.load_outline(data_dir).to_crs(geo.METRIC).geometry.union_all()
    with Session(real_engine) as session:
        points = session.exec(select(Location.x, Location.y).where(Location.x.is_not(None))).all()
    assert len(points) > 500
    outside = [(x, y) for x, y in points if not outline.covers(Point(x, y))]
    assert outside == []


def test_every_offer_with_a_point_has_its_district_from_the_point(real_engine: Engine) -> None:
    with Session(real_engine) as session:
        rows = session.exec(
            select(Offer.district_slug, Offer.district_from)
            .join(Location)
            .where(Location.x.is_not(None))
        ).all()
    assert rows and all(d is not None and src == "point" for d, src in rows)


def test_curated_rows_with_poi_id_do_not_duplicate_the_poi(real_engine: Engine) -> None:
    with Session(real_engine) as session:
        fbs = session.exec(select(Offer).where(Offer.source_id == "8039")).all()
        assert len(fbs) == 1
        assert fbs[0].source == "stadt-bochum-poi"
        assert fbs[0].category_slugs == ["familienbildung"]
        assert any("bochumer-zeitung" in url for url in fbs[0].source_urls)
        school = session.exec(select(Offer).where(Offer.source_id == "151")).one()
        assert school.category_slugs == ["ogs", "familienzentrum"]
        forum = session.exec(select(Offer).where(Offer.source_id == "319499")).one()
        assert forum.category == "familienbildung"
        curated_keys = session.exec(
            select(Offer.source_id).where(Offer.source == "kuratiert")
        ).all()
    assert "familienbildungsstaette-stadt-bochum" not in curated_keys
    assert len(curated_keys) == 42  # 53 rows, 11 of them enrich a city POI


def test_begruessungsteam_is_a_visiting_service_without_a_point(real_engine: Engine) -> None:
    with Session(real_engine) as session:
        team = session.exec(select(Offer).where(Offer.category == "begruessungsteam")).one()
        assert team.service_area == "Stadt Bochum"
        assert team.location is None or not team.location.has_point


def test_caritas_beratung_is_placed_at_the_city_poi_with_the_same_address(
    real_engine: Engine,
) -> None:
    with Session(real_engine) as session:
        caritas = session.exec(
            select(Offer).where(Offer.source_id == "caritas-beratungszentrum-wiemelhausen")
        ).one()
        assert caritas.location.placed_by.startswith("Adresse wie städtischer POI 183")
        assert caritas.district_slug == "sued"


def test_districts_have_population(real_engine: Engine) -> None:
    with Session(real_engine) as session:
        districts = session.exec(select(District)).all()
    assert len(districts) == 6
    assert sum(d.population for d in districts) == 370_797


def _offers(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Offer)).one()


def test_second_run_over_real_data_changes_nothing(
    real_engine: Engine, data_dir: Path, tmp_path: Path
) -> None:
    report = run_import(real_engine, data_dir, geojson_target=tmp_path / "districts.geojson")

    assert (report.inserted, report.updated, report.rejected) == (0, 0, 0)
    assert report.unchanged == _offers(real_engine)
    assert report.conflicts == []


def test_offers_without_a_point_are_listed_for_staff_to_place(
    real_import_report: ImportReport,
) -> None:
    listed = "\n".join(real_import_report.not_on_map)
    # The curated file names only a street for the Seniorenbüro Nord, and the candidates
    # file has no point for it nor for pro familia (an address only).
    assert "Seniorenbüro Nord" in listed
    assert "pro familia" in listed
    # The candidates file places the Familienbüro (same building as the Rathaus).
    assert "Familienbüro der Stadt Bochum" not in listed
    assert len(real_import_report.not_on_map) == 28
    # Visiting services have a service area instead of a place: nothing to place.
    assert "Begrüßungsteam" not in listed
    # Every Kita of the city file has its point.
    assert "stadt-bochum-poi" not in listed


def _curated(session: Session, key: str) -> Offer:
    return session.exec(
        select(Offer).where(Offer.source == "kuratiert", Offer.source_id == key)
    ).one()


def test_candidates_place_curated_offers_and_say_how_exactly(real_engine: Engine) -> None:
    with Session(real_engine) as session:
        woody = _curated(session, "kjfh-woody")
        assert woody.location.street == "Wodanstraße 18"  # house number from the press
        assert woody.location.precision == "approximate"
        assert woody.location.placed_by.startswith("Baumkataster OBJECTID 38")
        assert woody.district_slug == "nord" and woody.district_from == "point"
        assert any("qbsgewerkstatt.de" in url for url in woody.source_urls)
        ost = _curated(session, "seniorenbuero-ost")
        assert (ost.location.street, ost.location.postcode) == ("Alte Bahnhofstraße 6", "44892")
        assert ost.location.precision == "address"
        buero = _curated(session, "familienbuero")
        assert buero.location.street == "Willy-Brandt-Platz 2"
        assert buero.location.precision == "building"
        awo = _curated(session, "awo-centrumcultur")
        assert awo.contact_phone == "02327 328823"
        assert awo.location.street == "August-Bebel-Platz 2 a"
        pro_familia = _curated(session, "pro-familia")
        assert pro_familia.location.street == "Bongardstraße 25"
        assert pro_familia.location.x is None  # an address, no point


def test_ogs_offers_carry_their_schools_phone_and_e_mail_from_the_directory(
    real_engine: Engine, real_import_report: ImportReport
) -> None:
    with Session(real_engine) as session:
        ogs = session.exec(
            select(Offer).join(OfferCategory).where(OfferCategory.category == "ogs")
        ).all()
        with_phone = [o for o in ogs if o.contact_phone]
        assert len(ogs) == 51 and len(with_phone) == 44
        frauenlob = next(o for o in ogs if o.source_id == "189")
        assert (frauenlob.contact_phone, frauenlob.contact_email) == (
            "0234 865025",
            "128480@schule.nrw.de",
        )
        assert "dl-de/by-2-0" in frauenlob.source_label
        assert any("schulsozialindex-karte" in url for url in frauenlob.source_urls)
        branch = next(o for o in ogs if o.source_id == "185")  # a Teilstandort
        assert branch.contact_phone is None
    unmatched = "\n".join(real_import_report.unmatched_schools)
    assert len(real_import_report.unmatched_schools) == 7
    assert "POI 185 Schulverbund Feldsieper Schule Teilstandort" in unmatched


def test_school_table_holds_the_directory_at_the_city_points(real_engine: Engine) -> None:
    with Session(real_engine) as session:
        schools = {s.id: s for s in session.exec(select(School)).all()}
    assert len(schools) == 97
    frauenlob = schools[128480]
    assert (frauenlob.poi_id, frauenlob.social_index, frauenlob.pupils) == ("189", 2, 320)
    assert (frauenlob.x, frauenlob.y) != (None, None) and frauenlob.district_slug == "nord"
    assert schools[128533].startchancen is True
    generic = schools[128960]  # "Städt. Gem. Grundschule" in the directory
    assert generic.name == "Grundschule An der Maarbrücke" and generic.poi_id == "193"
    # the two Matthias-Claudius schools at 115 a and 115 b are not swapped
    assert schools[191103].poi_id == "266" and schools[100037].poi_id == "358006"
    grundschulen = [s for s in schools.values() if s.school_type == "Grundschule"]
    assert sum(1 for s in grundschulen if s.social_index is not None) == 42


# English words that a German sentence of the report never uses (names aside).
ENGLISH = re.compile(r"\b(the|no|not|with|without|which|was|were|is|of|rows?|offers?|file|id)\b")


def _cli_on_real_data(engine: Engine, data_dir: Path, tmp_path: Path, *args: str) -> str:
    """The import command once more over the real data (it changes nothing): its report."""
    env = {**os.environ, "BUILD_DIR": str(tmp_path), "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    result = subprocess.run(
        [
            sys.executable,
            "scripts/import_offers.py",
            "--data-dir",
            str(data_dir),
            "--database-url",
            engine.url.render_as_string(hide_password=False),
            "--no-progress",
            *args,
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


@ONE_DATABASE
def test_the_report_of_the_real_import_is_german_by_default_and_english_with_lang_en(
    real_engine: Engine, real_import_report: ImportReport, data_dir: Path, tmp_path: Path
) -> None:
    """Issue 16.2: every line of the report, warnings and unmatched schools included,
    is in the chosen language (they were English among German headings)."""
    report = real_import_report
    lines = [*report.warnings, *report.conflicts, *report.unmatched_schools, *report.not_on_map]
    german = "\n".join(lines)
    assert "keine Zeile des Schulverzeichnisses mit diesem Namen und dieser Straße" in german
    assert "(kuratiert pro-familia, Nummer " in german
    assert [line for line in lines if ENGLISH.search(line)] == []

    german = _cli_on_real_data(real_engine, data_dir, tmp_path / "de")
    english = _cli_on_real_data(real_engine, data_dir, tmp_path / "en", "--lang", "en")

    assert "Schulverzeichnis und Schul-POIs der Stadt ohne Gegenstück" in german
    assert (
        "bochum_ogs_schools_derived.csv:45: POI 185 Schulverbund Feldsieper Schule "
        "Teilstandort, Fahrendeller Str. 27: keine Zeile des Schulverzeichnisses mit diesem "
        "Namen und dieser Straße"
    ) in german
    assert [line for line in german.splitlines() if ENGLISH.search(line)] == []
    assert german.strip().endswith("0 abgelehnt, 0 Konflikte")

    assert "school directory and city school POIs without a partner" in english
    assert (
        "bochum_ogs_schools_derived.csv:45: POI 185 Schulverbund Feldsieper Schule "
        "Teilstandort, Fahrendeller Str. 27: no row of the school directory with this name "
        "and street"
    ) in english
    assert "(kuratiert pro-familia, id " in english
    for sentence in ("keine Zeile", "mit diesem Namen", "Nummer", "Angebote je", "abgelehnt"):
        assert sentence not in english
    assert english.strip().endswith("0 rejected, 0 conflicts")

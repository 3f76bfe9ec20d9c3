"""The staff's CSV upload: the importer's line-numbered checks, a dry run that stores
nothing, all lines or none, and the template that round-trips."""

from sqlmodel import select

from app.catalogue.writers import Actor
from app.importer.upload import apply_upload
from app.importer.upload_format import COLUMNS, template_csv, to_upload_csv
from app.models import Offer, OfferChange
from tests.factories import make_offer

UPLOAD = Actor("user:1 redaktion@example.org", "upload")
HEADER = "id;version;name;kategorie;plz;telefon;plaetze;oeffnungszeiten;aufzug\n"


def test_the_template_has_every_column_and_generated_example_lines_that_pass(session):
    text = template_csv()
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].split(";") == list(COLUMNS)
    assert all("(generiert)" in line for line in lines[1:]) and len(lines) == 3
    report = apply_upload(session, text, "vorlage.csv", UPLOAD)
    assert report.ok, [str(e) for e in report.errors]
    assert report.count("neu") == 2
    session.rollback()
    assert session.exec(select(Offer)).all() == []


def test_bad_lines_are_named_by_file_line_and_column_and_nothing_is_written(session):
    content = HEADER + (
        ";;Kita Gut (generiert);kita;44787;0234 123456;40;Mo 08:00–12:00;ja\n"
        ";;Kita Schlecht (generiert);kita;4478;;viele;Montags;vielleicht\n"
        "999;;;;;;;;\n"
    )
    report = apply_upload(session, content, "liste.csv", UPLOAD)
    messages = [str(e) for e in report.errors]
    assert any(m.startswith("liste.csv:3: plaetze:") for m in messages), messages
    assert any(m.startswith("liste.csv:4: id: das Angebot 999 gibt es nicht") for m in messages)
    assert not report.ok and report.lines == []
    session.rollback()
    assert session.exec(select(Offer)).all() == []
    only_postcode = apply_upload(
        session, HEADER + ";;Kita (generiert);kita;4478;;;;\n", "liste.csv", UPLOAD
    )
    assert [str(e) for e in only_postcode.errors][0].startswith("liste.csv:2: plz:")


def test_a_good_file_creates_and_updates_through_the_write_path_as_upload(session):
    offer = make_offer(session, name="Kita Vorhanden (generiert)", contact_phone="0234 000000")
    content = HEADER + (
        ";;Kita Neu (generiert);kita;44787;0234 123456;40;Mo 08:00–12:00, 14:00–16:00;ja\n"
        f"{offer.id};1;Kita Vorhanden (generiert);kita;;0234 999999;;;\n"
    )
    report = apply_upload(session, content, "liste.csv", UPLOAD)
    assert report.ok, [str(e) for e in report.errors]
    assert [(r.line, r.action) for r in report.lines] == [(2, "neu"), (3, "geändert")]
    assert report.lines[1].fields == ["telefon"]
    session.commit()
    new = session.exec(select(Offer).where(Offer.name == "Kita Neu (generiert)")).one()
    assert new.capacity == 40 and new.lift is True and len(new.opening_hours) == 2
    session.refresh(offer)
    assert offer.contact_phone == "0234 999999" and offer.edited_at is not None
    channels = {
        c.channel
        for c in session.exec(
            select(OfferChange).where(
                OfferChange.offer_id.in_([new.id, offer.id]), OfferChange.version > 1
            )
        )
    }
    assert channels == {"upload"}


def test_a_line_based_on_an_old_version_is_refused(session):
    offer = make_offer(session, name="Kita Alt (generiert)")
    from app.catalogue.write import update_offer
    from tests.factories import STAFF

    update_offer(session, offer, {"costs": "kostenlos"}, STAFF)
    session.commit()
    report = apply_upload(session, HEADER + f"{offer.id};1;;kita;;;;;\n", "liste.csv", UPLOAD)
    assert [str(e) for e in report.errors][0].startswith("liste.csv:2: version: Angebot")


def test_the_list_export_uploads_again_unchanged(session):
    make_offer(
        session,
        name="Kita Hin und zurück (generiert)",
        capacity=12,
        lift=False,
        age_min_months=6,
        age_max=3,
        languages=["Deutsch"],
        opening_hours=[{"weekday": 2, "opens": "08:00", "closes": "12:00"}],
        opening_exceptions=[{"starts": "2026-12-24", "ends": "2026-12-31"}],
    )
    ids = [o.id for o in session.exec(select(Offer))]
    report = apply_upload(session, to_upload_csv(session, ids), "export.csv", UPLOAD)
    assert report.ok, [str(e) for e in report.errors]
    assert [r.action for r in report.lines] == ["unverändert"]

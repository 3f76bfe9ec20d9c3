"""scripts/import_population.py: all or nothing, errors by line, exit codes."""

from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.db import migrate
from app.db.session import make_engine
from app.models import PopulationFigure
from scripts import import_population
from tests.factories import add_districts

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)


@pytest.fixture
def database(tmp_path: Path, data_dir: Path) -> str:
    url = f"sqlite:///{tmp_path / 'script.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        add_districts(session, data_dir)
    engine.dispose()
    return url


def _figures(url: str) -> list[tuple]:
    engine = make_engine(url)
    with Session(engine) as session:
        rows = [
            (f.area_slug, f.age_from, f.age_to, f.year, f.residents, f.loaded_by)
            for f in session.exec(select(PopulationFigure)).all()
        ]
    engine.dispose()
    return rows


def test_a_good_table_is_loaded(database, tmp_path, capsys, db_backend):
    table = tmp_path / "bevoelkerung.csv"
    table.write_text(
        "bezirk;alter_von;alter_bis_unter;jahr;einwohner;quelle\n"
        "Bochum-Nord;0;3;2024;1.234;Amt für Statistik (generiert)\n",
        encoding="utf-8",
    )
    assert import_population.main([str(table), "--database-url", database]) == 0
    assert "1 Zahlen geladen" in capsys.readouterr().out
    assert _figures(database) == [("nord", 0, 3, 2024, 1234, "script")]


def test_a_bad_line_is_named_and_nothing_is_loaded(database, tmp_path, capsys, db_backend):
    table = tmp_path / "bevoelkerung.csv"
    table.write_text(
        "bezirk;alter_von;alter_bis_unter;jahr;einwohner;quelle\n"
        "Bochum-Nord;0;3;2024;1234;Amt (generiert)\n"
        "Bochum-Nord;3;6;zwanzig;1234;Amt (generiert)\n",
        encoding="utf-8",
    )
    assert import_population.main([str(table), "--database-url", database]) == 1
    out = capsys.readouterr().out
    assert "error: bevoelkerung.csv:3: jahr: „zwanzig“ ist keine ganze Zahl" in out
    assert "nichts geladen" in out
    assert _figures(database) == []


def test_a_missing_file_is_a_usage_error(database, tmp_path, db_backend):
    assert import_population.main([str(tmp_path / "fehlt.csv"), "--database-url", database]) == 2

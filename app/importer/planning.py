"""Set-up of the planning view's inputs from the shared data: residents per
Stadtbezirk and the city's age groups (31 Dec 2018), and the published planning
figures quoted by the press. Idempotent; never overwrites a figure staff loaded."""

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from app.geo.areas import POPULATION_FILE
from app.i18n import gettext as _
from app.models.planning import CITY, GridCell
from app.planning.grid import load_grid_csv
from app.planning.indicators import PRESS_TABLE, load_indicators_csv
from app.planning.population import area_resolver, store_figures
from app.urls import url_problem

AGE_GROUPS_FILE = "population/bochum_population_age_groups_city_2018.csv"
INDICATORS_FILE = "planning/bochum_indicators_from_press.csv"
GRID_FILE = "population/bochum_zensus2011_grid_100m.csv"  # data README, section 13
GRID_YEAR = 2011
GRID_DATE = date(2011, 5, 9)
GRID_SOURCE = (
    "Statistische Ämter des Bundes und der Länder, Zensus 2011 (Stichtag 9. Mai 2011), "
    "100-m-Gitter; dl-de/by-2-0; Ausschnitt für Bochum, Koordinaten auf "
    "Zellmittelpunkte umgerechnet"
)


def load_default_grid(session: Session, data_dir: Path) -> list[str]:
    """Load the Zensus 2011 grid as the grid that spreads residents within districts,
    unless it is loaded already or staff loaded another grid (theirs is kept)."""
    path = data_dir / GRID_FILE
    if not path.is_file():
        return []
    sources = set(session.execute(select(GridCell.source).distinct()).scalars())
    if sources - {GRID_SOURCE}:
        return []
    if sources:
        count = session.execute(select(func.count()).select_from(GridCell)).scalar_one()
        under_18 = session.execute(
            select(func.count()).select_from(GridCell).where(GridCell.under_18.is_not(None))
        ).scalar_one()
        if count and under_18:
            return []
    report = load_grid_csv(
        session,
        path,
        year=GRID_YEAR,
        source=GRID_SOURCE,
        name=GRID_FILE,
        reference_date=GRID_DATE,
    )
    return [str(e) for e in report.errors]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _source(stichtag: date, url: str) -> str:
    """The source as text; a link that is not http(s) is left out (``app.urls``)."""
    text = f"Stadt Bochum, Statistik: Bochum im Überblick {stichtag.year}"
    return (text if url_problem(url) else f"{text} ({url})")[:500]


def population_figures(session: Session, data_dir: Path) -> list[dict]:
    """Set A of the district table (one source, one date) and the city's age groups."""
    resolve = area_resolver(session)
    figures = []
    path = data_dir / POPULATION_FILE
    if path.is_file():
        for row in _rows(path):
            if not row["dataset"].startswith("A"):
                continue
            area = CITY if row["level"] == "Stadt" else resolve(row["name"])
            if area is None:
                continue
            stichtag = date.fromisoformat(row["stichtag"])
            figures.append(
                dict(
                    area_slug=area,
                    age_from=0,
                    age_to=None,
                    year=stichtag.year,
                    reference_date=stichtag,
                    residents=int(row["einwohner"]),
                    source=_source(stichtag, row["source_url"]),
                )
            )
    path = data_dir / AGE_GROUPS_FILE
    if path.is_file():
        for row in _rows(path):
            stichtag = date.fromisoformat(row["stichtag"])
            figures.append(
                dict(
                    area_slug=CITY,
                    age_from=int(row["alter_von"]),
                    age_to=int(row["alter_bis_unter"]) if row["alter_bis_unter"] else None,
                    year=stichtag.year,
                    reference_date=stichtag,
                    residents=int(row["einwohner"]),
                    source=_source(stichtag, row["source_url"]),
                )
            )
    return figures


def load_planning_inputs(session: Session, data_dir: Path) -> list[str]:
    """Load what the shared data holds; returns warnings (e.g. unmatched areas)."""
    store_figures(session, population_figures(session, data_dir), "setup", keep_others=True)
    warnings: list[str] = []
    path = data_dir / INDICATORS_FILE
    if path.is_file():
        report = load_indicators_csv(session, path, name=PRESS_TABLE)
        warnings += [str(e) for e in report.errors]
        if report.unmatched:
            warnings.append(
                f"{INDICATORS_FILE}: "
                + _(
                    "Gebiete ohne Stadtbezirk (nur für die ganze Stadt gezeigt): %(areas)s",
                    areas=", ".join(sorted(set(report.unmatched))),
                )
            )
    warnings += load_default_grid(session, data_dir)
    session.flush()
    return warnings

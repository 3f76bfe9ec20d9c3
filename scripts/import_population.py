"""Load official tables for the planning view (/planung).

    python scripts/import_population.py FILE.csv
        residents per district and age band: columns bezirk, alter_von,
        alter_bis_unter (empty: open), jahr, einwohner, quelle [, stichtag]
    python scripts/import_population.py --indicators NAME FILE.csv
        published figures (same format as planning/bochum_indicators_from_press.csv);
        replaces the indicator table NAME
    python scripts/import_population.py --grid YEAR --source TEXT FILE.csv
        residents per grid cell (Zensus: x_mp_100m, y_mp_100m in EPSG:3035, einwohner;
        or x, y in EPSG:25832, einwohner); replaces the loaded grid
    python scripts/import_population.py --district-level LEVEL [--parent-level P] FILE.geojson
        the polygons of a finer district level (EPSG:4326, property "name")

Each file is all or nothing: a bad line is reported as ``file:line: field: message``
and nothing is stored. Exit code 1 when the file was rejected, 2 on a usage problem.
"""

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session  # noqa: E402

from app.config import get_settings  # noqa: E402
from app.db import migrate  # noqa: E402
from app.db.session import make_engine  # noqa: E402
from app.planning.grid import load_grid_csv  # noqa: E402
from app.planning.indicators import load_indicators_csv  # noqa: E402
from app.planning.levels import TOP_LEVEL, load_district_level  # noqa: E402
from app.planning.population import load_population_csv  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    settings = get_settings()
    parser = argparse.ArgumentParser(
        description="Load population tables and other planning inputs (all or nothing)."
    )
    parser.add_argument("file", type=Path, help="the CSV (or GeoJSON) file")
    parser.add_argument("--database-url", default=settings.database_url)
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument(
        "--indicators", metavar="NAME", help="load published indicators as the table NAME"
    )
    kind.add_argument(
        "--grid", metavar="YEAR", type=int, help="load residents per grid cell of YEAR"
    )
    kind.add_argument(
        "--district-level", metavar="LEVEL", help="load the polygons of a finer district level"
    )
    parser.add_argument(
        "--parent-level",
        default=TOP_LEVEL,
        help=f"the level a district level lies in (default: {TOP_LEVEL})",
    )
    parser.add_argument("--source", help="the grid's source (with --grid)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.file.is_file():
        print(f"error: {args.file} does not exist", file=sys.stderr)
        return 2
    if args.grid is not None and not args.source:
        print("error: --grid needs --source (who published the grid)", file=sys.stderr)
        return 2
    migrate.upgrade(args.database_url)
    engine = make_engine(args.database_url)
    name = args.file.name
    try:
        with Session(engine) as session:
            if args.indicators:
                report = load_indicators_csv(session, args.file, name=args.indicators)
            elif args.grid is not None:
                report = load_grid_csv(
                    session, args.file, year=args.grid, source=args.source, name=name
                )
            elif args.district_level:
                report = load_district_level(
                    session, args.file, args.district_level, args.parent_level, name=name
                )
            else:
                report = load_population_csv(session, args.file, name=name, loaded_by="script")
            for error in report.errors:
                print(f"error: {error}")
            if report.errors:
                session.rollback()
                print(report.summary())
                return 1
            session.commit()
    finally:
        engine.dispose()
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Import the Bochum offers into the catalogue.

    python scripts/import_offers.py [--data-dir DIR] [--skip-invalid]
                                     [--database-url URL] [files...]
    python -m scripts.import_offers ...

Files are paths relative to the data directory (default: the city POI files and the
curated offers file). Exit code 1 when any row was rejected (also with --skip-invalid).
"""

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import get_settings  # noqa: E402
from app.db import migrate  # noqa: E402
from app.db.session import make_engine  # noqa: E402
from app.geo.areas import POPULATION_FILE, POSTCODES_FILE, STADTBEZIRKE_FILE  # noqa: E402
from app.importer.run import ImportReport, run_import  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Import the Bochum family offers.")
    parser.add_argument(
        "files", nargs="*", help="source files relative to the data directory (default: all)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=settings.data_dir,
        help=f"the data directory (default: {settings.data_dir})",
    )
    parser.add_argument(
        "--database-url",
        default=settings.database_url,
        help="database URL (default: from the settings)",
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the good rows of a file with bad rows (and list the bad ones)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def print_report(report: ImportReport) -> None:
    for error in report.errors:
        print(f"error: {error}")
    for warning in report.warnings:
        print(f"warning: {warning}")
    for conflict in report.conflicts:
        print(f"conflict: {conflict}")
    if report.not_on_map:
        print(f"not yet on the map, for staff to place ({len(report.not_on_map)}):")
        for entry in report.not_on_map:
            print(f"  {entry}")
    if report.unmatched_schools:
        print(
            "school directory and city school POIs without a partner (name and street; "
            f"{len(report.unmatched_schools)}):"
        )
        for entry in report.unmatched_schools:
            print(f"  {entry}")
    if report.per_category:
        print(
            "offers per category: "
            + ", ".join(f"{slug} {count}" for slug, count in report.per_category.items())
        )
    print(report.summary())


def missing_inputs(data_dir: Path) -> list[str]:
    """The boundary and population files every import needs, if absent."""
    needed = (STADTBEZIRKE_FILE, POSTCODES_FILE, POPULATION_FILE)
    return [rel for rel in needed if not (data_dir / rel).is_file()]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.data_dir.is_dir():
        print(
            f"error: the data directory {args.data_dir} does not exist; put the shared "
            "data beside the checkout (../shared/data) or set DATA_DIR / --data-dir",
            file=sys.stderr,
        )
        return 2
    missing = missing_inputs(args.data_dir)
    if missing:
        print(f"error: {args.data_dir} lacks {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(args.database_url)
    engine = make_engine(args.database_url)
    try:
        report = run_import(
            engine,
            args.data_dir,
            files=args.files or None,
            skip_invalid=args.skip_invalid,
            progress=not args.no_progress,
        )
    finally:
        engine.dispose()
    print_report(report)
    return 1 if report.rejected else 0


if __name__ == "__main__":
    sys.exit(main())

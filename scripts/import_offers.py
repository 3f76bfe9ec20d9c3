"""Import the Bochum offers into the catalogue.

    python scripts/import_offers.py [--data-dir DIR] [--skip-invalid] [--lang de|en]
                                     [--database-url URL] [files...]
    python -m scripts.import_offers ...

Files are paths relative to the data directory (default: the city POI files and the
curated offers file). Exit code 1 when any row was rejected (also with --skip-invalid).
The report is in German; in English with ``--lang en`` or an English ``LANG``
(``LC_ALL``/``LC_MESSAGES`` first, as gettext reads them).
"""

import argparse
import os
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import get_settings  # noqa: E402
from app.db import migrate  # noqa: E402
from app.db.session import make_engine  # noqa: E402
from app.geo.areas import POPULATION_FILE, POSTCODES_FILE, STADTBEZIRKE_FILE  # noqa: E402
from app.i18n import SUPPORTED, set_locale  # noqa: E402
from app.i18n import gettext as _  # noqa: E402
from app.importer.run import ImportReport, run_import  # noqa: E402


def locale_from_environment(env: dict[str, str] | None = None) -> str:
    """The report's language from LC_ALL, LC_MESSAGES or LANG (the first one set):
    "en" for an English locale, else German."""
    env = os.environ if env is None else env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "de"
    return "de"


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
    parser.add_argument(
        "--lang",
        choices=SUPPORTED,
        default=None,
        help="language of the report (default: from LANG, else German)",
    )
    return parser.parse_args(argv)


def print_report(report: ImportReport) -> None:
    for error in report.errors:
        print(_("Fehler: %(text)s", text=error))
    for warning in report.warnings:
        print(_("Warnung: %(text)s", text=warning))
    for conflict in report.conflicts:
        print(_("Konflikt: %(text)s", text=conflict))
    if report.not_on_map:
        print(
            _(
                "Noch nicht auf der Karte, von der Redaktion zu platzieren (%(n)s):",
                n=len(report.not_on_map),
            )
        )
        for entry in report.not_on_map:
            print(f"  {entry}")
    if report.unmatched_schools:
        print(
            _(
                "Schulverzeichnis und Schul-POIs der Stadt ohne Gegenstück (Name und Straße; "
                "%(n)s):",
                n=len(report.unmatched_schools),
            )
        )
        for entry in report.unmatched_schools:
            print(f"  {entry}")
    if report.per_category:
        counts = ", ".join(f"{slug} {count}" for slug, count in report.per_category.items())
        print(_("Angebote je Kategorie: %(counts)s", counts=counts))
    print(report.summary())


def missing_inputs(data_dir: Path) -> list[str]:
    """The boundary and population files every import needs, if absent."""
    needed = (STADTBEZIRKE_FILE, POSTCODES_FILE, POPULATION_FILE)
    return [rel for rel in needed if not (data_dir / rel).is_file()]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    set_locale(args.lang or locale_from_environment())
    if not args.data_dir.is_dir():
        print(
            _(
                "Fehler: Das Datenverzeichnis %(dir)s gibt es nicht; legen Sie die Daten "
                "neben den Checkout (../shared/data) oder setzen Sie DATA_DIR / --data-dir.",
                dir=args.data_dir,
            ),
            file=sys.stderr,
        )
        return 2
    missing = missing_inputs(args.data_dir)
    if missing:
        print(
            _("Fehler: In %(dir)s fehlt %(files)s.", dir=args.data_dir, files=", ".join(missing)),
            file=sys.stderr,
        )
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

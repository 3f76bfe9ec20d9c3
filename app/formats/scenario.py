"""The twins of a what-if scenario (/planung/szenario and a saved one): CSV, JSON and
XLSX of the same rows, built once by ``rows``: per kind and district the measures
before and after, and the sites with how their points were found."""

from typing import Any

from app.formats.tabular import csv_text
from app.formats.xlsx import Sheet, workbook_bytes
from app.i18n import gettext as _
from app.planning.scenario import ROW_MEASURES, KindScenario, Site
from app.planning.siting import how_text

HEADER = ["art", "gebiet", "kennung", "angebote_vorher", "angebote_nachher"]
for _key in (*ROW_MEASURES, "rang"):
    HEADER += [f"{_key}_vorher", f"{_key}_nachher"]
SITE_HEADER = ["nummer", "art", "breite", "laenge", "plaetze", "herkunft", "gefunden_als"]


def rows(result: list[KindScenario]) -> list[list[Any]]:
    out = []
    for s in result:
        for a in [*s.areas, s.city]:
            row = [s.kind.slug, a.name, a.slug, a.before.offers, a.after.offers]
            for key in ROW_MEASURES:
                row += [a.before.value(key), a.after.value(key)]
            row += [a.before.rank, a.after.rank]
            out.append(row)
    return out


def site_rows(sites: list[Site]) -> list[list[Any]]:
    return [
        [n, s.kind, s.lat, s.lon, s.places, s.how, s.label] for n, s in enumerate(sites, start=1)
    ]


def to_csv(result: list[KindScenario]) -> str:
    return csv_text(HEADER, rows(result))


def to_json(
    result: list[KindScenario], sites: list[Site], saved: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "scenario": saved,
        "sites": [
            {**dict(zip(SITE_HEADER, r, strict=True)), "herkunft_text": how_text(s.how)}
            for r, s in zip(site_rows(sites), sites, strict=True)
        ],
        "columns": HEADER,
        "rows": rows(result),
    }


def to_xlsx(result: list[KindScenario], sites: list[Site]) -> bytes:
    return workbook_bytes(
        [
            Sheet(_("Vorher und nachher"), HEADER, rows(result)),
            Sheet(_("Standorte"), SITE_HEADER, site_rows(sites)),
        ]
    )

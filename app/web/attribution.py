"""The data sources, their licences and the attribution they ask for.

Taken from ``DATA_DIR/README.md``; shown in the footer and on /ueber.
"""

from dataclasses import dataclass

from app.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class DataSource:
    key: str
    title: object
    attribution: object  # lazy gettext string
    licence: object
    licence_url: str | None
    url: str | None
    date: object
    used_for: object


SOURCES: tuple[DataSource, ...] = (
    DataSource(
        key="stadt-bochum-poi",
        title=_l("Stadt Bochum, Open Data: Kitas, Schulen, Spielplätze"),
        attribution=_l("Datenquelle: Stadt Bochum, Open Data (CC0)"),
        licence="CC0 1.0",
        licence_url="https://creativecommons.org/publicdomain/zero/1.0/deed.de",
        url="https://github.com/StadtBochum/OpenData",
        date=_l("Abruf durch die Stadt 2023-10-17 (Spielplätze 2024-01-11)"),
        used_for=_l("Kitas, Familienzentren, Familienbildungsstätten, OGS, Spielplätze"),
    ),
    DataSource(
        key="osm",
        title=_l("OpenStreetMap: Stadtbezirke, Postleitzahlgebiete, Stadtgebiet"),
        attribution=_l("© OpenStreetMap-Mitwirkende, ODbL 1.0"),
        licence="ODbL 1.0",
        licence_url="https://www.openstreetmap.org/copyright",
        url="https://www.openstreetmap.org/copyright",
        date=_l("Auszugsdatum nicht angegeben"),
        used_for=_l("Bezirksgrenzen, Zuordnung der Angebote zu Bezirken, Postleitzahlsuche"),
    ),
    DataSource(
        key="kuratiert",
        title=_l("Kuratierte Liste aus öffentlichen Seiten (Presse, Träger, Stadt)"),
        attribution=_l("Quelle: je Eintrag genannt"),
        licence=_l("Einzelne Fakten; Quellen-URL je Eintrag"),
        licence_url=None,
        url=None,
        date=_l("Quellen von 2007 bis 2024, Datum je Eintrag"),
        used_for=_l("Begrüßungsteam, Kinder- und Familienbüro, Jugendfreizeithäuser, "
                    "Seniorenbüros, Beratung"),
    ),
    DataSource(
        key="statistik",
        title=_l("Stadt Bochum, Statistik: Bochum im Überblick 2018"),
        attribution=_l("Quelle: Stadt Bochum, Statistik (Bochum im Überblick 2018)"),
        licence=_l("Lizenz auf der Quelle nicht angegeben"),
        licence_url=None,
        url="https://www.bochum.de/C125708500379A31/Print/W29GFAN9348BOCMDE",
        date=_l("Stichtag 31.12.2018"),
        used_for=_l("Einwohnerzahlen der Stadtbezirke"),
    ),
)

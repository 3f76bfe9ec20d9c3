"""How each figure is computed, in plain German (translated like every UI string):
the page's "So wird gerechnet", the report and the sources sheet of the XLSX all
read these paragraphs, so they never disagree with each other or with the code."""

from dataclasses import dataclass

from app.i18n import gettext as _
from app.numbers import format_date, format_datetime, format_number
from app.planning.coverage_model import Coverage


@dataclass(frozen=True)
class Paragraph:
    key: str
    heading: str
    text: str


def _places_notes(cov: Coverage) -> str:
    parts = [
        _(
            "Platzzahl bekannt für %(known)s von %(all)s %(kind)s",
            known=info.places_known,
            all=info.offers,
            kind=info.kind.label,
        )
        for info in cov.kinds.values()
        if info.kind.slug in ("kita", "u3", "ogs")
    ]
    return "; ".join(parts)


def reach_change_rows(cov: Coverage) -> list[tuple[str, float, float, float, float]]:
    """Per kind: city-wide share within 500 m and 1,000 m with the grid, and with the
    residents spread evenly (percent), for the closing note."""
    rows = []
    for slug, (even500, even1000) in cov.even_reach.items():
        m = cov.city.kinds[slug]
        if None in (even500, even1000, m.reach_500, m.reach_1000):
            continue
        rows.append(
            (
                str(cov.kinds[slug].kind.label),
                round(m.reach_500 * 100, 1),
                round(even500 * 100, 1),
                round(m.reach_1000 * 100, 1),
                round(even1000 * 100, 1),
            )
        )
    return rows


def _grid_paragraph(cov: Coverage) -> list[Paragraph]:
    rows = reach_change_rows(cov)
    if not rows:
        return []
    parts = [
        _(
            "%(kind)s: bis 500 m %(grid500)s %% (gleichmäßig verteilt %(even500)s %%), "
            "bis 1.000 m %(grid1000)s %% (%(even1000)s %%)",
            kind=kind,
            grid500=format_number(g500, 1),
            even500=format_number(e500, 1),
            grid1000=format_number(g1000, 1),
            even1000=format_number(e1000, 1),
        )
        for kind, g500, e500, g1000, e1000 in rows
    ]
    return [
        Paragraph(
            "raster",
            _("Was das Bevölkerungsraster ändert"),
            _(
                "Die Anteile der Zielgruppe zu Fuß in der ganzen Stadt mit dem geladenen "
                "Raster und, in Klammern, wenn die Einwohner gleichmäßig über die Fläche "
                "ihres Bezirks verteilt wären: %(parts)s. Das Raster ist älter als die "
                "Einwohnerzahlen; es bestimmt nur, wo im Bezirk die Menschen wohnen.",
                parts="; ".join(parts),
            ),
        )
    ]


def method(cov: Coverage) -> list[Paragraph]:
    detour = format_number(cov.detour, 1)
    catchment = format_number(cov.catchment)
    years = ", ".join(str(y) for y in cov.population_years) or _("keine")
    supply_offers = [str(i.kind.label) for i in cov.kinds.values() if i.supply == "offers"]
    spread = (
        _(
            "nach den geladenen Einwohnerzahlen je Gitterzelle verteilt (%(source)s, Stand "
            "%(date)s; Kinder und Jugendliche nach der Altersklasse unter 18 Jahren, "
            "Seniorinnen und Senioren nach der Klasse ab 65 Jahren, wo das Gitter sie hat)",
            source=cov.weighted_by,
            date=format_date(cov.grid_date) if cov.grid_date else _("ohne Angabe"),
        )
        if cov.weighted_by
        else _(
            "gleichmäßig über die Fläche des Bezirks verteilt (kein feineres "
            "Bevölkerungsraster geladen)"
        )
    )
    return [
        Paragraph(
            "zielgruppen",
            _("Zielgruppen"),
            _(
                "Jede Art von Angebot wird an ihrer Zielgruppe gemessen: Kitas an Kindern unter "
                "6 Jahren, U3 an Kindern unter 3 Jahren, OGS an Kindern von 6 bis unter 10 "
                "Jahren, Jugendfreizeithäuser an Jugendlichen von 10 bis unter 18 Jahren, "
                "Seniorenbüros an Menschen ab 60 Jahren (ihre Zielgruppe ab 65 Jahren ist aus den "
                "veröffentlichten Altersgruppen nicht zu bilden; die Gruppe ab 60 ist breiter). "
                "U3 zählt nur Kitas, von denen bekannt ist, dass sie Kinder unter drei Jahren "
                "aufnehmen (Alter in Monaten oder U3-Plätze eingetragen); wo das für keine Kita "
                "bekannt ist, steht „unbekannt“. Für alle anderen Arten stehen Kinder "
                "unter 18 Jahren für die Familien mit Kindern."
            ),
        ),
        Paragraph(
            "bevoelkerung",
            _("Bevölkerung und Schätzungen"),
            _(
                "Geladene Jahrgänge: %(years)s. Altersgruppen liegen nur für die ganze Stadt vor. "
                "Wo für einen Bezirk keine amtliche Zahl der Zielgruppe geladen ist, schätzen wir "
                "sie: Einwohner des Bezirks × Anteil der Altersgruppe an der Bevölkerung der "
                "Stadt. Jede solche Zahl ist als „Schätzung“ markiert (S). Sobald das Amt für "
                "Statistik Zahlen je Bezirk und Altersgruppe lädt, ersetzen sie die Schätzung; "
                "es gilt immer der neueste geladene Jahrgang. Menschen ab 65 Jahren lassen sich "
                "aus den veröffentlichten Gruppen nicht bilden (60 bis unter 70 ist eine "
                "Gruppe); die Seniorenbüros messen wir daher an der breiteren Gruppe ab 60 "
                "Jahren (60–70, 70–80 und 80 und älter), nicht an einer aufgeteilten Zahl.",
                years=years,
            ),
        ),
        Paragraph(
            "angebote",
            _("Angebote und Plätze"),
            _(
                "Gezählt werden die nicht archivierten Angebote im Bezirk, in dem der Katalog sie "
                "verortet. Angebote je 1.000 = Angebote ÷ Zielgruppe × 1.000. Plätze je 100 = "
                "bekannte Plätze ÷ Zielgruppe × 100; Angebote ohne Platzzahl zählen dabei nicht "
                "mit. %(places)s.",
                places=_places_notes(cov),
            ),
        ),
        Paragraph(
            "erreichbarkeit",
            _("Erreichbarkeit zu Fuß"),
            _(
                "Die Zielgruppe jedes Bezirks wird auf ein Gitter aus %(size)s-m-Zellen "
                "(%(cells)s Zellen) %(spread)s. Für jede Zelle messen wir die Luftlinie zum "
                "nächsten Angebot der Art und rechnen sie mit dem Umwegfaktor %(detour)s in "
                "einen Fußweg um. Der Anteil bis 500 m und bis 1.000 m ist der Teil der "
                "Zielgruppe in Zellen mit so kurzem Weg. Das ist eine Schätzung: ein Straßennetz "
                "wird nicht verwendet.",
                size=cov.grid_size,
                cells=format_number(cov.grid_cells),
                spread=spread,
                detour=detour,
            ),
        ),
        *_grid_paragraph(cov),
        Paragraph(
            "zugang",
            _("Zugangsindex (2SFCA)"),
            _(
                "Das Zwei-Schritt-Verfahren mit gleitendem Einzugsgebiet (Luo und Wang 2003) mit "
                "Gewichten, die mit der Entfernung abnehmen (Luo und Qi 2009; hier eine "
                "Gauß-Kurve, die am Rand des Einzugsgebiets null wird). Schritt 1: Für jedes "
                "Angebot teilen wir sein Angebot durch die nach Entfernung gewichtete Zielgruppe "
                "im Umkreis von %(catchment)s m Fußweg. Schritt 2: Für jede Zelle addieren wir "
                "diese Verhältnisse aller Angebote im Umkreis, wieder gewichtet. Der Wert des "
                "Bezirks ist das Mittel seiner Zellen nach Zielgruppe, je 1.000 Menschen der "
                "Zielgruppe. Als Angebot zählen die Plätze, wenn sie für alle Angebote der Art "
                "bekannt sind; sonst zählt jedes Angebot als 1 (so bei: %(kinds)s). Angebote "
                "außerhalb Bochums fehlen in den Daten, am Stadtrand ist der Wert daher zu "
                "niedrig.",
                catchment=catchment,
                kinds=", ".join(supply_offers) or _("keiner"),
            ),
        ),
        Paragraph(
            "luecken",
            _("Rangfolge"),
            _(
                "Sind die Plätze nicht für alle Angebote einer Art bekannt, zählt die "
                "Rangfolge Einrichtungen statt Plätze; sie heißt dann „nach Zahl der "
                "Einrichtungen, nicht nach Plätzen“ und ist keine Rangfolge der Lücken. Wo "
                "die Stadt Zahlen zur selben Art und zum selben Zeitraum veröffentlicht hat "
                "(etwa fehlende Ü3-Plätze je Stadtbezirk), stehen sie mit ihrem Rang daneben, "
                "und ein Widerspruch wird genannt: wenn eine Rangfolge den Bezirk in die obere "
                "Hälfte stellt und die andere in die untere. Die Karte teilt die Werte in "
                "höchstens fünf Klassen; liegen sie weniger als 20 Prozent des größten Werts "
                "auseinander, bekommt jeder Bezirk dieselbe Klasse, und die Legende nennt die "
                "Werte."
            )
            + " "
            + _(
                "Für jede Art ordnen wir die Bezirke in jedem Maß vom schwächsten Wert an "
                "(Angebote je 1.000, Plätze je 100, Erreichbarkeit bis 500 m und bis 1.000 m, "
                "Zugangsindex). Zuerst steht der Bezirk, der in irgendeinem Maß am weitesten "
                "hinten liegt; bei Gleichstand entscheidet der mittlere Rang. In der Tabelle ist "
                "der schwächste Wert jeder Spalte mit „schwächster Wert“ und einer Schraffur "
                "markiert."
            ),
        ),
        Paragraph(
            "sozialindex",
            _("Schulsozialindex"),
            _(
                "Der Sozialindex des Landes NRW (1 = geringe, 9 = hohe soziale Belastung) der "
                "Grundschulen im Bezirk, gemittelt nach Schülerzahl, und die Zahl der "
                "Startchancen-Schulen: ein Maß für den Bedarf neben den Maßen für das Angebot. "
                "Grundschulen in der Schultabelle: %(schools)s.",
                schools=cov.schools,
            ),
        ),
        Paragraph(
            "aktualitaet",
            _("Aktualität"),
            _(
                "Berechnet am %(when)s in %(seconds)s s. Die Berechnung wird neu ausgeführt, "
                "sobald sich Angebote, Gebiete oder Bevölkerungszahlen ändern.",
                when=format_datetime(cov.computed_at),
                seconds=format_number(cov.seconds, 2),
            ),
        ),
    ]


def sources(cov: Coverage) -> list[tuple[str, str]]:
    """(what, source) pairs for the sources sheet and the report."""
    rows = [
        (_("Angebote"), _("Stadt Bochum, Open Data (CC0); kuratierte Liste mit Quelle je Eintrag"))
    ]
    for figure_source in sorted(
        {m.population.source for a in cov.areas for m in a.kinds.values() if m.population.source}
    ):
        rows.append((_("Bevölkerung"), figure_source))
    rows.append((_("Bezirksgrenzen"), _("© OpenStreetMap-Mitwirkende, ODbL 1.0")))
    if cov.weighted_by:
        rows.append((_("Bevölkerungsraster"), cov.weighted_by))
    rows.append(
        (
            _("Schulen"),
            _(
                "Schulverzeichnis: IT.NRW, Statistisches Landesamt, 2025, "
                "dl-de/by-2-0; Schulsozialindex: Ministerium für Schule "
                "und Bildung NRW, dl-de/by-2-0"
            ),
        )
    )
    if cov.indicators:
        rows.append(
            (
                _("Veröffentlichte Zahlen"),
                _(
                    "Presseberichte und Angaben der Stadt; Quelle und Datum stehen bei "
                    "jeder Zahl (%(n)s Quellen)",
                    n=len({i.source for i in cov.indicators}),
                ),
            )
        )
    return rows

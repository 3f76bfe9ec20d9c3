"""The parameters of /planung and its twins as one object: measure, kind, level,
sorting and map classes. Parsing names every bad parameter; the page then shows the
defaults with an error summary, a twin answers 422."""

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.planning.coverage_model import MEASURES
from app.planning.kinds import KIND_SLUGS
from app.planning.levels import TOP_LEVEL

NEED = "sozialindex"
DATE_PATTERN = r"^(\d{4}-\d{2}-\d{2})?$"
ALL_MEASURES = (*MEASURES, NEED)
CLASSES = ("natuerlich", "quantile")

MEASURE_LABELS = {
    "angebote": _l("Angebote"),
    "je_1000": _l("Angebote je 1.000 der Zielgruppe"),
    "plaetze_je_100": _l("Plätze je 100 der Zielgruppe"),
    "erreichbar_500": _l("Zielgruppe bis 500 m Fußweg"),
    "erreichbar_1000": _l("Zielgruppe bis 1.000 m Fußweg"),
    "zugang": _l("Zugangsindex (2SFCA)"),
    NEED: _l("Schulsozialindex der Grundschulen"),
}
CLASS_LABELS = {"natuerlich": _l("natürliche Brüche (Fisher-Jenks)"), "quantile": _l("Quantile")}


class PlanningParams(BaseModel):
    """The query parameters (all optional)."""

    model_config = ConfigDict(extra="ignore")

    mass: Literal[ALL_MEASURES] = Field(  # type: ignore[valid-type]
        "je_1000", description="the measure shown in the table and on the map"
    )
    art: Literal[KIND_SLUGS] = Field(  # type: ignore[valid-type]
        "kita", description="the kind of offer for the map and the gap ranking"
    )
    ebene: str = Field(
        TOP_LEVEL,
        max_length=40,
        pattern=r"^[a-z0-9-]+$",
        description="district level (default: the Stadtbezirke)",
    )
    sortierung: str = Field(
        "",
        max_length=40,
        pattern=r"^[a-z0-9_-]*$",
        description="column to sort by ('name' or a column key)",
    )
    richtung: Literal["auf", "ab"] = Field("auf", description="sort order")
    klassen: Literal[CLASSES] = Field(  # type: ignore[valid-type]
        "natuerlich", description="map classes: natural breaks or quantiles"
    )
    stand: str = Field(
        "",
        pattern=DATE_PATTERN,
        description="show the stored snapshot of this date (YYYY-MM-DD; the newest on or "
        "before it), not today's computation",
    )
    vergleich: str = Field(
        "",
        pattern=DATE_PATTERN,
        description="with stand: the change per district against the snapshot of this date",
    )


@dataclass(frozen=True)
class PlanningQuery:
    mass: str = "je_1000"
    art: str = "kita"
    ebene: str = TOP_LEVEL
    sortierung: str = ""
    richtung: str = "auf"
    klassen: str = "natuerlich"
    stand: str = ""
    vergleich: str = ""

    def params(self, **changes: str) -> list[tuple[str, str]]:
        q = replace(self, **changes) if changes else self
        defaults = PlanningQuery()
        return [
            (k, getattr(q, k))
            for k in (
                "mass",
                "art",
                "ebene",
                "sortierung",
                "richtung",
                "klassen",
                "stand",
                "vergleich",
            )
            if getattr(q, k) != getattr(defaults, k)
        ]

    def query_string(self, **changes: str) -> str:
        return urlencode(self.params(**changes))

    def sort_link(self, column: str) -> str:
        """The query that sorts by ``column`` (the other way round when it already is)."""
        direction = "ab" if self.sortierung == column and self.richtung == "auf" else "auf"
        return self.query_string(sortierung=column, richtung=direction)


FIELD_MESSAGES = {
    "mass": _l("Wählen Sie ein Maß aus der Liste."),
    "art": _l("Wählen Sie eine Art von Angebot aus der Liste."),
    "ebene": _l("Diese Gebietsebene gibt es nicht."),
    "sortierung": _l("Nach dieser Spalte kann nicht sortiert werden."),
    "richtung": _l("Sortieren Sie auf- oder absteigend."),
    "klassen": _l("Wählen Sie natürliche Brüche oder Quantile."),
    "stand": _l("Geben Sie den Stand als Datum an (JJJJ-MM-TT)."),
    "vergleich": _l("Geben Sie den Vergleichsstand als Datum an (JJJJ-MM-TT)."),
}


NEED_COLUMNS = (NEED, "startchancen", "grundschulen", "schueler")


def column_keys(measure: str) -> tuple[str, ...]:
    """The value columns of the table for ``measure`` (URL contract of ``sortierung``)."""
    if measure == NEED:
        return NEED_COLUMNS
    return (*KIND_SLUGS, NEED, "startchancen")


def parse_query(values: dict[str, str], levels: list[str]) -> tuple[PlanningQuery, dict[str, str]]:
    """The query, and an error message per bad parameter (whose default is used)."""
    errors: dict[str, str] = {}
    data = {k: v for k, v in values.items() if k in PlanningParams.model_fields and v != ""}
    while True:
        try:
            params = PlanningParams(**data)
            break
        except ValidationError as exc:
            for error in exc.errors():
                name = str(error["loc"][0])
                errors[name] = str(FIELD_MESSAGES.get(name, _("Ungültiger Wert.")))
                data.pop(name, None)
    if params.sortierung not in ("", "name", *column_keys(params.mass)):
        errors["sortierung"] = str(FIELD_MESSAGES["sortierung"])
        params.sortierung = ""
    for name in ("stand", "vergleich"):
        try:
            date.fromisoformat(getattr(params, name)) if getattr(params, name) else None
        except ValueError:
            errors[name] = str(FIELD_MESSAGES[name])
            setattr(params, name, "")
    if params.vergleich and not params.stand:
        params.stand, params.vergleich = params.vergleich, ""
    if params.ebene not in levels:
        errors["ebene"] = str(FIELD_MESSAGES["ebene"])
        params.ebene = TOP_LEVEL
    return PlanningQuery(**params.model_dump()), errors

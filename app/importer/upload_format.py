"""The staff upload's file format: the template's columns (``COLUMNS``), a cell read
into the model's value (``read_cells``), and offers written back into the same columns
(``to_upload_csv``, ``template_csv``), so a list can be downloaded, edited and
uploaded again. What an upload does with the values is ``app.importer.upload``."""

import re
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, select

from app.catalogue.audit import snapshot, snapshot_of_model
from app.catalogue.fields import FACT_FIELDS, TEXT_FIELDS, fact_text, text_value
from app.catalogue.hours import exceptions_text, hours_text, parse_exceptions_text, parse_hours_text
from app.formats.tabular import csv_text
from app.i18n import gettext as _
from app.models import Offer, OfferCreate
from app.models.categories import SLUGS

# column -> (model field, what it holds). The order is the template's.
COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("id", "leer: neues Angebot; Zahl: dieses Angebot ändern"),
    "version": (
        "version",
        "Version beim Herunterladen; ist das Angebot inzwischen geändert, wird die Zeile abgelehnt",
    ),
    "name": ("name", "Pflicht bei neuen Angeboten, 2 bis 300 Zeichen"),
    "kategorie": ("category", "Pflicht bei neuen Angeboten: " + ", ".join(SLUGS)),
    "weitere_kategorien": ("extra_categories", "weitere Kategorien, durch Komma getrennt"),
    "traeger": ("provider_name", "Name des Trägers"),
    "strasse": ("street", "Straße und Hausnummer"),
    "plz": ("postcode", "fünf Ziffern"),
    "ort": ("city", "leer: Bochum"),
    "telefon": ("contact_phone", "mindestens fünf Ziffern"),
    "email": ("contact_email", "name@beispiel.de"),
    "website": ("website", "www.beispiel.de"),
    "beschreibung": ("description", "bis 5000 Zeichen"),
    "zielgruppe": ("target_group", "in Worten"),
    "alter_von": ("age_min", "Jahre, ganze Zahl"),
    "alter_bis": ("age_max", "Jahre, ganze Zahl"),
    "alter_von_monate": ("age_min_months", "Monate, wo es darauf ankommt; gilt statt alter_von"),
    "alter_bis_monate": ("age_max_months", "Monate; gilt statt alter_bis"),
    "sprachen": ("languages", "durch Komma getrennt"),
    "kosten": ("costs", "in Worten, z. B. kostenlos"),
    "plaetze": ("capacity", "ganze Zahl"),
    "plaetze_u3": ("capacity_u3", "ganze Zahl, höchstens plaetze"),
    "barrierefrei": ("barrier_free", "ja, nein oder leer (keine Angabe)"),
    "stufenloser_eingang": ("step_free_entrance", "ja, nein oder leer"),
    "barrierefreies_wc": ("accessible_toilet", "ja, nein oder leer"),
    "aufzug": ("lift", "ja, nein oder leer"),
    "induktionsschleife": ("induction_loop", "ja, nein oder leer"),
    "leichte_sprache": ("easy_language", "ja, nein oder leer"),
    "versorgungsgebiet": ("service_area", "bei aufsuchenden Angeboten statt Adresse"),
    "oeffnungszeiten": ("opening_hours", "Mo 08:00–12:00, 14:00–16:00; Di 08:00–12:00"),
    "abweichungen": (
        "opening_exceptions",
        "24.12.2026–01.01.2027 geschlossen; 15.07.2026 10:00–12:00",
    ),
    "hinweis": ("notes", "Hinweis zu den Daten"),
}


COLUMN_OF = {model: column for column, (model, _) in COLUMNS.items()}


class BadCell(ValueError):
    """A cell that is no value of its column (the row goes on to name every one)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _bool(column: str, value: str) -> bool | None:
    folded = value.strip().lower()
    if folded in ("", "keine angabe"):
        return None
    if folded in ("ja", "j", "1", "true", "yes"):
        return True
    if folded in ("nein", "n", "0", "false", "no"):
        return False
    raise BadCell(column, _("„%(value)s“ ist nicht ja, nein oder leer", value=value))


def _int(column: str, value: str, high: int) -> int | None:
    if not value.strip():
        return None
    if not re.fullmatch(r"\s*\d{1,6}\s*", value) or int(value) > high:
        raise BadCell(
            column, _("„%(value)s“ ist keine ganze Zahl von 0 bis %(high)s", value=value, high=high)
        )
    return int(value)


def read_cells(columns: Sequence[str], raw: dict[str, str]) -> tuple[dict[str, Any], list[BadCell]]:
    """The model values of the row's columns, and every bad column (left out)."""
    out: dict[str, Any] = {}
    bad: list[BadCell] = []
    for column in columns:
        try:
            _change(out, column, raw[column])
        except BadCell as exc:
            bad.append(exc)
    return out, bad


def _change(out: dict[str, Any], column: str, value: str) -> None:
    model = COLUMNS[column][0]
    if model in ("id", "version"):
        return
    if model in TEXT_FIELDS:
        out[model] = text_value(model, value)
    elif model == "category":
        out[model] = value.strip()
    elif model in ("extra_categories", "languages"):
        out[model] = [p.strip() for p in value.split(",") if p.strip()]
    elif model in FACT_FIELDS:
        out[model] = _bool(column, value)
    elif model in ("capacity", "capacity_u3"):
        out[model] = _int(column, value, 100_000)
    elif model in ("age_min", "age_max"):
        out[model] = _int(column, value, 120)
        out.setdefault(f"{model}_months", None)  # years replace months, unless given
    elif model in ("age_min_months", "age_max_months"):
        out[model] = _int(column, value, 1440)
    elif model == "opening_hours":
        try:
            out[model] = parse_hours_text(value)
        except ValueError as exc:
            raise BadCell(column, str(exc)) from exc
    elif model == "opening_exceptions":
        try:
            out[model] = parse_exceptions_text(value)
        except ValueError as exc:
            raise BadCell(column, str(exc)) from exc


def _cell(model: str, values: dict[str, Any]) -> str:
    value = values.get(model)
    if model in FACT_FIELDS:
        return fact_text(value)
    if model == "opening_hours":
        return hours_text(value)
    if model == "opening_exceptions":
        return exceptions_text(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def to_upload_csv(session: Session, ids: Sequence[int]) -> str:
    """The offers ``ids`` in the template's columns (for editing and uploading again)."""
    rows = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        offers = {o.id: o for o in session.exec(select(Offer).where(Offer.id.in_(chunk)))}
        for offer_id in chunk:
            offer = offers.get(offer_id)
            if offer is None:
                continue
            values = {**snapshot(offer), "id": offer.id, "version": offer.version}
            rows.append([_cell(model, values) for model, _ in COLUMNS.values()])
    return csv_text(list(COLUMNS), rows)


def template_csv() -> str:
    """The documented template: the header and two example lines (marked generated)."""
    example = OfferCreate(
        name="Beispiel-Kita Sonnenblume (generiert)",
        category="kita",
        extra_categories=["familienzentrum"],
        provider_name="Beispiel-Träger (generiert)",
        street="Musterstraße 1",
        postcode="44787",
        contact_phone="0234 000000",
        contact_email="kita@example.org",
        website="www.example.org",
        description="Beispielzeile (generiert): bitte löschen oder überschreiben.",
        age_min_months=4,
        age_max=5,
        languages=["Deutsch", "Türkisch"],
        costs="Elternbeitrag",
        capacity=45,
        capacity_u3=10,
        step_free_entrance=True,
        accessible_toilet=False,
        opening_hours=[{"weekday": d, "opens": "07:00", "closes": "16:30"} for d in range(5)],
        opening_exceptions=[
            {"starts": "2026-12-24", "ends": "2027-01-01", "note": "Weihnachtsferien"}
        ],
    )
    visiting = OfferCreate(
        name="Beispiel-Besuchsdienst (generiert)",
        category="sonstiges",
        service_area="ganz Bochum",
        contact_phone="0234 000001",
        description="Beispielzeile (generiert).",
    )
    rows = []
    for data in (example, visiting):
        values = {**snapshot_of_model(data), "id": None, "version": None}
        rows.append([_cell(model, values) for model, _ in COLUMNS.values()])
    return csv_text(list(COLUMNS), rows)

"""An offer's fields and stored values in words, for the pages that show changes
(history, the merge page, a provider's pending edits) and the offer form."""

from typing import Any

from app.catalogue.hours import WEEKDAYS_SHORT, exceptions_text, hours_text
from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.models.categories import BY_SLUG

FIELD_LABELS: dict[str, Any] = {
    "name": _l("Name"),
    "category": _l("Art des Angebots"),
    "extra_categories": _l("Weitere Arten"),
    "provider_name": _l("Träger"),
    "street": _l("Straße und Hausnummer"),
    "postcode": _l("Postleitzahl"),
    "city": _l("Ort"),
    "lat": _l("Breite"),
    "lon": _l("Länge"),
    "contact_phone": _l("Telefon"),
    "contact_email": _l("E-Mail"),
    "website": _l("Internetseite"),
    "description": _l("Beschreibung"),
    "target_group": _l("Zielgruppe"),
    "age_min": _l("Alter von (Jahre)"),
    "age_max": _l("Alter bis (Jahre)"),
    "age_min_months": _l("Alter von (Monate)"),
    "age_max_months": _l("Alter bis (Monate)"),
    "age_is_typical": _l("Typische Altersspanne, keine Angabe des Anbieters"),
    "opening_hours": _l("Öffnungszeiten"),
    "opening_exceptions": _l("Abweichende Zeiten"),
    "languages": _l("Sprachen"),
    "costs": _l("Kosten"),
    "costs_kind": _l("Gebühr (danach filtern Eltern)"),
    "delivery": _l("Angebotsform"),
    "closed_on_holidays": _l("An Feiertagen geschlossen"),
    "closed_school_holidays": _l("In den Schulferien geschlossen"),
    "barrier_free": _l("Barrierefrei (zusammengefasst)"),
    "step_free_entrance": _l("Stufenloser Eingang"),
    "accessible_toilet": _l("Barrierefreies WC"),
    "lift": _l("Aufzug"),
    "induction_loop": _l("Induktionsschleife"),
    "easy_language": _l("Leichte Sprache"),
    "capacity": _l("Plätze"),
    "capacity_u3": _l("davon Plätze unter drei Jahren"),
    "service_area": _l("Versorgungsgebiet (aufsuchende Angebote)"),
    "notes": _l("Hinweis zu den Daten"),
    "archived": _l("Archiviert"),
    "last_verified": _l("Zuletzt geprüft"),
    "merged_into": _l("Zusammengeführt mit"),
}


def display(name: str, value: Any) -> str:
    """A stored value in words (history, the merge page)."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if name in ("category",):
        return str(BY_SLUG[value].label) if value in BY_SLUG else str(value)
    if name == "extra_categories":
        return ", ".join(str(BY_SLUG[v].label) if v in BY_SLUG else str(v) for v in value)
    if name == "opening_hours":
        return hours_text(value, WEEKDAYS_SHORT)
    if name == "opening_exceptions":
        return exceptions_text(value, _("geschlossen"))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:.6f}"
    return str(value)

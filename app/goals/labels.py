"""The words for the agreement's codes (statuses, indicator sources)."""

from app.i18n import lazy_gettext as _l

STATUS_LABELS = {
    "geplant": _l("geplant"),
    "begonnen": _l("begonnen"),
    "umgesetzt": _l("umgesetzt"),
    "verschoben": _l("verschoben"),
    "aufgegeben": _l("aufgegeben"),
}
SOURCE_LABELS = {
    "planung": _l("Maß der Planungsansicht"),
    "zahl": _l("veröffentlichte oder eingetragene Zahl"),
}
ENTITY_LABELS = {
    "field": _l("Handlungsfeld"),
    "goal": _l("Ziel"),
    "measure": _l("Maßnahme"),
    "indicator": _l("Kennzahl"),
    "note": _l("Notiz"),
}

"""Errors in words, in the page's language: a field or column as people call it
("Postleitzahl", not ``plz``), and one sentence per kind of validation error
("fünf Ziffern, z. B. 44787", not ``String should match pattern '^\\d{5}$'``).

Pages, uploads and loaders turn pydantic's errors into ``(field, sentence)`` with
``worded_errors``; ``RowError.worded`` puts the line in front ("Zeile 3, Postleitzahl:
…"). German is the source language; English comes from the catalogue.
"""

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l

# Field names of the models and column names of the files staff load, in words.
FIELD_LABELS: dict[str, Any] = {
    # the offer (model fields and the upload's columns)
    "id": _l("Nummer"),
    "version": _l("Version"),
    "name": _l("Name"),
    "category": _l("Kategorie"),
    "kategorie": _l("Kategorie"),
    "extra_categories": _l("weitere Kategorien"),
    "weitere_kategorien": _l("weitere Kategorien"),
    "provider_name": _l("Träger"),
    "traeger": _l("Träger"),
    "street": _l("Straße"),
    "strasse": _l("Straße"),
    "str_hausnr": _l("Straße"),
    "postcode": _l("Postleitzahl"),
    "plz": _l("Postleitzahl"),
    "plz_ort": _l("Postleitzahl und Ort"),
    "city": _l("Ort"),
    "ort": _l("Ort"),
    "contact_phone": _l("Telefon"),
    "telefon": _l("Telefon"),
    "contact_email": _l("E-Mail"),
    "email": _l("E-Mail"),
    "website": _l("Internetseite"),
    "link": _l("Internetseite"),
    "description": _l("Beschreibung"),
    "beschreibung": _l("Beschreibung"),
    "beschreib": _l("Beschreibung"),
    "target_group": _l("Zielgruppe"),
    "zielgruppe": _l("Zielgruppe"),
    "age_min": _l("Alter von"),
    "alter_von": _l("Alter von"),
    "age_max": _l("Alter bis"),
    "alter_bis": _l("Alter bis"),
    "alter_bis_unter": _l("Alter bis unter"),
    "age_min_months": _l("Alter von (Monate)"),
    "alter_von_monate": _l("Alter von (Monate)"),
    "age_max_months": _l("Alter bis (Monate)"),
    "alter_bis_monate": _l("Alter bis (Monate)"),
    "languages": _l("Sprachen"),
    "sprachen": _l("Sprachen"),
    "costs": _l("Kosten"),
    "kosten": _l("Kosten"),
    "capacity": _l("Plätze"),
    "plaetze": _l("Plätze"),
    "capacity_u3": _l("Plätze unter drei Jahren"),
    "plaetze_u3": _l("Plätze unter drei Jahren"),
    "barrier_free": _l("barrierefrei"),
    "barrierefrei": _l("barrierefrei"),
    "step_free_entrance": _l("stufenloser Eingang"),
    "stufenloser_eingang": _l("stufenloser Eingang"),
    "accessible_toilet": _l("barrierefreies WC"),
    "barrierefreies_wc": _l("barrierefreies WC"),
    "lift": _l("Aufzug"),
    "aufzug": _l("Aufzug"),
    "induction_loop": _l("Induktionsschleife"),
    "induktionsschleife": _l("Induktionsschleife"),
    "easy_language": _l("Leichte Sprache"),
    "leichte_sprache": _l("Leichte Sprache"),
    "service_area": _l("Versorgungsgebiet"),
    "versorgungsgebiet": _l("Versorgungsgebiet"),
    "opening_hours": _l("Öffnungszeiten"),
    "oeffnungszeiten": _l("Öffnungszeiten"),
    "opening_exceptions": _l("Abweichungen"),
    "abweichungen": _l("Abweichungen"),
    "notes": _l("Hinweis"),
    "hinweis": _l("Hinweis"),
    "lat": _l("Breitengrad"),
    "lon": _l("Längengrad"),
    "quellen": _l("Quellen"),
    "quelle_datum": _l("Datum der Quelle"),
    "stadtbezirk": _l("Stadtbezirk"),
    "poi_id": _l("POI-Nummer"),
    "key": _l("Schlüssel"),
    # residents per district (population tables)
    "bezirk": _l("Bezirk"),
    "jahr": _l("Jahr"),
    "einwohner": _l("Einwohner"),
    "quelle": _l("Quelle"),
    "stichtag": _l("Stichtag"),
    # published indicator tables
    "period": _l("Zeitraum"),
    "area": _l("Gebiet"),
    "indicator": _l("Kennzahl"),
    "value": _l("Wert"),
    "source_url": _l("Quelle (source_url)"),
    "topic": _l("Thema"),
    "level": _l("Ebene"),
    "unit": _l("Einheit"),
    "source_date": _l("Datum der Quelle"),
    "note": _l("Anmerkung"),
    # grids and district levels
    "x": _l("x-Koordinate"),
    "y": _l("y-Koordinate"),
    "x_mp_100m": _l("x-Koordinate (x_mp_100m)"),
    "y_mp_100m": _l("y-Koordinate (y_mp_100m)"),
    "geometry": _l("Grenze"),
    "nummer": _l("Nummer"),
    "parent_level": _l("Oberebene"),
    "feature": _l("Bezirk"),
    # the file as a whole
    "header": _l("Kopfzeile"),
    "record": _l("Zeile"),
    "row": _l("Zeile"),
    "file": _l("Datei"),
}

# What a field holds, as the sentence for a value of the wrong form.
FIELD_HINTS: dict[str, Any] = {
    "postcode": _l("fünf Ziffern, z. B. 44787"),
    "contact_phone": _l("mindestens fünf Ziffern, z. B. 0234 910-0"),
    "contact_email": _l("eine E-Mail-Adresse wie name@beispiel.de"),
    "website": _l("eine Internetadresse wie www.beispiel.de"),
    "category": _l("eine der Kategorien der Vorlage, z. B. kita"),
}

# Rules on the whole offer: the field they belong to and the sentence.
_MODEL_RULES: dict[str, tuple[str, Any]] = {
    "age_min ist größer als age_max": (
        "age_min",
        _l("das Alter „von“ ist größer als das Alter „bis“"),
    ),
    "capacity_u3 ist größer als capacity": (
        "capacity_u3",
        _l("mehr Plätze unter drei Jahren als Plätze insgesamt"),
    ),
    "lat und lon gehören zusammen": ("lat", _l("Breiten- und Längengrad gehören zusammen")),
}


def field_label(name: str) -> str:
    """``plz`` -> "Postleitzahl"; an unknown name stays as it is."""
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name


def error_sentence(err: Mapping[str, Any], field: str | None = None) -> str:
    """One pydantic error as a sentence in the page's language."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    hint = FIELD_HINTS.get(field or "")
    if kind == "value_error":
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        return message
    if kind == "missing":
        return _("fehlt")
    if kind in ("string_pattern_mismatch", "url_parsing", "url_scheme"):
        return str(hint) if hint is not None else _("hat nicht die erwartete Form")
    if kind == "string_too_long":
        return _("höchstens %(n)s Zeichen", n=ctx.get("max_length", ""))
    if kind == "string_too_short":
        return _("mindestens %(n)s Zeichen", n=ctx.get("min_length", ""))
    if kind in ("too_long",):
        return _("höchstens %(n)s Einträge", n=ctx.get("max_length", ""))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("keine ganze Zahl")
    if kind in ("float_parsing", "float_type"):
        return _("keine Zahl")
    if kind == "finite_number":
        return _("keine endliche Zahl")
    if kind in ("greater_than_equal", "greater_than"):
        return _("mindestens %(n)s", n=ctx.get("ge", ctx.get("gt", "")))
    if kind in ("less_than_equal", "less_than"):
        return _("höchstens %(n)s", n=ctx.get("le", ctx.get("lt", "")))
    if kind in ("bool_parsing", "bool_type"):
        return _("ja oder nein")
    if kind in ("time_parsing", "time_type"):
        return _("keine Uhrzeit wie 08:30")
    if kind in ("date_parsing", "date_type", "date_from_datetime_parsing"):
        return _("kein Datum wie 2026-12-24")
    if kind in ("literal_error", "enum"):
        return _("nicht erlaubt; erlaubt: %(expected)s", expected=ctx.get("expected", ""))
    if kind == "extra_forbidden":
        return _("unbekanntes Feld")
    if kind in ("string_type", "list_type", "dict_type", "model_type", "model_attributes_type"):
        if err.get("input", "") is None:
            return _("fehlt")  # an empty cell or null where a value is required
        return _("hat nicht die erwartete Form")
    if hint is not None:
        return str(hint)
    return _("ungültiger Wert")


def request_error_sentence(err: Mapping[str, Any]) -> str:
    """One error of a request (``loc`` like ``body.postcode``) as a sentence in the
    request's language; a rule on the whole body in its words, not its code."""
    names = [str(p) for p in err.get("loc", ()) if not str(p).isdigit()]
    message = str(err.get("msg", "")).removeprefix("Value error, ")
    if message in _MODEL_RULES:
        return str(_MODEL_RULES[message][1])
    return error_sentence(err, names[-1] if len(names) > 1 else None)


def worded_errors(
    exc: ValidationError, columns: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """(column, sentence) per error of ``exc``, the field named by ``columns`` (model
    field -> the file's column) where given; one sentence per column and kind."""
    out: list[tuple[str, str]] = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        name = loc[0] if loc else ""
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        if not loc and message in _MODEL_RULES:
            name, sentence = _MODEL_RULES[message][0], str(_MODEL_RULES[message][1])
        else:
            sentence = error_sentence(err, name)
            if len(loc) > 1:
                where = [p for p in loc[1:] if not p.isdigit()]
                numbers = [int(p) + 1 for p in loc[1:] if p.isdigit()]
                if numbers:
                    sentence = _("Eintrag %(n)s: %(text)s", n=numbers[0], text=sentence)
                if where:
                    sentence = f"{' '.join(where)}: {sentence}"
        column = (columns or {}).get(name, name)
        if (column, sentence) not in out:
            out.append((column, sentence))
    return out


# Codes shown to staff, in words.
ROLE_LABELS: dict[str, Any] = {
    "admin": _l("Administration"),
    "editor": _l("Redaktion"),
    "planner": _l("Planung"),
    "reader": _l("nur lesen"),
    "provider": _l("Träger-Konto"),
}
PROVIDER_KIND_LABELS: dict[str, Any] = {
    "kommunal": _l("kommunal (Stadt Bochum)"),
    "frei": _l("freier Träger"),
    "kirchlich": _l("kirchlicher Träger"),
    "privat": _l("privater Träger"),
    "verein": _l("Verein"),
    "unbekannt": _l("unbekannt"),
}
_SYSTEM_ACTORS: dict[str, Any] = {
    "import": _l("Import"),
    "system": _l("System"),
    "setup": _l("Einrichtung"),
}


def role_label(role: str) -> str:
    """A staff role in words ("editor" -> "Redaktion")."""
    return str(ROLE_LABELS.get(role, role))


def provider_kind_label(kind: str | None) -> str:
    """A provider's kind in words ("kirchlich" -> "kirchlicher Träger")."""
    return str(PROVIDER_KIND_LABELS.get(kind or "", kind or ""))


_ACCOUNT = re.compile(r"(?:user|token):\d+\s*")


def actor_label(actor: str | None, channel: str = "") -> str:
    """Who made a change, for people: the e-mail of a staff account, "Träger-Konto: …"
    for a provider's, the API token's name, "Öffentliche Korrektur" or "Import"; never
    the internal id of the change log's ``user:3 anna@example.org``."""
    actor = (actor or "").strip()
    correction = re.match(r"^correction:\d+\s*(.*)$", actor)
    if correction:
        by = actor_label(correction.group(1))
        return (
            _("Öffentliche Korrektur (übernommen von %(who)s)", who=by)
            if by
            else _("Öffentliche Korrektur")
        )
    if actor in _SYSTEM_ACTORS:
        return str(_SYSTEM_ACTORS[actor])
    token = re.match(r"^token:\d+\s*(.*)$", actor)
    if token:
        return (
            _("API-Zugang „%(name)s“", name=token.group(1)) if token.group(1) else _("API-Zugang")
        )
    accepted = re.match(r"^(.*?)\s*\(angenommen: (.*)\)$", actor)
    if accepted:
        return _(
            "%(who)s (angenommen von %(staff)s)",
            who=actor_label(accepted.group(1), channel),
            staff=actor_label(accepted.group(2)),
        )
    user = re.match(r"^user:\d+\s*(.*)$", actor)
    if user:
        who = user.group(1) or _("ein Konto")
        return _("Träger-Konto: %(email)s", email=who) if channel == "provider" else who
    return _ACCOUNT.sub("", actor)

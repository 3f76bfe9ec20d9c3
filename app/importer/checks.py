"""Checking one source row: each field by the same rules as the model, errors named
by the file's own column names."""

import re
from datetime import date

from pydantic import BaseModel, ValidationError

from app.i18n import gettext as _
from app.importer.rows import NRW_BOX, CuratedRow, PoiRow
from app.importer.rules import STADTBEZIRKE, categories_for
from app.messages import worded_errors
from app.models import OfferCreate
from app.models.types import LongText, Name, Street, WebAddress
from app.text import slugify
from app.urls import url_problem


def _iso_date(value: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(_("„%(value)s“ ist kein Datum JJJJ-MM-TT", value=value))
    return date.fromisoformat(value)


def _model_errors(exc: ValidationError, columns: dict[str, str]) -> list[tuple[str, str]]:
    """The model's errors in words, named by the file's columns."""
    return [(name or "record", text) for name, text in worded_errors(exc, columns)]


class PoiTexts(BaseModel):
    """The fields of a POI row that become offer fields, by the offer's own rules."""

    name: Name
    description: LongText | None = None
    website: WebAddress | None = None
    street: Street | None = None


_POI_MODEL_COLUMNS = {
    "name": "name",
    "description": "beschreib",
    "website": "link",
    "street": "str_hausnr",
    "postcode": "plz_ort",
}


_DIGITS = re.compile(r"\d+")
_PLZ_ORT = re.compile(r"(\S+)\s+(.+)")
_PLZ = re.compile(r"\d{5}")


def check_poi(rel: str, line: int, raw: dict[str, str]) -> tuple[PoiRow | None, list]:
    problems: list[tuple[str, str]] = []
    if not _DIGITS.fullmatch(raw["poi_id"]):
        problems.append(("poi_id", _("„%(value)s“ ist keine Nummer", value=raw["poi_id"])))
    plz_ort = _PLZ_ORT.fullmatch(raw["plz_ort"])
    postcode, city = (plz_ort.group(1), plz_ort.group(2)) if plz_ort else (raw["plz_ort"], "")
    if not _PLZ.fullmatch(postcode) or not city:
        problems.append(
            (
                "plz_ort",
                _("„%(value)s“ ist nicht „PLZ Ort“ mit fünfstelliger PLZ", value=raw["plz_ort"]),
            )
        )
    if raw["erstkateg"] not in ("0", "1"):
        problems.append(("erstkateg", _("„%(value)s“ ist nicht 0 oder 1", value=raw["erstkateg"])))
    if not raw["kateg_pfad"]:
        problems.append(("kateg_pfad", _("leer")))
    dates: dict[str, date | None] = {}
    for column in ("angelegt", "geaendert", "abrufdatum"):
        if not raw[column] and column != "angelegt":
            dates[column] = None
            continue
        try:
            dates[column] = _iso_date(raw[column])
        except ValueError as exc:
            problems.append((column, str(exc) if raw[column] else _("leer")))
    xy: list[float] = []
    for column in ("rechts_utm", "hoch_utm"):
        try:
            xy.append(float(raw[column].replace(",", ".")))
        except ValueError:
            problems.append((column, _("„%(value)s“ ist keine Zahl", value=raw[column])))
    if len(xy) == 2:
        x0, y0, x1, y1 = NRW_BOX
        if not x0 <= xy[0] <= x1:
            problems.append(
                (
                    "rechts_utm",
                    _("%(value)s ist kein EPSG:25832-Rechtswert in NRW", value=f"{xy[0]:.10g}"),
                )
            )
        if not y0 <= xy[1] <= y1:
            problems.append(
                (
                    "hoch_utm",
                    _("%(value)s ist kein EPSG:25832-Hochwert in NRW", value=f"{xy[1]:.10g}"),
                )
            )
    try:
        PoiTexts(
            name=raw["name"],
            description=raw["beschreib"] or None,
            website=raw["link"] or None,
            street=raw["str_hausnr"] or None,
        )
    except ValidationError as exc:
        problems += _model_errors(exc, _POI_MODEL_COLUMNS)
    if problems:
        return None, problems
    return PoiRow(
        file=rel,
        line=line,
        poi_id=raw["poi_id"],
        name=raw["name"],
        street=raw["str_hausnr"] or None,
        postcode=postcode,
        city=city,
        description=raw["beschreib"] or None,
        link=raw["link"] or None,
        primary=raw["erstkateg"] == "1",
        path=raw["kateg_pfad"],
        created=dates["angelegt"],
        changed=dates["geaendert"],  # type: ignore[arg-type]
        retrieved=dates["abrufdatum"],
        x=xy[0],
        y=xy[1],
        categories=tuple(categories_for(rel, raw)),
    ), []


_CURATED_MODEL_COLUMNS = {
    "name": "name",
    "category": "kategorie",
    "description": "beschreibung",
    "target_group": "zielgruppe",
    "contact_phone": "telefon",
    "website": "website",
    "service_area": "versorgungsgebiet",
    "notes": "hinweis",
    "street": "strasse",
    "postcode": "plz",
}
_DISTRICT_SLUGS = {slugify(name): name for name in STADTBEZIRKE}


def check_curated(rel: str, line: int, raw: dict[str, str]) -> tuple[CuratedRow | None, list]:
    problems: list[tuple[str, str]] = []
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,119}", raw["key"]):
        problems.append(
            ("key", _("„%(value)s“ ist kein Kürzel aus a-z, 0-9 und -", value=raw["key"]))
        )
    if raw["poi_id"] and not re.fullmatch(r"\d+", raw["poi_id"]):
        problems.append(("poi_id", _("„%(value)s“ ist keine Nummer", value=raw["poi_id"])))
    if raw["plz"] and not re.fullmatch(r"\d{5}", raw["plz"]):
        problems.append(("plz", _("„%(value)s“: fünf Ziffern, z. B. 44787", value=raw["plz"])))
    district = slugify(raw["stadtbezirk"]) if raw["stadtbezirk"] else None
    if district and district not in _DISTRICT_SLUGS:
        problems.append(
            (
                "stadtbezirk",
                _(
                    "„%(value)s“ ist keiner von %(names)s",
                    value=raw["stadtbezirk"],
                    names=", ".join(STADTBEZIRKE),
                ),
            )
        )
    urls = tuple(u.strip() for u in raw["quellen"].split(" | ") if u.strip())
    if not urls:
        problems.append(("quellen", _("keine Quelle (Internetadresse)")))
    for url in urls:
        if (problem := url_problem(url)) is not None:
            problems.append(("quellen", f"„{url}“: {problem}"))
    for column, limit in (("traeger", 300), ("quelle_datum", 200), ("ort", 100)):
        if len(raw[column]) > limit:
            problems.append((column, _("länger als %(n)s Zeichen", n=limit)))
    try:
        OfferCreate(
            name=raw["name"],
            category=raw["kategorie"],
            description=raw["beschreibung"] or None,
            target_group=raw["zielgruppe"] or None,
            contact_phone=raw["telefon"] or None,
            website=raw["website"] or None,
            service_area=raw["versorgungsgebiet"] or None,
            notes=raw["hinweis"] or None,
            street=raw["strasse"] or None,
        )
    except ValidationError as exc:
        problems += _model_errors(exc, _CURATED_MODEL_COLUMNS)
    if problems:
        return None, problems
    return CuratedRow(
        file=rel,
        line=line,
        key=raw["key"],
        category=raw["kategorie"],
        name=raw["name"],
        provider=raw["traeger"] or None,
        street=raw["strasse"] or None,
        postcode=raw["plz"] or None,
        city=raw["ort"] or "Bochum",
        district=district,
        poi_id=raw["poi_id"] or None,
        website=raw["website"] or None,
        phone=raw["telefon"] or None,
        target_group=raw["zielgruppe"] or None,
        description=raw["beschreibung"] or None,
        urls=urls,
        source_date=raw["quelle_datum"] or None,
        note=raw["hinweis"] or None,
        service_area=raw["versorgungsgebiet"] or None,
    ), []

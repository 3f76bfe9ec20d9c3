"""Offers as HSDS 3.0 objects: the service (list item and fully nested), its
organization, its service_at_location with location and address, phones, schedules,
languages, cost options (the costs and their kind), service areas, accessibility,
attributes (our kinds and the forms of the offer as taxonomy terms) and metadata (the
source). The holiday rules, which no RRULE can say, are schedules with only a
description in fixed words that the import reads back. What HSDS has no place for is
said in ``LOST`` (and on /api/docs).

Absent values are left out (HSDS types admit no ``null``). Texts stay as stored;
web addresses become absolute URIs (``www.x.de`` -> ``https://www.x.de``, other
characters percent-encoded) so that they pass ``format: uri``.
"""

from typing import Any

from app.hsds.ids import organization_id, service_id, uid
from app.hsds.records import OfferRecord
from app.hsds.schedules import schedules
from app.hsds.taxonomy import DELIVERY_TERM_IDS, TERM_IDS, delivery_term, term
from app.hsds.values import drop_empty, iso_date, timestamp, web_uri

STATUS = "active"  # archived offers are not published
# Accessibility facts as HSDS accessibility rows of the location: description -> field.
ACCESSIBILITY = {
    "barrier_free": "Barrierefrei",
    "step_free_entrance": "Stufenloser Eingang",
    "accessible_toilet": "Barrierefreies WC",
    "lift": "Aufzug",
    "induction_loop": "Induktionsschleife",
    "easy_language": "Leichte Sprache",
}
YES, NO = "ja", "nein"
# The costs kind as the cost option's ``option`` (free: also ``amount`` 0 EUR).
COST_OPTIONS = {
    "frei": "kostenlos",
    "kosten": "kostenpflichtig",
    "einkommensabhaengig": "einkommensabhängig",
}
CURRENCY = "EUR"
SOURCE_FIELDS = ("source_label", "source_date", "source_urls")
STATE = "Nordrhein-Westfalen"
COUNTRY = "DE"

LOST = (
    "What HSDS cannot hold of ours: the precision of a point and how it was found; the "
    "Stadtbezirk and postcode area it lies in; places (capacity, of them under three); "
    "staff notes; whether an age range is typical of the kind rather than stated (such "
    "ranges are left out); accessibility facts of an offer without an address (HSDS "
    "keeps them on the location); the time zone of opening hours (HSDS has only a fixed "
    "UTC offset, so times are local Europe/Berlin times without offset); the holiday "
    "rules as rules (closed on NRW public holidays, in NRW school holidays or their first "
    "weeks: HSDS has no holiday calendar, so they are words in a schedule's description, "
    "which our import reads back but from which other consumers cannot compute the days); "
    "the version and change log. What we cannot hold of HSDS: programs, funding, required "
    "documents, contacts by person, several locations or phones per service, monthly "
    "schedules, language codes, cost amounts other than 0 (free) and currencies (an amount "
    "above 0 is read as kostenpflichtig), organization identifiers."
)


def ages(row: dict[str, Any]) -> tuple[float | None, float | None]:
    """minimum_age, maximum_age in years (months / 12 where months are stated); a range
    only typical of the kind is not the provider's statement and is left out."""
    if row["age_is_typical"]:
        return None, None

    def one(years: int | None, months: int | None) -> float | None:
        if months is not None:
            return months // 12 if months % 12 == 0 else round(months / 12, 4)
        return years

    return one(row["age_min"], row["age_min_months"]), one(row["age_max"], row["age_max_months"])


def the_service_id(row: dict[str, Any]) -> str:
    return service_id(row["source"], row["source_id"], row["feed_id"])


def organization(row: dict[str, Any]) -> dict[str, Any] | None:
    if not row["provider"]:
        return None
    return organization_of(row["provider"], row["provider_kind"], row["provider_website"])


def organization_of(name: str, kind: str | None, website: str | None) -> dict[str, Any]:
    return {"id": organization_id(name), "name": name, "description": ""} | drop_empty(
        {
            "website": web_uri(website),
            "legal_status": kind if kind and kind != "unbekannt" else None,
        }
    )


def service_item(rec: OfferRecord) -> dict[str, Any]:
    """The one-to-one fields of a service (a list item)."""
    row = rec.row
    sid = the_service_id(row)
    minimum, maximum = ages(row)
    org = organization(row)
    item = drop_empty(
        {
            "id": sid,
            "organization_id": org["id"] if org else None,
            "name": row["name"],
            "description": row["description"],
            "url": web_uri(row["website"]),
            "email": row["email"],
            "status": STATUS,
            "fees_description": row["costs"],
            "eligibility_description": row["target_group"],
            "minimum_age": minimum,
            "maximum_age": maximum,
            "assured_date": iso_date(row["last_verified"]),
            "last_modified": timestamp(row["updated_at"]),
        }
    )
    if org:
        item["organization"] = org
    return item


def minimal_item(rec: OfferRecord) -> dict[str, Any]:
    row = rec.row
    return {
        "id": the_service_id(row),
        "name": row["name"],
        "status": STATUS,
        "last_modified": timestamp(row["updated_at"]),
    }


def cost_options(row: dict[str, Any], sid: str) -> list[dict[str, Any]]:
    """The costs as one cost option: the text as ``amount_description``, the kind as
    ``option`` (free of charge: also ``amount`` 0 in EUR)."""
    kind = row["costs_kind"]
    if not row["costs"] and not kind:
        return []
    free = kind == "frei"
    return [
        drop_empty(
            {
                "id": uid("cost_option", sid),
                "service_id": sid,
                "option": COST_OPTIONS.get(kind) if kind else None,
                "currency": CURRENCY if free else None,
                "amount": 0 if free else None,
                "amount_description": row["costs"],
            }
        )
    ]


def location(rec: OfferRecord, sid: str, nested: bool) -> dict[str, Any]:
    row = rec.row
    lid = uid("location", sid)
    loc = drop_empty(
        {
            "id": lid,
            "location_type": "physical",
            "organization_id": organization_id(row["provider"]) if row["provider"] else None,
            "name": row["name"],
            "latitude": row["lat"],
            "longitude": row["lon"],
        }
    )
    if not nested:
        return loc
    loc["addresses"] = (
        [
            {
                "id": uid("address", sid),
                "location_id": lid,
                "address_1": row["street"] or "",
                "city": row["city"] or "",
                "state_province": STATE,
                "postal_code": row["postcode"] or "",
                "country": COUNTRY,
                "address_type": "physical",
            }
        ]
        if row["street"] or row["postcode"]
        else []
    )
    loc["accessibility"] = [
        {
            "id": uid("accessibility", sid, name),
            "location_id": lid,
            "description": label,
            "details": YES if row[name] else NO,
        }
        for name, label in ACCESSIBILITY.items()
        if row[name] is not None
    ]
    return loc


def service_at_location_item(rec: OfferRecord) -> dict[str, Any]:
    sid = the_service_id(rec.row)
    return {
        "id": uid("service_at_location", sid),
        "service_id": sid,
        "location_id": uid("location", sid),
        "location": location(rec, sid, nested=False),
        "service": service_item(rec),
    }


def service_at_location_full(rec: OfferRecord, base: str) -> dict[str, Any]:
    full = service_full(rec, base)
    sal = full.pop("service_at_locations")[0]
    return {**sal, "service": full}


def _sal(rec: OfferRecord, sid: str) -> list[dict[str, Any]]:
    if rec.row["location_id"] is None:
        return []
    return [
        {
            "id": uid("service_at_location", sid),
            "service_id": sid,
            "location_id": uid("location", sid),
            "location": location(rec, sid, nested=True),
        }
    ]


def service_full(rec: OfferRecord, base: str) -> dict[str, Any]:
    """The fully nested service (``/services/{id}``, the ndjson dump)."""
    row = rec.row
    sid = the_service_id(row)
    full = service_item(rec)
    full["phones"] = (
        [{"id": uid("phone", sid, 0), "service_id": sid, "number": row["phone"]}]
        if row["phone"]
        else []
    )
    full["schedules"] = schedules(rec, sid)
    full["service_areas"] = (
        [{"id": uid("service_area", sid), "service_id": sid, "name": row["service_area"]}]
        if row["service_area"]
        else []
    )
    full["service_at_locations"] = _sal(rec, sid)
    full["languages"] = [
        {"id": uid("language", sid, n), "service_id": sid, "name": name}
        for n, name in enumerate(row["languages"] or [])
    ]
    full["cost_options"] = cost_options(row, sid)
    full["contacts"] = []
    full["attributes"] = [
        {
            "id": uid("attribute", sid, slug),
            "link_id": sid,
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": TERM_IDS[slug],
            "value": "main" if n == 0 else "additional",
            "taxonomy_term": term(slug, base),
        }
        for n, slug in enumerate(rec.categories)
        if slug in TERM_IDS
    ] + [
        {
            "id": uid("attribute", sid, "angebotsform", mode),
            "link_id": sid,
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": DELIVERY_TERM_IDS[mode],
            "taxonomy_term": delivery_term(mode, base),
        }
        for mode in row["delivery"] or []
        if mode in DELIVERY_TERM_IDS
    ]
    full["metadata"] = metadata(row, sid)
    return full


def metadata(row: dict[str, Any], sid: str) -> list[dict[str, Any]]:
    """The source of the entry, its date and address(es), as HSDS metadata rows
    (``last_action_type`` "source"; ``last_action_date`` the source's change date)."""
    day = iso_date(row["source_changed"]) or timestamp(row["updated_at"])[:10]
    label = row["source_label"] or row["source"]
    values = {
        # an offer without a label is named by its source, as the import would
        # otherwise name it after the feed's file (and a second dump would differ)
        "source_label": label,
        "source_date": row["source_date"],
        "source_urls": " ".join(row["source_urls"] or []),
    }
    return [
        {
            "id": uid("metadata", sid, name),
            "resource_id": sid,
            "resource_type": "service",
            "last_action_date": day,
            "last_action_type": "source",
            "field_name": name,
            "previous_value": "",
            "replacement_value": value,
            "updated_by": label,
        }
        for name, value in values.items()
        if value
    ]

"""Turning checked source rows into offers: which rows make one offer, and its fields.

One offer per city ``poi_id`` (all its categories); a curated row with a ``poi_id``
enriches that POI, any other curated row is an offer of its own, placed at a city POI
only where the street and house number are the same. ``compose`` derives every field,
``OfferRecord`` is exactly what the importer writes and hashes.
"""

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any

from app.i18n import gettext as _
from app.importer import candidates as cand
from app.importer.rows import CuratedRow, PoiRow, RowError, SourceFile
from app.importer.rules import (
    DAYCARE,
    OGS,
    POI_SOURCE_URLS,
    SCHOOL_DIRECTORY_LABEL,
    SCHOOL_DIRECTORY_URL,
    SCHOOLS,
    kita_provider_kind,
)
from app.importer.schools import SchoolRow
from app.importer.source_text import latest_source_date, parse_age_range
from app.models.categories import BY_SLUG
from app.text import address_key

SOURCE_POI = "stadt-bochum-poi"
SOURCE_CURATED = "kuratiert"
POI_LABEL = "Stadt Bochum, Open Data (CC0), POI {poi_id}"
CURATED_LABEL = "Kuratierte Liste aus öffentlichen Seiten"
SAME_ADDRESS_MAX_M = 100.0  # POIs sharing an address must lie this close to be used

Key = tuple[str, str]


@dataclass
class Draft:
    """The rows one offer is made of, before its fields are derived."""

    source: str
    source_id: str
    categories: list[str]  # the first is the main category
    poi: PoiRow | None = None  # gives name and place
    poi_files: list[str] = field(default_factory=list)
    curated: list[CuratedRow] = field(default_factory=list)
    address_poi: PoiRow | None = None  # a city POI at the curated row's address
    candidate: cand.Candidate | None = None  # a found point, address or phone
    school: SchoolRow | None = None  # the school directory's row of a school POI
    depends_on: set[str] = field(default_factory=set)  # files with a bad row it would use

    @property
    def files(self) -> set[str]:
        """Every file this offer draws on: it is not written if one was rejected."""
        found = {*self.poi_files, *(c.file for c in self.curated), *self.depends_on}
        for row in (self.address_poi, self.candidate, self.school):
            if row is not None:
                found.add(row.file)
        return found

    @property
    def is_school(self) -> bool:
        return bool({SCHOOLS, OGS} & set(self.poi_files))

    @property
    def origin(self) -> tuple[str, int]:
        """The row that gives the offer's place (for messages)."""
        row = self.poi or self.curated[0]
        return row.file, row.line

    @property
    def blame(self) -> tuple[str, int]:
        """The row most fields come from: the curated one, if any."""
        row = self.curated[0] if self.curated else self.poi
        assert row is not None
        return row.file, row.line


@dataclass
class OfferRecord:
    """One offer as the sources describe it: exactly what is written and hashed.

    ``fields`` holds the offer's own fields, named as in ``OfferCreate`` (which
    ``check`` validates them into); the rest says where it comes from and where it is.
    """

    source: str
    source_id: str
    fields: dict[str, Any]
    provider_kind: str
    x: float | None
    y: float | None
    placed_by: str | None
    precision: str | None
    source_urls: list[str]
    source_label: str
    source_date: str | None
    source_changed: date | None
    district_hint: str | None = None
    lon: float | None = None
    lat: float | None = None
    plz_area: str | None = None
    district_slug: str | None = None
    district_from: str | None = None

    @property
    def key(self) -> Key:
        return self.source, self.source_id

    @property
    def has_location(self) -> bool:
        return bool(self.fields.get("street") or self.fields.get("postcode") or self.x is not None)

    def source_hash(self) -> str:
        """A digest of every field but the hint. ``repr`` of the flat values (strings,
        numbers, dates, lists, the fields mapping in its fixed order) is stable from
        run to run and cheaper than JSON."""
        payload = tuple(getattr(self, name) for name in _HASHED)
        return hashlib.sha256(repr(payload).encode("utf-8")).hexdigest()


_HASHED = tuple(f.name for f in dataclass_fields(OfferRecord) if f.name != "district_hint")


def build_drafts(
    sources: dict[str, SourceFile], reject: Callable[[RowError], None], warn: Callable[[str], None]
) -> dict[Key, Draft]:
    """Group the valid rows of all files into offers; ``reject`` gets rows that cannot
    be used (a ``poi_id`` no POI file has), ``warn`` what a person should look at."""
    order = {rel: i for i, rel in enumerate(sources)}
    by_id: dict[str, list[PoiRow]] = defaultdict(list)
    by_address: dict[str, list[PoiRow]] = defaultdict(list)
    bad_by_id: dict[str, tuple[str, int]] = {}
    bad_by_address: dict[str, str] = {}
    for source in sources.values():
        if source.kind != "poi":
            continue
        for row in source.rows:
            by_id[row.poi_id].append(row)
            if address := address_key(row.street):
                by_address[address].append(row)
        for line, poi_id, street in source.bad_rows:
            bad_by_id.setdefault(poi_id, (source.rel, line))
            if address := address_key(street):
                bad_by_address.setdefault(address, source.rel)

    def first_rows(rows: list[PoiRow]) -> list[PoiRow]:
        return sorted(rows, key=lambda r: (not r.primary, order[r.file], r.line))

    drafts: dict[Key, Draft] = {}
    for poi_id, rows in by_id.items():
        matched = first_rows([r for r in rows if r.categories])
        if not matched:
            continue
        categories = list(dict.fromkeys(c for r in matched for c in r.categories))
        drafts[(SOURCE_POI, poi_id)] = Draft(
            SOURCE_POI,
            poi_id,
            categories,
            poi=matched[0],
            poi_files=list(dict.fromkeys(r.file for r in matched)),
        )

    curated = [row for s in sources.values() if s.kind == "curated" for row in s.rows]
    for row in curated:
        if not row.poi_id:
            draft = Draft(SOURCE_CURATED, row.key, [row.category], curated=[row])
            if not row.service_area:
                draft.address_poi = _same_address(row, by_address, first_rows, warn)
                address = address_key(row.street)
                if draft.address_poi is None and address in bad_by_address:
                    draft.depends_on.add(bad_by_address[address])
            drafts[(SOURCE_CURATED, row.key)] = draft
            continue
        draft = drafts.get((SOURCE_POI, row.poi_id))
        if draft is None:
            found = first_rows(by_id.get(row.poi_id, []))
            if not found and row.poi_id in bad_by_id:
                file, line = bad_by_id[row.poi_id]
                message = _(
                    "nicht importiert: die Zeile von POI %(id)s (%(where)s) ist fehlerhaft",
                    id=row.poi_id,
                    where=f"{file}:{line}",
                )
                warn(str(RowError(row.file, row.line, "poi_id", message)))
                continue
            if not found:
                reject(
                    RowError(
                        row.file,
                        row.line,
                        "poi_id",
                        _("POI %(id)s steht in keiner POI-Datei der Stadt", id=row.poi_id),
                    )
                )
                continue
            draft = drafts[(SOURCE_POI, row.poi_id)] = Draft(
                SOURCE_POI, row.poi_id, [row.category], poi=found[0], poi_files=[found[0].file]
            )
        elif row.category not in draft.categories:
            draft.categories.append(row.category)
        draft.curated.append(row)
    return drafts


def _same_address(
    row: CuratedRow,
    by_address: dict[str, list[PoiRow]],
    first_rows: Callable[[list[PoiRow]], list[PoiRow]],
    warn: Callable[[str], None],
) -> PoiRow | None:
    """The city POI at the same street and house number, if there is exactly one place."""
    address = address_key(row.street)
    if not address or address not in by_address:
        return None
    candidates = first_rows(by_address[address])
    best = candidates[0]
    if any(math.dist((best.x, best.y), (c.x, c.y)) > SAME_ADDRESS_MAX_M for c in candidates):
        ids = ", ".join(sorted({c.poi_id for c in candidates}, key=int))
        message = _(
            "„%(street)s“ passt zu den städtischen POIs %(ids)s an verschiedenen Orten; "
            "ohne Punkt gelassen",
            street=row.street,
            ids=ids,
        )
        warn(str(RowError(row.file, row.line, "strasse", message)))
        return None
    return best


def _unique(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def compose(draft: Draft) -> OfferRecord:
    """Derive every field of the offer from its rows."""
    curated = draft.curated

    def first(attr: str):
        if not curated:
            return None
        return next((getattr(c, attr) for c in curated if getattr(c, attr)), None)

    main = draft.categories[0]
    target_group = first("target_group")
    ages = parse_age_range(target_group)
    typical = BY_SLUG[main].typical_age
    if ages:
        age_min, age_max, age_is_typical = ages[0], ages[1], False
    elif typical:
        age_min, age_max, age_is_typical = typical[0], typical[1], True
    else:
        age_min = age_max = None
        age_is_typical = False
    curated_urls = [u for c in curated for u in c.urls]
    curated_changed = [d for c in curated if (d := latest_source_date(c.source_date))]
    curated_dates = "; ".join(_unique(c.source_date for c in curated)) or None
    common = dict(
        category=main,
        extra_categories=sorted(set(draft.categories)),
        target_group=target_group,
        age_min=age_min,
        age_max=age_max,
        age_is_typical=age_is_typical,
        service_area=first("service_area"),
        notes="\n".join(_unique(c.note for c in curated)) or None,
        provider_name=first("provider"),
    )
    origin = dict(source=draft.source, source_id=draft.source_id, district_hint=first("district"))
    poi = draft.poi
    if poi is not None:
        poi_changed = poi.changed or poi.created
        poi_dates = f"geändert {poi.changed}" if poi.changed else f"angelegt {poi.created}"
        if poi.retrieved:
            poi_dates += f", abgerufen {poi.retrieved}"
        labels = [POI_LABEL.format(poi_id=poi.poi_id), *([CURATED_LABEL] if curated else [])]
        dates = [poi_dates, *([f"kuratiert: {curated_dates}"] if curated_dates else [])]
        school = draft.school
        if school is not None:
            labels.append(SCHOOL_DIRECTORY_LABEL)
            dates.append("Schulverzeichnis 2024/25")
        return OfferRecord(
            **origin,
            fields={
                **common,
                "name": poi.name,
                "description": first("description") or poi.description,
                "contact_phone": first("phone") or (school.phone if school else None),
                "contact_email": school.email if school else None,
                "website": poi.link or first("website"),
                "street": poi.street,
                "postcode": poi.postcode,
                "city": poi.city,
            },
            provider_kind=kita_provider_kind(poi.path) if poi.file == DAYCARE else "unbekannt",
            x=poi.x,
            y=poi.y,
            placed_by=f"Stadt Bochum, Open Data (POI {poi.poi_id})",
            precision="exact",
            source_urls=_unique(
                [
                    *(POI_SOURCE_URLS.get(f) for f in draft.poi_files),
                    *curated_urls,
                    SCHOOL_DIRECTORY_URL if school else None,
                ]
            ),
            source_label="; ".join(labels),
            source_date="; ".join(dates),
            source_changed=max([poi_changed, *curated_changed]),
        )
    row = curated[0]
    at = draft.address_poi
    found = draft.candidate
    placed = at is None and found is not None and found.precision is not None
    located = not row.service_area or placed
    street, postcode = row.street, row.postcode
    if found is not None and at is None and cand.same_place(row.street, found):
        street = cand.street_for(row.street, found)
        postcode = postcode or found.postcode
    labels, urls, dates = [CURATED_LABEL], list(curated_urls), [row.source_date]
    if found is not None:
        labels.append(cand.LABEL)
        urls += found.urls
        dates.append(f"Lage: {found.source_date}" if found.source_date else None)
    if at is not None:
        x, y, precision = at.x, at.y, "address"
        placed_by = f"Adresse wie städtischer POI {at.poi_id} (Stadt Bochum, Open Data)"
        urls.append(POI_SOURCE_URLS.get(at.file))
    elif placed:
        x, y, precision, placed_by = found.x, found.y, found.precision, found.placed_by
    else:
        x = y = precision = placed_by = None
    return OfferRecord(
        **origin,
        fields={
            **common,
            "name": row.name,
            "description": row.description,
            "website": row.website,
            "contact_phone": first("phone") or (found.phone if found else None),
            "contact_email": None,
            "street": street if located else None,
            "postcode": (postcode or (at.postcode if at else None)) if located else None,
            "city": row.city,
        },
        provider_kind="unbekannt",
        x=x,
        y=y,
        placed_by=placed_by,
        precision=precision,
        source_urls=_unique(urls),
        source_label="; ".join(labels),
        source_date="; ".join(_unique(dates)) or None,
        source_changed=max(curated_changed, default=None),
    )

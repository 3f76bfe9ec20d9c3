"""Load the Kita facts from press and provider pages
(``kitas/bochum_kitas_facts_from_public_pages.csv``) as sourced facts: one
``OfferFact`` per row, tied to the offer built from the row's city POI (if any). Nothing
is copied into an offer's own fields and no offer is created or archived from a row:
closures and Kitas not in the city file go to staff as a list (app.catalogue.kitafacts).

Rows are keyed by a hash of their content, so a second run with the same file changes
nothing; rows gone from the file are removed.
"""

import csv
import hashlib
import re
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from app.errors import RowError
from app.i18n import gettext as _
from app.importer.records import SOURCE_POI
from app.models import Offer, OfferFact
from app.urls import check_url

FACTS_FILE = "kitas/bochum_kitas_facts_from_public_pages.csv"

# The file's fact names -> what the fact is about (app.models.kitafacts.FACT_KINDS).
KINDS = {
    "plaetze": "places",
    "u3_plaetze": "places",
    "plaetze_u3_ue3": "places",
    "gruppen": "groups",
    "telefon": "phone",
    "oeffnungszeiten": "hours",
    "schliesszeiten": "hours",
    "status": "status",
    "familienzentrum_seit": "familienzentrum_since",
}
# What a re-import may change on a stored fact (the rest is in its key).
SYNCED = ("offer_id", "kind", "value", "address_in_source", "as_of", "note")
_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_MONTH = re.compile(r"^(\d{4})-(\d\d)")


def as_of(source_date: str, year_approx: str) -> date | None:
    """The earliest day the source's date allows (a month: its first day; a year only:
    1 January), so that an edit after it is surely newer."""
    text = source_date.strip()
    try:
        if m := _DAY.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH.match(text):
            return date(int(m[1]), int(m[2]), 1)
        if year_approx.strip().isdigit():
            return date(int(year_approx.strip()), 1, 1)
    except ValueError:
        return None
    return None


def _key(row: dict[str, str]) -> str:
    parts = [row.get(c, "") for c in ("poi_id", "fact", "value", "unit", "name_in_source")]
    parts += [row.get("source_url", ""), row.get("source_date", "")]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def read_facts(path: Path) -> tuple[list[OfferFact], list[str]]:
    """The file's rows as (unsaved) facts, and a warning per row left out (with its line)."""
    facts: list[OfferFact] = []
    warnings: list[str] = []
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            fact = (row.get("fact") or "").strip()
            value = (row.get("value") or "").strip()
            unit = (row.get("unit") or "").strip()
            if fact not in KINDS:
                message = _("unbekannte Art „%(kind)s“; Zeile ausgelassen", kind=fact)
                warnings.append(str(RowError(FACTS_FILE, line, "fact", message)))
                continue
            try:
                url = check_url(row.get("source_url") or "")
            except ValueError as e:
                message = _("%(problem)s; Zeile ausgelassen", problem=e)
                warnings.append(str(RowError(FACTS_FILE, line, "source_url", message)))
                continue
            if not value:
                message = _("leer; Zeile ausgelassen")
                warnings.append(str(RowError(FACTS_FILE, line, "value", message)))
                continue
            source_date = (row.get("source_date") or "").strip()
            facts.append(
                OfferFact(
                    row_key=_key(row),
                    poi_id=(row.get("poi_id") or "").strip() or None,
                    kind=KINDS[fact],
                    fact=fact,
                    value=f"{value} {unit}" if unit and unit not in (value, "Jahr") else value,
                    name_in_source=(row.get("name_in_source") or "").strip(),
                    address_in_source=(row.get("address_in_source") or "").strip(),
                    source_url=url,
                    source_date=source_date,
                    as_of=as_of(source_date, row.get("source_year_approx") or ""),
                    note=(row.get("note") or "").strip(),
                )
            )
    return facts, warnings


def load_kita_facts(session: Session, data_dir: Path) -> list[str]:
    """Sync the facts file into ``offer_fact``; returns warnings. No file: nothing."""
    path = Path(data_dir) / FACTS_FILE
    if not path.is_file():
        return []
    facts, warnings = read_facts(path)
    pois = {f.poi_id for f in facts if f.poi_id}
    offer_of = dict(
        session.exec(
            select(Offer.source_id, Offer.id).where(
                Offer.source == SOURCE_POI, Offer.source_id.in_(pois)
            )
        ).all()
    )
    stored = {f.row_key: f for f in session.exec(select(OfferFact)).all()}
    wanted = {f.row_key for f in facts}
    for fact in facts:
        fact.offer_id = offer_of.get(fact.poi_id) if fact.poi_id else None
        old = stored.get(fact.row_key)
        if old is None:
            session.add(fact)
        else:
            changed = {n: getattr(fact, n) for n in SYNCED if getattr(old, n) != getattr(fact, n)}
            if changed:
                for name, value in changed.items():
                    setattr(old, name, value)
                session.add(old)
    for key, old in stored.items():
        if key not in wanted:
            session.delete(old)
    unmatched = sorted({f.poi_id for f in facts if f.poi_id and f.poi_id not in offer_of})
    if unmatched:
        warnings.append(
            f"{FACTS_FILE}: " + _("POIs ohne Angebot: %(ids)s", ids=", ".join(unmatched))
        )
    session.flush()
    return warnings

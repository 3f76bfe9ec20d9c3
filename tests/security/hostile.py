"""Hostile text and the offers that carry it, built through the real write path.

Every text an offer has gets the same payloads: markup that would run script if it
reached a page unescaped, a template expression that would show 49 if any template
evaluated data, and cells a spreadsheet would run as formulas. All marked "generiert".
"""

import itertools

from sqlmodel import Session

from app.catalogue.write import create_offer
from app.catalogue.writers import Actor, SourceInfo
from app.models import Offer, OfferCreate

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(2)>'
TEMPLATE = "{{7*7}}"
XSS = (SCRIPT, BREAKOUT, TEMPLATE)
# What must never appear in an HTML page: the payloads' markup, unescaped.
RAW_MARKUP = ("<script>alert(", "<img src=x onerror", '<img src="x"')

FORMULAS = (
    '=HYPERLINK("http://beispiel.invalid","klick")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "=cmd|' /C calc'!A0",
)


def xss_text(label: str) -> str:
    """A text with every payload; ``label`` tells which field it is in."""
    return f"{label} {SCRIPT} {BREAKOUT} {TEMPLATE} (generiert)"


# Every text field of OfferCreate, with a payload fitting its length limit. Fields with
# a strict format (phone, e-mail, postcode) cannot hold markup; the website's rule lets
# quotes and angle brackets through, so it gets a breakout too.
def xss_offer_fields() -> dict[str, object]:
    return {
        "name": xss_text("Testkita"),
        "description": xss_text("Beschreibung"),
        "target_group": xss_text("Zielgruppe"),
        "costs": xss_text("Kosten"),
        "service_area": xss_text("Versorgungsgebiet"),
        "notes": xss_text("Hinweis"),
        "provider_name": xss_text("Träger"),
        "street": xss_text("Straße"),
        "city": f"Bochum {TEMPLATE} {BREAKOUT}"[:100],
        "languages": [xss_text("Sprache")],
        "website": 'https://beispiel.invalid/"><img/src=x/onerror=alert(3)>',
        "postcode": "44787",
        "lat": 51.4818,
        "lon": 7.2162,
    }


def formula_offer_fields() -> dict[str, object]:
    """Text fields that begin like formulas (OWASP CSV injection)."""
    return {
        "name": FORMULAS[0],
        "description": FORMULAS[1],
        "target_group": FORMULAS[2],
        "costs": FORMULAS[3],
        "notes": FORMULAS[4],
        "provider_name": "=1+1 Träger (generiert)",
        "street": "-1+1 Straße (generiert)",
        "service_area": "@Versorgungsgebiet (generiert)",
        "languages": ["=Sprache (generiert)"],
    }


STAFF = Actor("sicherheitstest (generiert)", "page")
_seq = itertools.count(1)


def make_hostile_offer(
    session: Session, fields: dict[str, object], *, category: str = "kita", label: str = "Quelle"
) -> Offer:
    """An offer with ``fields`` whose source label and URL are hostile too."""
    data = OfferCreate(category=category, **fields)
    offer = create_offer(
        session,
        data,
        STAFF,
        source=SourceInfo(
            "test",
            f"hostile-{next(_seq)}",
            source_urls=["https://beispiel.invalid/?a=<script>alert(4)</script>"],
            source_label=xss_text(label),
            source_date="2024 " + TEMPLATE,
        ),
    )
    session.commit()
    session.refresh(offer)
    return offer

"""Our offer kinds and the forms of an offer as HSDS taxonomies, each term with a
stable id (uuid5 of the slug) and URI (the public search of it): the kinds
("Angebotsarten", one term per kind) and the forms of the offer ("Angebotsformen":
vor-ort, online, telefon, aufsuchend)."""

from typing import Any, get_args

from app.hsds.ids import uid
from app.models.categories import BY_SLUG, CATEGORIES
from app.models.types import DeliveryMode
from app.search.filters.offer import delivery_labels

TAXONOMY_ID = uid("taxonomy", "angebotsarten")
TAXONOMY_NAME = "Familienwegweiser Bochum: Angebotsarten"
TAXONOMY_VERSION = "1"
TERM_IDS: dict[str, str] = {c.slug: uid("taxonomy_term", c.slug) for c in CATEGORIES}
SLUG_OF_TERM: dict[str, str] = {v: k for k, v in TERM_IDS.items()}

DELIVERY_TAXONOMY_ID = uid("taxonomy", "angebotsformen")
DELIVERY_TAXONOMY_NAME = "Familienwegweiser Bochum: Angebotsformen"
DELIVERY_MODES: tuple[str, ...] = get_args(DeliveryMode)  # vor-ort, online, telefon, aufsuchend
DELIVERY_TERM_IDS: dict[str, str] = {
    mode: uid("taxonomy_term", "angebotsform", mode) for mode in DELIVERY_MODES
}
DELIVERY_OF_TERM: dict[str, str] = {v: k for k, v in DELIVERY_TERM_IDS.items()}


def taxonomy(base: str) -> dict[str, Any]:
    return {
        "id": TAXONOMY_ID,
        "name": TAXONOMY_NAME,
        "description": (
            "Die Angebotsarten des Familienwegweisers Bochum (Bestandsaufnahme der "
            "Familiengerechten Kommune); der Code ist der Kurzname der Art in den URLs."
        ),
        "uri": f"{base}/api/hsds/taxonomies/{TAXONOMY_ID}",
        "version": TAXONOMY_VERSION,
    }


def delivery_taxonomy(base: str) -> dict[str, Any]:
    return {
        "id": DELIVERY_TAXONOMY_ID,
        "name": DELIVERY_TAXONOMY_NAME,
        "description": (
            "Wie ein Angebot die Familien erreicht: vor Ort, online, am Telefon oder "
            "aufsuchend (es kommt zur Familie); der Code ist der Wert des Filters "
            "„angebotsform“ in den URLs."
        ),
        "uri": f"{base}/api/hsds/taxonomies/{DELIVERY_TAXONOMY_ID}",
        "version": TAXONOMY_VERSION,
    }


def taxonomies(base: str) -> list[dict[str, Any]]:
    return [taxonomy(base), delivery_taxonomy(base)]


def term(slug: str, base: str) -> dict[str, Any]:
    cat = BY_SLUG[slug]
    return {
        "id": TERM_IDS[slug],
        "code": slug,
        "name": str(cat.label),
        "description": str(cat.plural),
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_detail": taxonomy(base),
        "language": "de",
        "taxonomy_id": TAXONOMY_ID,
        "term_uri": f"{base}/angebote?kategorie={slug}",
    }


def delivery_term(mode: str, base: str) -> dict[str, Any]:
    label = delivery_labels()[mode]
    return {
        "id": DELIVERY_TERM_IDS[mode],
        "code": mode,
        "name": label,
        "description": label,
        "taxonomy": DELIVERY_TAXONOMY_NAME,
        "taxonomy_detail": delivery_taxonomy(base),
        "language": "de",
        "taxonomy_id": DELIVERY_TAXONOMY_ID,
        "term_uri": f"{base}/angebote?angebotsform={mode}",
    }


def terms(base: str) -> list[dict[str, Any]]:
    """Every term: the kinds, then the forms of an offer."""
    return [term(c.slug, base) for c in CATEGORIES] + [
        delivery_term(mode, base) for mode in DELIVERY_MODES
    ]

"""Our offer kinds as an HSDS taxonomy: one taxonomy, one term per kind, with stable
ids (uuid5 of the slug) and URIs (the public search of the kind)."""

from typing import Any

from app.hsds.ids import uid
from app.models.categories import BY_SLUG, CATEGORIES

TAXONOMY_ID = uid("taxonomy", "angebotsarten")
TAXONOMY_NAME = "Familienwegweiser Bochum: Angebotsarten"
TAXONOMY_VERSION = "1"
TERM_IDS: dict[str, str] = {c.slug: uid("taxonomy_term", c.slug) for c in CATEGORIES}
SLUG_OF_TERM: dict[str, str] = {v: k for k, v in TERM_IDS.items()}


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


def terms(base: str) -> list[dict[str, Any]]:
    return [term(c.slug, base) for c in CATEGORIES]

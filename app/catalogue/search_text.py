"""What search and sorting read of an offer: its words (name, description, target group,
provider, street, kinds) and its sort key; recomputed after every change."""

from collections.abc import Sequence

from app.models import Offer
from app.models.categories import BY_SLUG
from app.text import sort_key


def build_search_text(
    name: str,
    description: str | None,
    target_group: str | None,
    provider: str | None,
    street: str | None,
    slugs: Sequence[str],
) -> str:
    """What full-text search looks in: name, description, provider, street, kinds."""
    parts = [name, description or "", target_group or "", provider or "", street or ""]
    for slug in slugs:
        cat = BY_SLUG.get(slug)
        if cat:
            parts += [str(cat.label), str(cat.plural), slug]
    return " ".join(p for p in parts if p)


def refresh_search_text(offer: Offer) -> None:
    """Recompute what search and sorting read (after any change to the offer)."""
    offer.search_text = build_search_text(
        offer.name,
        offer.description,
        offer.target_group,
        offer.provider.name if offer.provider else None,
        offer.location.street if offer.location else None,
        offer.category_slugs,
    )
    offer.sort_name = sort_key(offer.name)

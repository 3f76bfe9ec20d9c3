"""The offer kinds, as the catalogue's callers know them; defined in
``app.models.categories`` because the field rules (``app.models.types``) need them."""

from app.models.categories import BY_SLUG, CATEGORIES, MAIN_KINDS, SLUGS, Category

__all__ = ["BY_SLUG", "CATEGORIES", "MAIN_KINDS", "SLUGS", "Category"]

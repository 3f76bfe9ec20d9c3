"""The database tables and the input/output models of the catalogue."""

from app.models.areas import PlaceName, PostcodeArea
from app.models.audit import CatalogueState, OfferChange
from app.models.catalogue import (
    PRECISIONS,
    PROVIDER_KINDS,
    District,
    Location,
    Offer,
    OfferBase,
    OfferCategory,
    OpeningHours,
    Provider,
    utcnow,
)
from app.models.offer import OfferCreate, OfferPublic, OfferUpdate
from app.models.schools import School

__all__ = [
    "PRECISIONS", "PROVIDER_KINDS", "CatalogueState", "District", "Location", "Offer",
    "OfferBase", "OfferCategory", "OfferChange", "OfferCreate", "OfferPublic", "OfferUpdate",
    "OpeningHours", "PlaceName", "PostcodeArea", "Provider", "School", "utcnow",
]

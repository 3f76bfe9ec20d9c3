"""The database tables and the input/output models of the catalogue."""

from app.models.catalogue import (  # noqa: F401  (importing registers the tables)
    PROVIDER_KINDS,
    District,
    Location,
    Offer,
    OfferBase,
    OfferCategory,
    OfferCreate,
    OfferPublic,
    OfferUpdate,
    OpeningHours,
    Provider,
    utcnow,
)

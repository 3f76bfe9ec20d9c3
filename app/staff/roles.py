"""What each role may do: admin > editor > reader. A ``provider`` (Träger) account is
outside this order: it may nothing of the staff's, only its own providers' offers
(``app.deps.require_provider``)."""

from app.models.provider_access import PROVIDER_ROLE
from app.models.staff import ROLES, USER_ROLES

RANK = {"reader": 0, "editor": 1, "admin": 2}

__all__ = ["PROVIDER_ROLE", "ROLES", "USER_ROLES", "allows", "is_provider"]


def allows(role: str, needed: str) -> bool:
    """Whether ``role`` may do what ``needed`` may (admin may everything)."""
    return RANK.get(role, -1) >= RANK[needed]


def is_provider(role: str) -> bool:
    return role == PROVIDER_ROLE

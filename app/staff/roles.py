"""What each role may do: admin > editor > reader."""

from app.models.staff import ROLES, USER_ROLES

RANK = {"reader": 0, "editor": 1, "admin": 2}

__all__ = ["ROLES", "USER_ROLES", "allows"]


def allows(role: str, needed: str) -> bool:
    """Whether ``role`` may do what ``needed`` may (admin may everything)."""
    return RANK.get(role, -1) >= RANK[needed]

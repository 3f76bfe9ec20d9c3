"""What each role may do: admin > editor > reader; planner beside editor. A
``provider`` (Träger) account is outside this order: it may nothing of the staff's,
only its own providers' offers (``app.deps.require_provider``).

A planner edits the goals and measures of the Zielvereinbarung (``allows(role,
"planner")`` holds for planners, editors and admins) but nothing of the catalogue:
``allows("planner", "editor")`` is false, so offers and their contact data stay with
editors. On the staff pages a planner may open only ``PLANNER_PATHS``."""

from app.models.provider_access import PROVIDER_ROLE
from app.models.staff import ROLES, USER_ROLES

RANK = {"reader": 0, "planner": 0, "editor": 1, "admin": 2}
GOALS_ROLES = ("planner", "editor", "admin")
# The staff pages a planner may open (everything else under /verwaltung is 403).
PLANNER_PATHS = (
    "/verwaltung/ziele",
    "/verwaltung/planung",
    "/verwaltung/konto",
    "/verwaltung/abmelden",
)

__all__ = [
    "GOALS_ROLES",
    "PLANNER_PATHS",
    "PROVIDER_ROLE",
    "ROLES",
    "USER_ROLES",
    "allows",
    "is_provider",
    "planner_may_open",
]


def allows(role: str, needed: str) -> bool:
    """Whether ``role`` may do what ``needed`` may (admin may everything)."""
    if needed == "planner":
        return role in GOALS_ROLES
    if role == "planner" and needed == "reader":
        return False
    return RANK.get(role, -1) >= RANK[needed]


def is_provider(role: str) -> bool:
    return role == PROVIDER_ROLE


def planner_may_open(path: str) -> bool:
    return any(
        path == p or path.startswith(p + "/") or path.startswith(p + ".") for p in PLANNER_PATHS
    )

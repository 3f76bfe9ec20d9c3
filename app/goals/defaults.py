"""The six Handlungsfelder of the audit "Familiengerechte Kommune" (names as the
Verein familiengerechte Kommune e.V. gives them; they are configurable: staff rename,
add or archive fields on /verwaltung/ziele). The shared data holds no copy of the
Verein's text and its README names no source for them (checked 2026-12-02); the names
come from issue 20 of this project, quoting the audit's own publications. /ziele and the
yearly report say so (components/goal_fields_source.html)."""

from sqlalchemy import func, select
from sqlmodel import Session

from app.catalogue.writers import Actor
from app.models.goals import GoalField

FIELDS = (
    "Steuerung, Vernetzung, Nachhaltigkeit",
    "Familie und Arbeitswelt, Betreuung",
    "Bildung und Erziehung",
    "Beratung und Unterstützung",
    "Wohnumfeld und Lebensqualität",
    "Senioren und Generationen",
)
SETUP = Actor("setup", "system")


def ensure_default_fields(session: Session) -> int:
    """Create the six fields when no field exists yet; returns how many were made."""
    if session.execute(select(func.count()).select_from(GoalField)).scalar_one():
        return 0
    from app.goals.write import save

    for number, name in enumerate(FIELDS, start=1):
        save(session, "field", {"number": number, "name": name}, SETUP)
    return len(FIELDS)

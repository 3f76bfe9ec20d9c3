"""The one write path of saved what-if scenarios: save a new one, change its name,
note or sites, withdraw (archive) and restore it. Each write is validated (the sites
by ``parse_site``, as in the URL), refused when based on an old version, logged in
``planning_scenario_change`` with the fields before and after, and bumps the
``planning_scenarios`` counter (cached pages that list them are rebuilt). Nothing is
hard-deleted. The caller commits."""

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from app.catalogue.writers import Actor, VersionConflict, claim_version
from app.db import state
from app.i18n import gettext as _
from app.models.catalogue import utcnow
from app.models.planning_scenario import Scenario, ScenarioChange
from app.planning.scenario import MAX_SITES, Site, parse_site

SCENARIOS = "planning_scenarios"  # the catalogue_state counter
MAX_NAME = 200
MAX_NOTE = 2000
FIELDS = ("name", "note", "sites")


class ScenarioInvalid(Exception):
    """Bad input: one message per field (all at once)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class ScenarioConflict(Exception):
    """The change is based on an older version of the scenario."""

    def __init__(self, row: Scenario, based_on: int) -> None:
        super().__init__(f"scenario {row.id} is at version {row.version}, not {based_on}")
        self.row = row


def validate(name: str, note: str, sites: list[str]) -> dict:
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    note = (note or "").strip()
    if not name:
        errors["name"] = _("Bitte ausfüllen.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Zu lang: höchstens %(n)s Zeichen.", n=MAX_NAME)
    if len(note) > MAX_NOTE:
        errors["note"] = _("Zu lang: höchstens %(n)s Zeichen.", n=MAX_NOTE)
    parsed: list[Site] = []
    if not sites:
        errors["sites"] = _("Ein Szenario braucht mindestens einen Standort.")
    elif len(sites) > MAX_SITES:
        errors["sites"] = _("Höchstens %(n)s Standorte.", n=MAX_SITES)
    else:
        for n, text in enumerate(sites, start=1):
            try:
                parsed.append(parse_site(text))
            except ValueError as exc:
                errors["sites"] = _("Ort %(n)s: %(message)s", n=n, message=str(exc))
                break
    if errors:
        raise ScenarioInvalid(errors)
    return {"name": name, "note": note, "sites": [s.param for s in parsed]}


def _log(
    session: Session, row: Scenario, actor: Actor, action: str, before: dict, after: dict
) -> None:
    session.add(
        ScenarioChange(
            scenario_id=row.id,
            version=row.version,
            actor=actor.name,
            channel=actor.channel,
            action=action,
            before=before,
            after=after,
        )
    )
    state.bump(session, SCENARIOS)


def create(session: Session, name: str, note: str, sites: list[str], actor: Actor) -> Scenario:
    values = validate(name, note, sites)
    row = Scenario(**values, created_by=actor.name)
    session.add(row)
    session.flush()
    _log(session, row, actor, "create", {}, values)
    return row


def update(
    session: Session,
    scenario_id: int,
    version: int | None,
    actor: Actor,
    *,
    name: str | None = None,
    note: str | None = None,
    sites: list[str] | None = None,
) -> Scenario:
    row = session.get(Scenario, scenario_id)
    if row is None:
        raise LookupError(scenario_id)
    if version is not None and version != row.version:
        raise ScenarioConflict(row, version)
    values = validate(
        row.name if name is None else name,
        row.note if note is None else note,
        row.sites if sites is None else sites,
    )
    before = {k: getattr(row, k) for k in FIELDS if getattr(row, k) != values[k]}
    if not before:
        return row
    after = {k: values[k] for k in before}
    for key, value in after.items():
        setattr(row, key, value)
    _claim(session, row)
    row.changed_at = utcnow()
    session.add(row)
    session.flush()
    _log(session, row, actor, "update", before, after)
    return row


def _claim(session: Session, row: Scenario) -> None:
    """The next version, claimed in the database (``UPDATE … WHERE id AND version``, as
    the catalogue's write path does): of parallel writers that read one version exactly
    one passes; every other gets ``ScenarioConflict`` and its transaction is rolled back."""
    try:
        claim_version(session, row)
    except VersionConflict as exc:
        raise ScenarioConflict(row, exc.based_on) from None


def set_archived(session: Session, scenario_id: int, actor: Actor, archived: bool) -> Scenario:
    """Withdraw (or restore) a scenario: it leaves (or returns to) the list; its URL
    still shows it, saying it was withdrawn."""
    row = session.get(Scenario, scenario_id)
    if row is None:
        raise LookupError(scenario_id)
    if (row.archived_at is not None) == archived:
        return row
    before = {"archived_at": _iso(row.archived_at)}
    row.archived_at = utcnow() if archived else None
    _claim(session, row)
    row.changed_at = utcnow()
    session.add(row)
    session.flush()
    _log(
        session,
        row,
        actor,
        "archive" if archived else "restore",
        before,
        {"archived_at": _iso(row.archived_at)},
    )
    return row


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def get(session: Session, scenario_id: int) -> Scenario | None:
    return session.get(Scenario, scenario_id)


def listed(session: Session, archived: bool = False) -> list[Scenario]:
    query = select(Scenario).order_by(Scenario.changed_at.desc(), Scenario.id.desc())
    if not archived:
        query = query.where(Scenario.archived_at.is_(None))
    return list(session.execute(query).scalars())


def history(session: Session, scenario_id: int) -> list[ScenarioChange]:
    return list(
        session.execute(
            select(ScenarioChange)
            .where(ScenarioChange.scenario_id == scenario_id)
            .order_by(ScenarioChange.id)
        ).scalars()
    )

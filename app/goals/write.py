"""The one write path of the agreement: create, change, archive and restore any entry
(Handlungsfeld, goal, measure, indicator) and add progress notes. Each write is
validated by the entry's input model (``rules``) and against what it refers to
(parents, districts, offers, unique numbers), refused when based on an old version,
logged in ``goal_change`` with the fields before and after, and bumps the ``goals``
counter. Nothing is hard-deleted. The caller commits."""

from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from app.catalogue.writers import Actor, VersionConflict, claim_version
from app.db import state
from app.goals.rules import MODELS
from app.i18n import gettext as _
from app.models import District, Offer
from app.models.catalogue import utcnow
from app.models.goals import Goal, GoalChange, GoalField, Indicator, Measure, MeasureNote

GOALS = "goals"  # the catalogue_state counter of the agreement
TABLES: dict[str, type[SQLModel]] = {
    "field": GoalField,
    "goal": Goal,
    "measure": Measure,
    "indicator": Indicator,
    "note": MeasureNote,
}
PARENTS = {"goal": ("field_id", GoalField), "measure": ("goal_id", Goal)}


class GoalsInvalid(Exception):
    """Bad input: one message per field (all at once)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class GoalsConflict(Exception):
    """The change is based on an older version of the entry."""

    def __init__(self, row: SQLModel, based_on: int) -> None:
        super().__init__(f"entry {row.id} is at version {row.version}, not {based_on}")
        self.row = row
        self.based_on = based_on


def _message(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("missing", "string_too_short") or error.get("input", "") is None:
        return _("Bitte ausfüllen.")
    if kind == "string_too_long":
        return _("Zu lang: höchstens %(n)s Zeichen.", n=ctx.get("max_length"))
    if kind in ("int_parsing", "int_from_float"):
        return _("Bitte eine ganze Zahl angeben.")
    if kind == "float_parsing":
        return _("Bitte eine Zahl angeben.")
    if kind.startswith("date"):
        return _("Bitte ein Datum angeben (JJJJ-MM-TT).")
    if kind == "literal_error":
        return _("Nicht erlaubt; erlaubt: %(values)s.", values=ctx.get("expected", ""))
    if kind in ("greater_than_equal", "greater_than"):
        return _("Zu klein.")
    if kind in ("less_than_equal", "less_than"):
        return _("Zu groß.")
    if kind == "bool_parsing":
        return _("Bitte ja oder nein angeben.")
    if kind == "value_error":
        text = str(ctx.get("error", error.get("msg", "")))
        return text.split(": ", 1)[1] if ": " in text else text
    return _("Ungültiger Wert.")


def _errors(exc: ValidationError) -> dict[str, str]:
    out: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(p) for p in error["loc"] if not isinstance(p, int)]
        name = loc[0] if loc else ""
        if not name and error["type"] == "value_error":
            text = str((error.get("ctx") or {}).get("error", ""))
            name = text.split(": ", 1)[0] if ": " in text else "form"
        out.setdefault(name or "form", _message(error))
    return out


def validate(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """The entry's fields, checked; raises ``GoalsInvalid`` with every error."""
    try:
        return MODELS[entity](**data).model_dump()
    except ValidationError as exc:
        raise GoalsInvalid(_errors(exc)) from None


def _check_references(session: Session, entity: str, values: dict, row_id: int | None) -> None:
    errors: dict[str, str] = {}
    if entity in PARENTS:
        column, parent = PARENTS[entity]
        if session.get(parent, values[column]) is None:
            errors[column] = _("Diesen Eintrag gibt es nicht.")
    if entity == "indicator" and session.get(Goal, values["goal_id"]) is None:
        errors["goal_id"] = _("Diesen Eintrag gibt es nicht.")
    if entity == "note" and session.get(Measure, values["measure_id"]) is None:
        errors["measure_id"] = _("Diesen Eintrag gibt es nicht.")
    if entity in ("field", "goal", "measure"):
        table = TABLES[entity]
        query = select(table.id).where(table.number == values["number"])
        if entity in PARENTS:
            column = PARENTS[entity][0]
            query = query.where(getattr(table, column) == values[column])
        if row_id is not None:
            query = query.where(table.id != row_id)
        if session.execute(query).first() is not None:
            errors["number"] = _("Diese Nummer ist schon vergeben.")
    slugs = values.get("districts") or []
    area = values.get("area_slug")
    wanted = set(slugs) | ({area} if area and area != "bochum" else set())
    if wanted:
        known = set(
            session.execute(select(District.slug).where(District.slug.in_(wanted))).scalars()
        )
        unknown = sorted(wanted - known)
        if unknown:
            key = "districts" if set(unknown) & set(slugs) else "area_slug"
            errors[key] = _("Unbekannter Bezirk: %(names)s.", names=", ".join(unknown))
    ids = values.get("offer_ids") or []
    if ids:
        known_ids = set(session.execute(select(Offer.id).where(Offer.id.in_(ids))).scalars())
        missing = sorted(set(ids) - known_ids)
        if missing:
            errors["offer_ids"] = _(
                "Unbekannte Angebote: %(ids)s.", ids=", ".join(map(str, missing))
            )
    if errors:
        raise GoalsInvalid(errors)


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _log(
    session: Session,
    entity: str,
    row: SQLModel,
    actor: Actor,
    action: str,
    before: dict,
    after: dict,
) -> None:
    session.add(
        GoalChange(
            entity=entity,
            entity_id=row.id,
            version=getattr(row, "version", 1),
            actor=actor.name,
            channel=actor.channel,
            action=action,
            before={k: _plain(v) for k, v in before.items()},
            after={k: _plain(v) for k, v in after.items()},
        )
    )
    state.bump(session, GOALS)


def save(
    session: Session,
    entity: str,
    data: dict[str, Any],
    actor: Actor,
    *,
    row_id: int | None = None,
    version: int | None = None,
) -> SQLModel:
    """Create (``row_id`` None) or change an entry; returns the stored row."""
    if entity == "note":
        raise ValueError("notes are added with add_note")
    table = TABLES[entity]
    row = None
    if row_id is not None:
        row = session.get(table, row_id)
        if row is None:
            raise LookupError(row_id)
        if version is not None and version != row.version:
            raise GoalsConflict(row, version)
        data = {**{k: getattr(row, k) for k in MODELS[entity].model_fields}, **data}
    values = validate(entity, data)
    _check_references(session, entity, values, row_id)
    if row is None:
        row = table(**values)
        session.add(row)
        session.flush()
        _log(session, entity, row, actor, "create", {}, values)
        return row
    before = {k: getattr(row, k) for k in values if getattr(row, k) != values[k]}
    if not before:
        return row
    after = {k: values[k] for k in before}
    for key, value in after.items():
        setattr(row, key, value)
    _claim(session, row)
    session.add(row)
    session.flush()
    _log(session, entity, row, actor, "update", before, after)
    return row


def _claim(session: Session, row: SQLModel) -> None:
    """The next version of ``row``, claimed in the database (``UPDATE … WHERE id AND
    version``, as the catalogue's write path does): of parallel writers based on one
    version exactly one passes, every other gets ``GoalsConflict`` (the caller rolls
    back its whole transaction, change log included)."""
    try:
        claim_version(session, row)
    except VersionConflict as exc:
        raise GoalsConflict(row, exc.based_on) from None


def set_archived(
    session: Session, entity: str, row_id: int, actor: Actor, archived: bool
) -> SQLModel:
    """Archive (or restore) an entry: it leaves (or returns to) the public agreement."""
    row = session.get(TABLES[entity], row_id)
    if row is None:
        raise LookupError(row_id)
    if (row.archived_at is not None) == archived:
        return row
    before = {"archived_at": row.archived_at}
    row.archived_at = utcnow() if archived else None
    if hasattr(row, "version"):
        _claim(session, row)
    session.add(row)
    session.flush()
    _log(
        session,
        entity,
        row,
        actor,
        "archive" if archived else "restore",
        before,
        {"archived_at": row.archived_at.isoformat() if row.archived_at else None},
    )
    return row


def add_note(
    session: Session,
    measure_id: int,
    data: dict[str, Any],
    actor: Actor,
    *,
    status: str | None = None,
    version: int | None = None,
) -> MeasureNote | None:
    """A dated progress note on a measure, and with ``status`` its new status (both
    logged). An empty note text with a status only changes the status."""
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise LookupError(measure_id)
    if status and version is not None and version != measure.version:
        # The form showed an older state (its status may be another's by now); between
        # writers that read the same version, the claim in ``save`` decides.
        raise GoalsConflict(measure, version)
    errors: dict[str, str] = {}
    note_values = None
    if (data.get("text") or "").strip():
        try:
            note_values = validate("note", {**data, "measure_id": measure_id})
        except GoalsInvalid as exc:
            errors.update(exc.errors)
    elif not status or status == measure.status:
        errors["text"] = _("Bitte ausfüllen.")
    if status and status != measure.status:
        try:
            validate("measure", {**_measure_values(measure), "status": status})
        except GoalsInvalid as exc:
            errors.update({"status": exc.errors.get("status", next(iter(exc.errors.values())))})
    if errors:
        raise GoalsInvalid(errors)
    if status and status != measure.status:
        save(session, "measure", {"status": status}, actor, row_id=measure_id, version=version)
    if note_values is None:
        return None
    note = MeasureNote(**note_values, actor=actor.name)
    session.add(note)
    session.flush()
    _log(session, "note", note, actor, "create", {}, note_values)
    return note


def _measure_values(measure: Measure) -> dict[str, Any]:
    return {k: getattr(measure, k) for k in MODELS["measure"].model_fields}


def history(session: Session, entity: str, row_id: int) -> list[GoalChange]:
    return list(
        session.execute(
            select(GoalChange)
            .where(GoalChange.entity == entity, GoalChange.entity_id == row_id)
            .order_by(GoalChange.id)
        ).scalars()
    )

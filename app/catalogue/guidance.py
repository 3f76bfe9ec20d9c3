"""How to get a place: per kind of offer a short text for parents with its source
(``KindGuidance``), written by staff only. Nothing is prefilled: a kind without a text
shows nothing, so that the site never invents how a city allocates places."""

from pydantic import BaseModel, ValidationError, field_validator
from sqlmodel import Session, select

from app.catalogue.writers import Actor
from app.db import state
from app.models import KindGuidance, utcnow
from app.models.categories import SLUGS
from app.models.types import WebAddress, text


class GuidanceIn(BaseModel):
    """A text for one kind; all four fields are needed (a text needs its source)."""

    category: str
    title: text(200, min_length=3)  # type: ignore[valid-type]
    body: text(3000, min_length=10)  # type: ignore[valid-type]
    source_url: WebAddress
    source_label: text(300, min_length=2)  # type: ignore[valid-type]

    @field_validator("category")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in SLUGS:
            raise ValueError("unbekannte Art")
        return value


def all_guidance(session: Session) -> dict[str, KindGuidance]:
    return {g.category: g for g in session.exec(select(KindGuidance)).all()}


def guidance_for(session: Session, kinds: list[str]) -> list[KindGuidance]:
    """The texts of ``kinds`` that staff have written, in the order of ``kinds``."""
    if not kinds:
        return []
    found = {
        g.category: g
        for g in session.exec(select(KindGuidance).where(KindGuidance.category.in_(kinds)))
    }
    return [found[k] for k in dict.fromkeys(kinds) if k in found]


def save_guidance(session: Session, values: dict[str, str], actor: Actor) -> KindGuidance | None:
    """Write (or, with every field empty, remove) the text of one kind; raises
    ``ValidationError`` naming each bad field. The public pages' cache is cleared."""
    category = values.get("category", "")
    existing = session.get(KindGuidance, category)
    if not any(str(values.get(k) or "").strip() for k in ("title", "body", "source_url")):
        if category not in SLUGS:
            GuidanceIn.model_validate(values)  # raises, naming the kind
        if existing is not None:
            session.delete(existing)
            state.bump(session, state.OFFERS)
        return None
    data = GuidanceIn.model_validate(values)
    row = existing or KindGuidance(
        category=data.category, title="", body="", source_url="", source_label="", updated_by=""
    )
    row.title, row.body = data.title, data.body
    row.source_url, row.source_label = data.source_url, data.source_label
    row.updated_at, row.updated_by = utcnow(), actor.name
    session.add(row)
    state.bump(session, state.OFFERS)
    return row


__all__ = ["GuidanceIn", "ValidationError", "all_guidance", "guidance_for", "save_guidance"]

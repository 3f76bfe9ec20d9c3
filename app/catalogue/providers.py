"""Writing providers (Träger): the same rules as offers: validated by the model family,
versioned, logged (``ProviderChange``), archived instead of deleted. A new name is
written into the search text of the provider's offers."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.catalogue.search_text import refresh_search_text
from app.catalogue.writers import Actor, VersionConflict, claim_version
from app.db import state
from app.db.backend import get_backend
from app.models import Offer, Provider, ProviderChange, ProviderCreate, ProviderPublic, utcnow

FIELDS = ("name", "kind", "website")


class ProviderNameTaken(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"a provider named '{name}' exists already")
        self.name = name


def _snapshot(provider: Provider) -> dict[str, Any]:
    return {name: getattr(provider, name) for name in FIELDS}


def _name_taken(session: Session, name: str, own_id: int | None = None) -> bool:
    stmt = select(Provider.id).where(func.lower(Provider.name) == name.lower())
    if own_id is not None:
        stmt = stmt.where(Provider.id != own_id)
    return session.execute(stmt).first() is not None


def _log(
    session: Session,
    provider: Provider,
    actor: Actor,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    session.add(
        ProviderChange(
            provider_id=provider.id,
            version=provider.version,
            actor=actor.name,
            channel=actor.channel,
            action=action,
            before=before,
            after=after,
        )
    )


def create_provider(session: Session, data: ProviderCreate, actor: Actor) -> Provider:
    if _name_taken(session, data.name):
        raise ProviderNameTaken(data.name)
    provider = Provider(**data.model_dump())
    session.add(provider)
    try:
        session.flush()
    except IntegrityError as exc:  # the same name, written at the same moment
        raise ProviderNameTaken(data.name) from exc
    _log(session, provider, actor, "create", {}, _snapshot(provider))
    session.flush()
    return provider


def update_provider(
    session: Session,
    provider: Provider,
    changes: Mapping[str, Any],
    actor: Actor,
    *,
    based_on: int | None = None,
) -> Provider:
    """Apply ``changes`` (validated by ``ProviderCreate`` on the merged provider)."""
    if based_on is not None and based_on != provider.version:
        raise VersionConflict(provider, based_on)  # type: ignore[arg-type]
    before = _snapshot(provider)
    data = ProviderCreate.model_validate(
        {**before, **{k: v for k, v in changes.items() if k in FIELDS}}
    )
    after = data.model_dump()
    diff = {k for k in FIELDS if before[k] != after[k]}
    if not diff:
        return provider
    if "name" in diff and _name_taken(session, data.name, provider.id):
        raise ProviderNameTaken(data.name)
    for name in diff:
        setattr(provider, name, after[name])
    _finish(
        session,
        provider,
        actor,
        "update",
        {k: before[k] for k in diff},
        {k: after[k] for k in diff},
    )
    if "name" in diff:
        for offer in session.execute(
            select(Offer).where(Offer.provider_id == provider.id)
        ).scalars():
            refresh_search_text(offer)
            session.add(offer)
        state.bump(session, state.OFFERS)
        session.flush()
    return provider


def archive_provider(
    session: Session, provider: Provider, actor: Actor, *, based_on: int | None = None
) -> Provider:
    return _set_archived(session, provider, actor, True, based_on)


def restore_provider(
    session: Session, provider: Provider, actor: Actor, *, based_on: int | None = None
) -> Provider:
    return _set_archived(session, provider, actor, False, based_on)


def _set_archived(
    session: Session, provider: Provider, actor: Actor, archived: bool, based_on: int | None
) -> Provider:
    if based_on is not None and based_on != provider.version:
        raise VersionConflict(provider, based_on)  # type: ignore[arg-type]
    if (provider.archived_at is not None) == archived:
        return provider
    provider.archived_at = utcnow() if archived else None
    _finish(
        session,
        provider,
        actor,
        "archive" if archived else "restore",
        {"archived": not archived},
        {"archived": archived},
    )
    return provider


def _finish(
    session: Session,
    provider: Provider,
    actor: Actor,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    claim_version(session, provider)  # raises VersionConflict when another write won
    provider.updated_at = utcnow()
    session.add(provider)
    session.flush()
    _log(session, provider, actor, action, before, after)
    session.flush()


def active_offer_counts(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        session.execute(
            select(Offer.provider_id, func.count())
            .where(Offer.provider_id.in_(ids), Offer.archived_at.is_(None))
            .group_by(Offer.provider_id)
        ).all()
    )


def provider_public(session: Session, provider: Provider) -> ProviderPublic:
    count = active_offer_counts(session, [provider.id]).get(provider.id, 0)
    return _public(provider, count)


def _public(provider: Provider, count: int) -> ProviderPublic:
    return ProviderPublic(
        id=provider.id,
        name=provider.name,
        kind=provider.kind,
        website=provider.website,
        offers=count,
        archived=provider.archived_at is not None,
        updated_at=provider.updated_at,
        version=provider.version,
    )


def list_providers(
    session: Session,
    *,
    q: str = "",
    archived: bool = False,
    offset: int = 0,
    limit: int | None = 50,
) -> tuple[int, list[ProviderPublic]]:
    """Providers by name (archived ones only when asked), with their active offers."""
    where = [Provider.archived_at.is_not(None) if archived else Provider.archived_at.is_(None)]
    # No stored name holds NUL (PostgreSQL text cannot), and % or _ are letters here.
    q = q.replace("\x00", "")
    if q:
        where.append(func.lower(Provider.name).contains(q.lower(), autoescape=True))
    total = session.execute(select(func.count()).select_from(Provider).where(*where)).scalar_one()
    stmt = select(Provider).where(*where).order_by(func.lower(Provider.name), Provider.id)
    stmt = stmt.offset(offset)
    if limit:
        stmt = stmt.limit(limit)
    providers = list(session.execute(stmt).scalars())
    counts = active_offer_counts(session, [p.id for p in providers])
    return total, [_public(p, counts.get(p.id, 0)) for p in providers]


def provider_changes(session: Session, provider_id: int) -> list[ProviderChange]:
    return list(
        session.execute(
            select(ProviderChange)
            .where(ProviderChange.provider_id == provider_id)
            .order_by(ProviderChange.version.desc(), ProviderChange.id.desc())
        ).scalars()
    )


def provider_ids(session: Session, kinds: Mapping[str, str]) -> dict[str, int]:
    """The ids of providers by name, creating the missing ones."""
    if not kinds:
        return {}
    names = list(kinds)
    found: dict[str, int] = {}
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        found.update(
            session.execute(
                select(Provider.name, Provider.id).where(Provider.name.in_(chunk))
            ).all()
        )
    missing = [n for n in names if n not in found]
    new_ids = (
        get_backend(session.connection()).insert_many(
            session.connection(),
            Provider.__table__,
            [{"name": n, "kind": kinds[n]} for n in missing],
        )
        if missing
        else []
    )
    found.update(zip(missing, new_ids, strict=True))
    return found


def get_or_create_provider(
    session: Session, name: str | None, kind: str = "unbekannt"
) -> Provider | None:
    if not name:
        return None
    provider_id = provider_ids(session, {name: kind})[name]
    return session.get(Provider, provider_id)

"""Two edits based on one version, in any interleaving of their reads and writes (two
sessions, as two requests would have): the stored state is exactly one of them, the
other gets a conflict, the change log has one entry for the new version; never a mix,
never both confirmed."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlmodel import Session

from app.catalogue import edits
from app.catalogue.read import get_offer
from app.catalogue.write import update_offer
from app.catalogue.writers import VersionConflict
from app.models import Offer, OfferChange
from tests.factories import STAFF, make_offer

STEPS = ("load a", "load b", "write a", "write b")


def _valid(order: list[str]) -> bool:
    return all(order.index(f"load {w}") < order.index(f"write {w}") for w in "ab")


edit = st.fixed_dictionaries(
    {
        "contact_phone": st.sampled_from(["0234 111111", "0234 222222", "0234 333333"]),
        "costs": st.sampled_from(["kostenlos", "Elternbeitrag", "nach Vereinbarung"]),
    }
)


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    order=st.permutations(STEPS).filter(_valid),
    changes=st.fixed_dictionaries({"a": edit, "b": edit}),
    via=st.sampled_from(["write path", "edit workflow"]),
)
def test_two_edits_on_one_version_store_one_of_them_and_refuse_the_other(
    engine, order, changes, via
):
    with Session(engine) as setup:
        offer_id = make_offer(setup, name="Kita Zweikampf (generiert)").id
        setup.commit()
    sessions = {w: Session(engine) for w in "ab"}
    loaded: dict[str, Offer] = {}
    won: dict[str, bool] = {}
    try:
        for step in order:
            what, who = step.split()
            session = sessions[who]
            if what == "load":
                loaded[who] = get_offer(session, offer_id, archived=True)
                continue
            if via == "edit workflow":
                outcome = edits.edit(
                    session, loaded[who], STAFF, changes=changes[who], based_on=[1]
                )
                won[who] = isinstance(outcome, edits.Applied)
                continue
            try:
                update_offer(session, loaded[who], changes[who], STAFF, based_on=1)
                session.commit()
                won[who] = True
            except VersionConflict:
                session.rollback()
                won[who] = False
    finally:
        for session in sessions.values():
            session.close()

    assert sorted(won.values()) == [False, True], (order, won)
    winner = next(w for w, ok in won.items() if ok)
    with Session(engine) as check:
        stored = check.get(Offer, offer_id)
        assert stored.version == 2
        assert (stored.contact_phone, stored.costs) == (
            changes[winner]["contact_phone"],
            changes[winner]["costs"],
        )
        entries = check.execute(
            select(func.count())
            .select_from(OfferChange)
            .where(OfferChange.offer_id == offer_id, OfferChange.version == 2)
        ).scalar_one()
        assert entries == 1

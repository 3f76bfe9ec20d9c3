"""An offer's history: earlier states from the change log, and the three-way merge."""

from app.catalogue.history import plan_merge, restore_state, state_at
from app.catalogue.write import update_offer
from tests.factories import STAFF, make_offer


def test_the_state_at_any_version_is_rebuilt_from_the_change_log(session):
    offer = make_offer(session, name="Kita Zeitreise (generiert)")
    update_offer(session, offer, {"contact_phone": "0234 111111"}, STAFF)
    update_offer(
        session,
        offer,
        {
            "contact_phone": "0234 222222",
            "costs": "kostenlos",
            "opening_hours": [{"weekday": 0, "opens": "08:00", "closes": "12:00"}],
        },
        STAFF,
    )
    session.commit()
    assert state_at(session, offer, 1)["contact_phone"] is None
    assert state_at(session, offer, 2)["contact_phone"] == "0234 111111"
    assert state_at(session, offer, 2)["opening_hours"] == []
    assert state_at(session, offer, 3)["costs"] == "kostenlos"
    restore_state(session, offer, 2, STAFF, based_on=3)
    session.commit()
    assert (offer.version, offer.contact_phone, offer.costs, offer.opening_hours) == (
        4,
        "0234 111111",
        None,
        [],
    )


def test_a_merge_keeps_the_others_changes_and_applies_mine(session):
    offer = make_offer(session, name="Kita Zusammen (generiert)", costs="alt")
    base = state_at(session, offer, 1)
    update_offer(session, offer, {"contact_phone": "0234 111111", "costs": "neu"}, STAFF)
    typed = {**base, "contact_email": "a@example.org", "costs": "meins"}
    plan = plan_merge(session, offer, 1, typed)
    assert plan.mine == {"contact_email"}
    assert plan.theirs == {"contact_phone"}
    assert plan.both == {"costs"}
    merged = plan.merged()
    assert (merged["contact_phone"], merged["contact_email"], merged["costs"]) == (
        "0234 111111",
        "a@example.org",
        "meins",
    )
    assert plan.merged({"costs"})["costs"] == "neu"

"""The edit workflow (``app.catalogue.edits``): one function, one outcome (applied,
conflict with its merge plan, invalid with the field named), for offers and
providers, whoever calls it."""

from app.catalogue import edits
from app.catalogue.history import changes_of
from app.catalogue.providers import create_provider, provider_changes
from app.models import Offer, ProviderCreate
from tests.factories import STAFF, make_offer


def test_an_edit_on_the_stored_version_is_applied_and_logged_once(session):
    offer = make_offer(session, name="Kita Anwenden (generiert)")
    session.commit()
    outcome = edits.edit(session, offer, STAFF, changes={"contact_phone": "0234 1"}, based_on=[1])
    assert isinstance(outcome, edits.Applied)
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert (stored.version, stored.contact_phone) == (2, "0234 1")
    assert [c.version for c in changes_of(session, offer.id)] == [2, 1]


def test_an_edit_on_an_old_version_is_a_conflict_with_the_merge_plan(session):
    offer = make_offer(session, name="Kita Konflikt (generiert)", costs="alt")
    session.commit()
    assert isinstance(
        edits.edit(session, offer, STAFF, changes={"costs": "neu", "contact_phone": "0234 11111"}),
        edits.Applied,
    )
    outcome = edits.edit(
        session,
        offer,
        STAFF,
        changes={"costs": "meins", "contact_email": "a@example.org"},
        based_on=[1],
    )
    assert isinstance(outcome, edits.Conflict)
    assert outcome.current == 2
    assert outcome.plan is not None
    assert (outcome.plan.mine, outcome.plan.both) == ({"contact_email"}, {"costs"})
    assert "contact_phone" in outcome.plan.theirs
    session.expire_all()
    assert session.get(Offer, offer.id).costs == "neu"

    # The merge page's answer: based on the stored version, typed on version 1, the
    # stored value kept where the editor chose it.
    answer = edits.edit(
        session,
        offer,
        STAFF,
        changes={"costs": "meins", "contact_email": "a@example.org"},
        based_on=[2],
        base_version=1,
        take_stored={"costs"},
    )
    assert isinstance(answer, edits.Applied)
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert (stored.version, stored.costs, stored.contact_email, stored.contact_phone) == (
        3,
        "neu",
        "a@example.org",
        "0234 11111",
    )


def test_an_invalid_edit_names_the_field_and_writes_nothing(session):
    offer = make_offer(session, name="Kita Ungültig (generiert)")
    session.commit()
    outcome = edits.edit(session, offer, STAFF, changes={"postcode": "123", "costs": "x"})
    assert isinstance(outcome, edits.Invalid)
    assert set(outcome.errors) == {"postcode"}
    session.expire_all()
    assert (session.get(Offer, offer.id).version, session.get(Offer, offer.id).costs) == (1, None)


def test_archive_restore_and_verify_are_edits_too(session):
    offer = make_offer(session, name="Kita Zustand (generiert)")
    session.commit()
    assert isinstance(edits.edit(session, offer, STAFF, action="archive"), edits.Applied)
    assert isinstance(
        edits.edit(session, offer, STAFF, action="restore", based_on=[1]), edits.Conflict
    )
    assert isinstance(edits.edit(session, offer, STAFF, action="verify"), edits.Applied)
    assert [c.action for c in changes_of(session, offer.id)] == ["verify", "archive", "create"]


def test_providers_go_through_the_same_function(session):
    one = create_provider(session, ProviderCreate(name="Träger Eins (generiert)"), STAFF)
    create_provider(session, ProviderCreate(name="Träger Zwei (generiert)"), STAFF)
    session.commit()
    taken = edits.edit(session, one, STAFF, changes={"name": "Träger Zwei (generiert)"})
    assert isinstance(taken, edits.Invalid) and set(taken.errors) == {"name"}
    assert isinstance(
        edits.edit(session, one, STAFF, changes={"kind": "frei"}, based_on=[1]), edits.Applied
    )
    stale = edits.edit(session, one, STAFF, changes={"kind": "kirchlich"}, based_on=[1])
    assert isinstance(stale, edits.Conflict) and stale.current == 2 and stale.plan is None
    assert isinstance(edits.edit(session, one, STAFF, action="archive"), edits.Applied)
    assert [c.action for c in provider_changes(session, one.id)] == ["archive", "update", "create"]


def test_if_match_tags_are_read_as_claimed_versions():
    assert edits.claimed_versions('"3"') == [3]
    assert edits.claimed_versions('W/"3", "4"', None) == [3, 4]
    assert edits.claimed_versions("*", 5) == [5]
    assert edits.claimed_versions('"x"') == [-1]
    assert edits.claimed_versions(None, None) == []

"""Staff pages name roles, provider kinds and the authors of changes in words, never
by their codes or the change log's internal ids."""

import re
from html import unescape

from app.catalogue.providers import create_provider
from app.catalogue.write import update_offer
from app.catalogue.writers import Actor
from app.i18n import set_locale
from app.messages import actor_label
from app.models import ProviderCreate
from tests.factories import make_offer
from tests.staff.helpers import make_user, sign_in

ID = re.compile(r"\b(user|token|correction):\d+")


def test_change_log_actors_in_words():
    set_locale("de")
    assert actor_label("user:3 anna@example.org", "page") == "anna@example.org"
    assert actor_label("user:7 kita@traeger.de", "provider") == "Träger-Konto: kita@traeger.de"
    assert actor_label("import", "import") == "Import"
    assert actor_label("token:2 Nachtlauf", "api") == "API-Zugang „Nachtlauf“"
    assert (
        actor_label("correction:12 user:3 anna@example.org", "correction")
        == "Öffentliche Korrektur (übernommen von anna@example.org)"
    )
    assert actor_label("correction:12", "correction") == "Öffentliche Korrektur"
    assert (
        actor_label("user:7 kita@traeger.de (angenommen: user:3 anna@example.org)", "provider")
        == "Träger-Konto: kita@traeger.de (angenommen von anna@example.org)"
    )
    assert not ID.search(actor_label("user:3", "page"))


def test_change_log_actors_in_english():
    set_locale("en")
    try:
        assert (
            actor_label("user:7 kita@traeger.de", "provider") == "Provider account: kita@traeger.de"
        )
        assert actor_label("correction:1", "correction") == "Public correction"
    finally:
        set_locale("de")


def test_staff_pages_show_roles_kinds_and_authors_in_words(session, client):
    user = make_user(session, email="anna@example.org", role="admin")
    make_user(session, email="bert@example.org", role="planner")
    create_provider(
        session,
        ProviderCreate(name="Gemeinde St. Peter", kind="kirchlich"),
        Actor(user.label, "page"),
    )
    session.commit()
    offer = make_offer(session, name="Krabbelgruppe Wiemelhausen")
    update_offer(session, offer, {"contact_phone": "0234 12345"}, Actor(user.label, "page"))
    session.commit()
    sign_in(client, "anna@example.org")

    users = unescape(client.get("/verwaltung/konten").text)
    assert "Planung" in users and "Administration" in users
    assert "<td>planner</td>" not in users and "<td>admin</td>" not in users
    assert "(Administration)" in users  # "Angemeldet als anna@example.org (Administration)"

    providers = unescape(client.get("/verwaltung/traeger").text)
    assert "<td>kirchlicher Träger</td>" in providers and "<td>kirchlich</td>" not in providers

    history = unescape(client.get(f"/verwaltung/angebote/{offer.id}/verlauf").text)
    assert "anna@example.org" in history and "Import" in history
    assert not ID.search(history)

    english = unescape(client.get("/verwaltung/traeger", params={"lang": "en"}).text)
    assert "church provider" in english

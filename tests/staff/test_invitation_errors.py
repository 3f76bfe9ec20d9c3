"""The invitation pages follow the GOV.UK error pattern: a 422 with an error summary
at the top linking to each field, every error at once, the field marked invalid."""

import re
from html import unescape

from app.catalogue.providers import get_or_create_provider
from app.staff import invitations
from tests.staff.helpers import form_token, make_user, sign_in, token_of


def _summary_links(html: str) -> list[tuple[str, str]]:
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', unescape(summary.group(0)))


def _invitation(session):
    provider = get_or_create_provider(session, "Träger der Kitas (generiert)")
    new = invitations.invite(session, provider, "leitung@traeger.example.org", "test")
    session.commit()
    return f"/verwaltung/einladung/{new.token}"


def test_a_short_and_unequal_password_names_both_fields_in_the_summary(client, session):
    path = _invitation(session)
    form = client.get(path)
    answer = client.post(
        path,
        data={"password": "kurz", "password_again": "anders", "csrf_token": form_token(form.text)},
    )
    assert answer.status_code == 422
    links = dict(_summary_links(answer.text))
    assert set(links) == {"password", "password_again"}
    assert "mindestens 12 Zeichen" in links["password"]
    assert "nicht gleich" in links["password_again"]
    for name in links:
        assert re.search(rf'<input[^>]*id="{name}"[^>]*aria-invalid="true"', answer.text)


def test_a_far_too_long_password_is_a_worded_422_not_a_missing_page(client, session):
    path = _invitation(session)
    form = client.get(path)
    long = "Ab1-" * 500
    answer = client.post(
        path,
        data={"password": long, "password_again": long, "csrf_token": form_token(form.text)},
    )
    assert answer.status_code == 422
    assert [name for name, _ in _summary_links(answer.text)] == ["password"]


def test_the_staff_invitation_form_has_its_summary(client, session):
    provider = get_or_create_provider(session, "Träger der Kitas (generiert)")
    session.commit()
    make_user(session, role="editor")
    sign_in(client)
    page = f"/verwaltung/traeger/{provider.id}"
    for email in ("kaputt", "x" * 2000 + "@example.org"):
        answer = client.post(
            f"{page}/einladen", data={"email": email, "csrf_token": token_of(client, page)}
        )
        assert answer.status_code == 422
        assert [name for name, _ in _summary_links(answer.text)] == ["invite_email"]
        assert re.search(r'<input[^>]*id="invite_email"[^>]*aria-invalid="true"', answer.text)

"""The admin API against a really running server (uvicorn), with httpx: create, read,
update with If-Match, a conflict, archive, restore."""

from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session

from tests.browser import LiveServer
from tests.staff.helpers import make_token


@pytest.fixture
def server(engine) -> Iterator[str]:  # noqa: ANN001
    from app.db.session import get_session
    from app.main import create_app

    app = create_app()

    def _session() -> Iterator[Session]:
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    live = LiveServer(app)
    live.start()
    yield live.url
    live.stop()


def test_an_api_round_trip_against_the_running_app(server, session):
    token = make_token(session, name="Rundreise")
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server, timeout=10) as api:
        created = api.post(
            "/api/v1/offers",
            headers=auth,
            json={
                "name": "Familienzentrum Rundreise (generiert)",
                "category": "familienzentrum",
                "street": "Teststraße 1",
                "postcode": "44787",
                "contact_phone": "0234 777777",
                "capacity": 60,
                "capacity_u3": 10,
                "languages": ["Deutsch", "Polnisch"],
            },
        )
        assert created.status_code == 201, created.text
        url = created.headers["location"]

        read = api.get(url)
        assert read.status_code == 200 and read.json()["phone"] == "0234 777777"
        etag = read.headers["etag"]

        updated = api.patch(
            url,
            headers={**auth, "If-Match": etag},
            json={"contact_email": "fz@example.org", "step_free_entrance": True},
        )
        assert updated.status_code == 200
        assert updated.json()["email"] == "fz@example.org"
        assert updated.headers["etag"] != etag

        conflict = api.patch(
            url, headers={**auth, "If-Match": etag}, json={"contact_email": "alt@example.org"}
        )
        assert conflict.status_code == 409
        assert api.get(url).json()["email"] == "fz@example.org"

        no_token = api.post(f"{url}/archive")
        assert no_token.status_code == 401
        archived = api.post(f"{url}/archive", headers=auth)
        assert archived.status_code == 200 and archived.json()["archived"] is True
        assert api.get(url).status_code == 404
        assert api.get(f"/angebote/{created.json()['id']}").status_code == 404

        restored = api.post(f"{url}/restore", headers=auth)
        assert restored.status_code == 200 and restored.json()["archived"] is False
        public = api.get(f"/angebote/{created.json()['id']}")
        assert public.status_code == 200 and "fz@example.org" in public.text
        history = api.get(f"{url}/changes", headers=auth).json()
        assert [c["action"] for c in history] == ["restore", "archive", "update", "create"]
        assert {c["channel"] for c in history} == {"api"}

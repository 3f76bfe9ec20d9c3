"""Races and parallel load against real uvicorn servers (one and four worker
processes), with real threads, on SQLite and PostgreSQL.

N writers based on the same version: exactly one wins, every other gets 409 (or, on
the staff pages, the conflict answer), and the change log has exactly one entry for
the new version, on every write route. 50 parallel writes to 50 offers are all stored
once. 100 parallel authenticated reads and writes: no 5xx. The figures are printed
(``-s``) for the closing note."""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.catalogue.providers import create_provider
from app.models import (
    Offer,
    OfferChange,
    ProviderChange,
    ProviderCreate,
    StaffUpload,
    StaffUser,
)
from bench.concurrency import (
    BURST_SERVER_ENV,
    Figures,
    authenticated_mix,
    burst,
    same_version_patch,
)
from bench.server import running_server
from tests.factories import MITTE, STAFF, make_offer
from tests.staff.helpers import PASSWORD, make_token, make_user

Send = Callable[[httpx.Client, int], httpx.Response]
SERVER_ENV = {"ASSETS": "cdn", "CACHE_VERSION_TTL": "0", **BURST_SERVER_ENV}


@contextmanager
def server(engine, workers: int) -> Iterator[str]:  # noqa: ANN001
    url = engine.url.render_as_string(hide_password=False)
    with running_server(url, workers=workers, env=SERVER_ENV) as (base, _pid):
        yield base


def signed_in(base: str, session: Session) -> tuple[dict[str, str], str]:
    """A staff session on the running server: its cookies and its form token."""
    make_user(session)
    with httpx.Client(base_url=base, timeout=30) as web:
        page = web.get("/verwaltung/anmelden")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        done = web.post(
            "/verwaltung/anmelden",
            data={"email": "redaktion@example.org", "password": PASSWORD, "csrf_token": token},
        )
        assert done.status_code == 303, done.text[:500]
        form = web.get("/verwaltung/angebote/neu").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        return dict(web.cookies), token


def offer_entries(session: Session, offer_id: int, version: int) -> int:
    session.expire_all()
    return session.execute(
        select(func.count())
        .select_from(OfferChange)
        .where(OfferChange.offer_id == offer_id, OfferChange.version == version)
    ).scalar_one()


def provider_entries(session: Session, provider_id: int, version: int) -> int:
    session.expire_all()
    return session.execute(
        select(func.count())
        .select_from(ProviderChange)
        .where(ProviderChange.provider_id == provider_id, ProviderChange.version == version)
    ).scalar_one()


def _won(answer) -> bool:  # noqa: ANN001
    """A write that was confirmed: 2xx, or a staff page's redirect that is no conflict."""
    if answer.status == 303:
        return "veraltet" not in answer.location
    return 200 <= answer.status < 300


def assert_one_winner(figures: Figures, label: str) -> None:
    won = [a for a in figures.answers if _won(a)]
    lost = [a for a in figures.answers if not _won(a)]
    assert len(won) == 1, f"{label}: {figures.line()}"
    assert all(a.status in (303, 409, 412) for a in lost), f"{label}: {figures.line()}"


# --- every write route, N = 2 and 5, one worker -------------------------------------------


def _api_routes(token: str) -> list[tuple[str, str, Callable[[int], Send], int]]:
    """(label, kind, send for an item id, the version the winner writes)."""
    auth = {"Authorization": f"Bearer {token}"}

    def call(method: str, suffix: str, body: Callable[[int], dict] | None, version: int):
        def for_item(item_id: int, base: str = "offers") -> Send:
            def send(client: httpx.Client, i: int) -> httpx.Response:
                return client.request(
                    method,
                    f"/api/v1/{base}/{item_id}{suffix}",
                    headers={**auth, "If-Match": f'"{version}"'},
                    json=body(i) if body else None,
                )

            return send

        return for_item

    phone = lambda i: {"contact_phone": f"0234 {200000 + i}"}  # noqa: E731
    full = lambda i: {"name": f"Kita Rennen {i} (generiert)", "category": "kita"}  # noqa: E731
    return [
        ("PATCH offer", "offer", call("PATCH", "", phone, 1), 2),
        ("PUT offer", "offer", call("PUT", "", full, 1), 2),
        ("archive offer", "offer", call("POST", "/archive", None, 1), 2),
        ("restore offer", "archived offer", call("POST", "/restore", None, 2), 3),
        ("verify offer", "offer", call("POST", "/verify", None, 1), 2),
    ]


def _provider_routes(token: str) -> list[tuple[str, Callable[[int], Send]]]:
    def call(method: str, suffix: str, body: Callable[[int], dict] | None):
        def for_provider(provider_id: int) -> Send:
            def send(client: httpx.Client, i: int) -> httpx.Response:
                return client.request(
                    method,
                    f"/api/v1/providers/{provider_id}{suffix}",
                    headers={"Authorization": f"Bearer {token}", "If-Match": '"1"'},
                    json=body(i) if body else None,
                )

            return send

        return for_provider

    return [
        ("PATCH provider", call("PATCH", "", lambda i: {"kind": "verein"})),
        ("PUT provider", call("PUT", "", lambda i: {"name": f"Träger Neu {i} (generiert)"})),
        ("archive provider", call("POST", "/archive", None)),
    ]


def _staff_routes(form_token: str) -> list[tuple[str, Callable[[int], Send]]]:
    def post(suffix: str, data: Callable[[int], dict]) -> Callable[[int], Send]:
        def for_offer(offer_id: int) -> Send:
            def send(client: httpx.Client, i: int) -> httpx.Response:
                return client.post(
                    f"/verwaltung/angebote/{offer_id}{suffix}",
                    data={"csrf_token": form_token, **data(i)},
                )

            return send

        return for_offer

    return [
        (
            "staff form",
            post(
                "",
                lambda i: {
                    "name": "Kita Formular (generiert)",
                    "category": "kita",
                    "contact_phone": f"0234 {300000 + i}",
                    "version": "1",
                },
            ),
        ),
        ("staff archive", post("/archivieren", lambda i: {"version": "1"})),
        ("staff verify", post("/pruefen", lambda i: {"version": "1"})),
        ("staff place", post("/platzieren", lambda i: {"ort": "51.4818, 7.2162", "version": "1"})),
    ]


@pytest.mark.parametrize("n", [2, 5])
def test_of_n_parallel_writes_on_one_version_exactly_one_wins_on_every_route(
    engine, session, n, capsys
):
    token = make_token(session)
    with server(engine, workers=1) as base:
        cookies, form_token = signed_in(base, session)
        lines = []

        def check(label: str, figures: Figures, entries: int) -> None:
            lines.append(f"{label}, N={n}: {figures.line()}; change-log entries {entries}")
            assert_one_winner(figures, label)
            assert entries == 1, f"{label}: {entries} change-log entries for one version"

        for label, kind, for_offer, version in _api_routes(token):
            offer = make_offer(
                session, name=f"Kita {label} (generiert)", lon=MITTE[0], lat=MITTE[1]
            )
            if kind == "archived offer":
                with httpx.Client(base_url=base) as api:
                    api.post(
                        f"/api/v1/offers/{offer.id}/archive",
                        headers={"Authorization": f"Bearer {token}"},
                    )
            session.commit()
            figures = burst(base, n, for_offer(offer.id))
            check(label, figures, offer_entries(session, offer.id, version))

        for label, for_provider in _provider_routes(token):
            provider = create_provider(
                session, ProviderCreate(name=f"Träger {label} {n} (generiert)"), STAFF
            )
            session.commit()
            figures = burst(base, n, for_provider(provider.id))
            check(label, figures, provider_entries(session, provider.id, 2))

        for label, for_offer in _staff_routes(form_token):
            offer = make_offer(session, name=f"Kita {label} (generiert)")
            session.commit()
            figures = burst(base, n, for_offer(offer.id), cookies=cookies)
            check(label, figures, offer_entries(session, offer.id, 2))

        # Restoring an earlier state from the history, based on version 2.
        offer = make_offer(session, name="Kita Verlauf (generiert)")
        session.commit()
        with httpx.Client(base_url=base) as api:
            api.patch(
                f"/api/v1/offers/{offer.id}",
                headers={"Authorization": f"Bearer {token}"},
                json={"costs": "neu"},
            )

        def restore(client: httpx.Client, i: int, oid: int = offer.id) -> httpx.Response:
            return client.post(
                f"/verwaltung/angebote/{oid}/verlauf/1/wiederherstellen",
                data={"csrf_token": form_token, "version": "2"},
            )

        figures = burst(base, n, restore, cookies=cookies)
        check("history restore", figures, offer_entries(session, offer.id, 3))

        # The provider's staff form.
        provider = create_provider(
            session, ProviderCreate(name=f"Träger Form {n} (generiert)"), STAFF
        )
        session.commit()

        def provider_form(client: httpx.Client, i: int, pid: int = provider.id) -> httpx.Response:
            return client.post(
                f"/verwaltung/traeger/{pid}",
                data={
                    "csrf_token": form_token,
                    "name": f"Träger Form {n} {i} (generiert)",
                    "kind": "verein",
                    "version": "1",
                },
            )

        figures = burst(base, n, provider_form, cookies=cookies)
        check("staff provider form", figures, provider_entries(session, provider.id, 2))

        # Merging two duplicates, N times at once: merged once.
        keep = make_offer(
            session, name="Kita Doppelt (generiert)", street="Weg 1", postcode="44787"
        )
        other = make_offer(
            session,
            name="Kita Doppelt (generiert)",
            street="Weg 1",
            postcode="44787",
            contact_phone="0234 999999",
        )
        session.commit()
        pair = [keep.id, other.id]

        def merge(client: httpx.Client, i: int) -> httpx.Response:
            return client.post(
                "/verwaltung/dubletten/zusammenfuehren",
                data={"csrf_token": form_token, "ids": pair, "keep": pair[0]},
            )

        figures = burst(base, n, merge, cookies=cookies)
        merged = offer_entries(session, pair[0], 2) + offer_entries(session, pair[1], 2)
        lines.append(f"merge, N={n}: {figures.line()}; change-log entries {merged}")
        assert merged == 2 and offer_entries(session, pair[0], 3) == 0, figures.line()
        assert figures.server_errors == 0, figures.line()

        # Confirming one upload N times at once: applied once (its new offer too).
        target = make_offer(session, name="Kita Hochladen (generiert)")
        session.commit()
        upload = StaffUpload(
            user_id=session.execute(select(StaffUser.id)).scalar_one(),
            filename="rennen.csv",
            content=(
                "id;version;name;kategorie;telefon\n"
                f"{target.id};1;Kita Hochladen (generiert);kita;0234 444444\n"
                ";;Kita Neu aus Datei (generiert);kita;0234 555555\n"
            ),
        )
        session.add(upload)
        session.commit()

        def confirm(client: httpx.Client, i: int, uid: int = upload.id) -> httpx.Response:
            return client.post(
                f"/verwaltung/hochladen/{uid}/bestaetigen", data={"csrf_token": form_token}
            )

        figures = burst(base, n, confirm, cookies=cookies)
        created = session.execute(
            select(func.count())
            .select_from(Offer)
            .where(Offer.name == "Kita Neu aus Datei (generiert)")
        ).scalar_one()
        entries = offer_entries(session, target.id, 2)
        lines.append(f"upload confirm, N={n}: {figures.line()}; entries {entries}, new {created}")
        assert (entries, created) == (1, 1), figures.line()
        assert figures.server_errors == 0, figures.line()
    with capsys.disabled():
        print("\n" + "\n".join(lines))


# --- N = 20, 50 offers, 100 authenticated requests: one and four workers -----------------


@pytest.mark.parametrize("workers", [1, 4])
def test_parallel_writes_and_authenticated_load_hold_on_one_and_four_workers(
    engine, session, workers, db_backend, capsys
):
    token = make_token(session)
    race_offer = make_offer(session, name="Kita Zwanzig (generiert)")
    small = {n: make_offer(session, name=f"Kita Rennen {n} (generiert)") for n in (2, 5)}
    many = [make_offer(session, name=f"Kita Viele {i} (generiert)") for i in range(50)]
    mixed = [make_offer(session, name=f"Kita Mix {i} (generiert)") for i in range(100)]
    session.commit()
    many_ids = [o.id for o in many]
    with server(engine, workers=workers) as base:
        cookies, _form = signed_in(base, session)

        small_races = {
            n: burst(base, n, same_version_patch(f"/api/v1/offers/{o.id}", token, 1))
            for n, o in small.items()
        }
        small_entries = {n: offer_entries(session, o.id, 2) for n, o in small.items()}
        race = burst(base, 20, same_version_patch(f"/api/v1/offers/{race_offer.id}", token, 1))
        entries = offer_entries(session, race_offer.id, 2)
        session.expire_all()
        stored = session.get(Offer, race_offer.id)

        def own_offer(client: httpx.Client, i: int) -> httpx.Response:
            return client.patch(
                f"/api/v1/offers/{many_ids[i]}",
                headers={"Authorization": f"Bearer {token}", "If-Match": '"1"'},
                json={"contact_phone": f"0234 {400000 + i}"},
            )

        fifty = burst(base, 50, own_offer)
        session.expire_all()
        phones = {o.id: session.get(Offer, o.id).contact_phone for o in many}
        fifty_entries = sum(offer_entries(session, o.id, 2) for o in many)

        mix = burst(base, 100, authenticated_mix(token, [o.id for o in mixed]), cookies=cookies)

    with capsys.disabled():
        for n, figures in small_races.items():
            print(
                f"\n{db_backend}, {workers} worker(s): same-version PATCH N={n}: "
                f"{figures.line()}; change-log entries for version 2: {small_entries[n]}",
                end="",
            )
        print(
            f"\n{db_backend}, {workers} worker(s): same-version PATCH N=20: {race.line()}; "
            f"change-log entries for version 2: {entries}\n"
            f"{db_backend}, {workers} worker(s): 50 offers at once: {fifty.line()}; "
            f"entries {fifty_entries}\n"
            f"{db_backend}, {workers} worker(s): 100 authenticated: {mix.line()}"
        )
    for n, figures in small_races.items():
        assert figures.statuses[200] == 1 and figures.statuses[409] == n - 1, figures.line()
        assert small_entries[n] == 1, f"N={n}: {small_entries[n]} change-log entries"
    assert_one_winner(race, "PATCH N=20")
    assert race.statuses[200] == 1 and race.statuses[409] == 19, race.line()
    assert entries == 1 and stored.version == 2
    winner = next(i for i, a in enumerate(race.answers) if a.status == 200)
    assert stored.contact_phone == f"0234 {100000 + winner}"

    assert fifty.statuses[200] == 50, fifty.line()
    assert fifty_entries == 50
    assert phones == {o.id: f"0234 {400000 + i}" for i, o in enumerate(many)}

    assert mix.server_errors == 0, mix.line()
    assert all(200 <= a.status < 300 for a in mix.answers), mix.line()


# --- overload: a quick 503 with Retry-After, never a 500 after 30 s -----------------------


def test_overload_is_a_quick_503_with_retry_after(engine, session, db_backend, capsys):
    token = make_token(session)
    offers = [make_offer(session, name=f"Kita Andrang {i} (generiert)") for i in range(10)]
    session.commit()
    ids = [o.id for o in offers]
    url = engine.url.render_as_string(hide_password=False)
    env = {
        **SERVER_ENV,
        "WORKER_THREADS": "1",
        "DATABASE_QUEUE_TIMEOUT": "0.2",
    }
    with running_server(url, workers=1, env=env) as (base, _pid):
        figures = burst(base, 40, authenticated_mix(token, ids, staff_pages=False))
    with capsys.disabled():
        print(f"\n{db_backend}, 1 thread, queue 0.2 s: 40 at once: {figures.line()}")
    busy = [a for a in figures.answers if a.status == 503]
    assert figures.statuses[500] == 0, figures.line()
    assert busy, f"no request was turned away: {figures.line()}"
    assert all(a.retry_after for a in busy)
    assert max(a.seconds for a in busy) < 10, figures.line()
    assert all(a.status in (200, 503) for a in figures.answers), figures.line()

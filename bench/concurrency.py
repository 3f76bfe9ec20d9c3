"""Parallel requests against a running server, with real threads: the same-version
race (N writers, one version: exactly one may win) and the authenticated mix (reads
and writes with a token and a staff session at once). Used by the tests
(``tests/staff/test_concurrency_live.py``) and by ``make loadtest``."""

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx


@dataclass(frozen=True)
class Answer:
    status: int
    seconds: float
    location: str = ""
    retry_after: str | None = None


@dataclass
class Figures:
    """What a burst of parallel requests got back."""

    answers: list[Answer] = field(default_factory=list)

    @property
    def statuses(self) -> Counter:
        return Counter(a.status for a in self.answers)

    @property
    def server_errors(self) -> int:
        return sum(1 for a in self.answers if a.status >= 500)

    def percentile(self, p: float) -> float:
        return percentile([a.seconds for a in self.answers], p)

    def line(self) -> str:
        counts = ", ".join(f"{n} × {s}" for s, n in sorted(self.statuses.items()))
        return (
            f"{len(self.answers)} requests: {counts}; p50 {self.percentile(50) * 1000:.0f} ms, "
            f"p99 {self.percentile(99) * 1000:.0f} ms, max {self.percentile(100) * 1000:.0f} ms"
        )


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile (p in 0..100) of ``values``."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


Send = Callable[[httpx.Client, int], httpx.Response]

# For the server a burst goes to: ``burst`` opens every connection before its barrier,
# and on a busy machine the last of 100 threads may connect after uvicorn's default
# keep-alive of 5 s has closed the first ones (a reset, not an answer of the app).
BURST_SERVER_ENV = {"UVICORN_TIMEOUT_KEEP_ALIVE": "120"}


def burst(
    base_url: str,
    n: int,
    send: Send,
    *,
    cookies: dict[str, str] | None = None,
    timeout: float = 120.0,
) -> Figures:
    """``send(client, i)`` for i in 0..n-1, all at once: n threads, each with its own
    connection, released together by a barrier; the answers in the order of i."""
    barrier = threading.Barrier(n)

    def one(i: int) -> Answer:
        with httpx.Client(base_url=base_url, timeout=timeout, cookies=cookies) as client:
            client.get("/healthz")  # the connection is open before the barrier
            barrier.wait()
            start = time.perf_counter()
            try:
                response = send(client, i)
            except httpx.TimeoutException:
                return Answer(599, time.perf_counter() - start)
            return Answer(
                response.status_code,
                time.perf_counter() - start,
                response.headers.get("location", ""),
                response.headers.get("retry-after"),
            )

    with ThreadPoolExecutor(max_workers=n) as pool:
        return Figures(list(pool.map(one, range(n))))


def same_version_patch(path: str, token: str, version: int) -> Send:
    """N editors change the same offer, all based on ``version`` (distinct phones)."""

    def send(client: httpx.Client, i: int) -> httpx.Response:
        return client.patch(
            path,
            headers={"Authorization": f"Bearer {token}", "If-Match": f'"{version}"'},
            json={"contact_phone": f"0234 {100000 + i}"},
        )

    return send


def authenticated_mix(token: str, offer_ids: Sequence[int], *, staff_pages: bool = True) -> Send:
    """Every third request a PATCH of its own offer, every third the change log of an
    offer (token), every third the signed-in staff list (cookie) or, without staff
    pages, the offer through the API."""

    def send(client: httpx.Client, i: int) -> httpx.Response:
        auth = {"Authorization": f"Bearer {token}"}
        offer_id = offer_ids[i % len(offer_ids)]
        kind = i % 3
        if kind == 0:
            return client.patch(
                f"/api/v1/offers/{offer_id}", headers=auth, json={"costs": f"Mix {i}"}
            )
        if kind == 1:
            return client.get(f"/api/v1/offers/{offer_id}/changes", headers=auth)
        if staff_pages:
            return client.get("/verwaltung/angebote")
        return client.get(f"/api/v1/offers/{offer_id}", headers=auth)

    return send

"""The writes `make loadtest` sends while wrk loads the server: edits through the admin
API (each must be stored exactly once, with one audit entry), same-offer races (one
winner per version) and a burst of authenticated requests; and their report."""

import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select
from sqlmodel import Session

from app.config import PROJECT_ROOT
from app.models import Offer, OfferChange
from bench.concurrency import Figures, authenticated_mix, burst, same_version_patch


@dataclass
class Edits:
    """The edits sent through the admin API during the load, and what came back."""

    operation: str | None = None
    sent: dict[int, str] = field(default_factory=dict)  # offer id -> marker
    answers: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Races:
    """The same-offer races and the authenticated burst sent during the load."""

    rounds: list[tuple[Figures, int]] = field(default_factory=list)  # answers, log entries
    mix: Figures | None = None
    problems: list[str] = field(default_factory=list)


def send_races(base: str, database_url: str, engine: Any, rounds: int, races: Races) -> None:
    """``rounds`` same-offer races on offers of their own (created through the API, so
    they never meet the other edits), then one burst of 100 authenticated requests."""
    if rounds <= 0:
        return
    token = create_token(database_url)
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=60, headers=auth) as client:
        ids = []
        for n in range(rounds + 34):
            body = {"name": f"Lasttest Rennen {n} (generiert)", "category": "kita"}
            made = client.post("/api/v1/offers", json=body)
            for _ in range(10):  # turned away under the load: again after Retry-After
                if made.status_code != 503:
                    break
                time.sleep(min(float(made.headers.get("retry-after") or 1), 5))
                made = client.post("/api/v1/offers", json=body)
            if made.status_code != 201:
                races.problems.append(f"race offer not created: HTTP {made.status_code}")
                return
            ids.append(made.json()["id"])
    for offer_id in ids[:rounds]:
        figures = burst(base, 20, same_version_patch(f"/api/v1/offers/{offer_id}", token, 1))
        with Session(engine) as session:
            entries = len(
                session.execute(
                    select(OfferChange.id).where(
                        OfferChange.offer_id == offer_id, OfferChange.version == 2
                    )
                ).all()
            )
        races.rounds.append((figures, entries))
        if race_problem(figures, entries):
            races.problems.append(f"race on offer {offer_id}: {figures.line()}; {entries} entries")
    races.mix = burst(base, 100, authenticated_mix(token, ids[rounds:], staff_pages=False))
    if races.mix.statuses.get(500) or set(races.mix.statuses) - {200, 503}:
        races.problems.append(f"authenticated burst: {races.mix.line()}")


def race_problem(figures: Figures, entries: int) -> bool:
    """A same-version race went wrong: more than one winner, a change-log entry more or
    less than winners, an answer that is neither 200, 409 nor the overload's 503, or no
    winner although nobody was turned away. (Under the wrk load a request may get the
    quick 503 with Retry-After; it was not acknowledged, so nothing is lost.)"""
    won, busy = figures.statuses.get(200, 0), figures.statuses.get(503, 0)
    unexpected = set(figures.statuses) - {200, 409, 503}
    return won > 1 or entries != won or bool(unexpected) or (busy == 0 and won != 1)


def admin_edit_operation(schema: dict[str, Any]) -> tuple[str, str, dict] | None:
    """(method, path, body schema) of the admin API's offer edit, if the schema has one."""
    for path, item in schema.get("paths", {}).items():
        if (
            not path.startswith("/api/")
            or "{" not in path
            or "offer" not in path.lower()
            and "angebot" not in path.lower()
        ):
            continue
        for method in ("patch", "put"):
            spec = item.get(method)
            if (
                spec
                and spec.get("requestBody")
                and (spec.get("security") or schema.get("security"))
            ):
                content = spec["requestBody"].get("content", {})
                body = content.get("application/json", {}).get("schema", {})
                return method.upper(), path, _resolve(schema, body)
    return None


def _resolve(schema: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    ref = body.get("$ref")
    if ref:
        return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return body


def create_token(database_url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "create-token", "--role", "editor", "lasttest"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"create-token failed: {done.stderr}")
    return done.stdout.split()[-1]


def send_edits(
    base: str, database_url: str, engine: Any, count: int, edits: Edits, rng: random.Random
) -> None:
    """``count`` edits through the admin API, one after another, during the load."""
    schema = httpx.get(f"{base}/api/openapi.json", timeout=30).json()
    found = admin_edit_operation(schema)
    if found is None:
        return
    method, path, body_schema = found
    edits.operation = f"{method} {path}"
    properties = body_schema.get("properties", {})
    text_field = next(
        (f for f in ("notes", "description", "target_group") if f in properties), None
    )
    if text_field is None:
        edits.problems.append(f"{edits.operation}: no text field to edit in its body")
        return
    token = create_token(database_url)
    with Session(engine) as session:
        ids = rng.sample(list(session.execute(select(Offer.id)).scalars()), count)
    param = path[path.index("{") + 1 : path.index("}")]
    with httpx.Client(
        base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        for n, offer_id in enumerate(ids):
            marker = f"Lasttest-Änderung {n} (generiert)"
            body: dict[str, Any] = {text_field: marker}
            if "version" in properties:
                body["version"] = client.get(f"/angebote/{offer_id}.json").json()["version"]
            answer = client.request(method, path.replace(f"{{{param}}}", str(offer_id)), json=body)
            edits.answers.append(answer.status_code)
            edits.sent[offer_id] = marker
            if answer.status_code >= 300:
                edits.problems.append(f"offer {offer_id}: HTTP {answer.status_code}")


def check_edits(
    engine: Any,
    edits: Edits,
    text_field_names: tuple[str, ...] = ("notes", "description", "target_group"),
) -> None:
    """Each edit stored exactly once, with exactly one audit entry carrying it."""
    with Session(engine) as session:
        for offer_id, marker in edits.sent.items():
            offer = session.get(Offer, offer_id)
            if offer is None or marker not in [getattr(offer, f) for f in text_field_names]:
                edits.problems.append(f"offer {offer_id}: the edit is not stored")
            logged = [
                c
                for c in session.execute(
                    select(OfferChange).where(OfferChange.offer_id == offer_id)
                ).scalars()
                if marker in json.dumps(c.after, ensure_ascii=False)
            ]
            if len(logged) != 1:
                edits.problems.append(f"offer {offer_id}: {len(logged)} audit entries")


def races_text(races: Races) -> str:
    if not races.rounds and races.mix is None and not races.problems:
        return ""
    lines = ["", "| concurrency (during the load) | value |", "|---|---|"]
    for n, (figures, entries) in enumerate(races.rounds, 1):
        busy = figures.statuses.get(503, 0)
        lines.append(
            f"| same-offer race {n}: 20 PATCHes, one If-Match | "
            f"{figures.statuses.get(200, 0)} × 200, {figures.statuses.get(409, 0)} × 409, "
            + (f"{busy} × 503 (turned away with Retry-After), " if busy else "")
            + f"{entries} change-log entry(ies); p99 {figures.percentile(99) * 1000:.0f} ms |"
        )
    if races.mix is not None:
        lines.append(f"| 100 authenticated requests at once | {races.mix.line()} |")
    lines += [""] + [f"- problem: {p}" for p in races.problems]
    return "\n".join(lines) + "\n"

"""The route table as the harness walks it: every HTTP route of the app, read from the
app itself (never a hand-kept list), so routes merged later are walked too.

Path parameters are filled with values that exist in the test's database where the
harness knows them (an offer's id, a district's slug), else with a plain value (the
route then answers 404 or 422, and its headers are checked all the same).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

SKIP_PREFIXES = ("/static",)  # files, checked by one request each in the walk


@dataclass(frozen=True)
class Route:
    path: str  # the template, e.g. /angebote/{offer_id}
    methods: frozenset[str]
    name: str
    params: tuple[str, ...]
    in_schema: bool

    def url(self, values: dict[str, Any]) -> str:
        url = self.path
        for name in self.params:
            url = url.replace(f"{{{name}}}", str(values.get(name, _fallback(name))))
            url = url.replace(f"{{{name}:path}}", str(values.get(name, "x")))
        return url

    @property
    def writes(self) -> bool:
        return bool(self.methods - {"GET", "HEAD", "OPTIONS"})


def _fallback(name: str) -> str:
    return "1" if name.endswith(("id", "_nr", "version")) or name in ("id", "version") else "x"


def routes(app: FastAPI) -> list[Route]:
    """Every HTTP route of ``app`` (included routers flattened), the static mount aside."""
    found = []
    for route in iter_route_contexts(app.routes):
        path = route.path
        methods = route.methods
        if not path or not methods or path.startswith(SKIP_PREFIXES):
            continue
        params = tuple(getattr(route, "param_convertors", {}) or {})
        found.append(
            Route(
                path,
                frozenset(methods),
                route.name or "",
                params,
                bool(getattr(route, "include_in_schema", False)),
            )
        )
    return found


def get_routes(app: FastAPI) -> list[Route]:
    return [r for r in routes(app) if "GET" in r.methods]


def write_routes(app: FastAPI) -> list[Route]:
    return [r for r in routes(app) if r.writes]


def requests_for(app: FastAPI, values: dict[str, Any]) -> Iterator[tuple[str, str, Route]]:
    """(method, url, route) for every method of every route."""
    for route in routes(app):
        for method in sorted(route.methods):
            yield method, route.url(values), route

"""The templates' ``url_for`` fills a route's pattern for whole-number ids instead of
walking the route table each time: the paths are Starlette's own, for every route."""

import random

import pytest

from app.main import create_app
from app.web.render import _path_for


def _routes_with_parameters(routes, found):  # noqa: ANN001
    for route in routes:
        if getattr(route, "param_convertors", None) and getattr(route, "name", None):
            found.append(route)
        inner = getattr(route, "original_router", None)  # FastAPI's included routers
        if inner is not None:
            _routes_with_parameters(inner.routes, found)
    return found


def test_every_route_with_ids_gets_the_path_starlette_gives():
    app = create_app()
    rng = random.Random(22)
    routes = [
        r
        for r in _routes_with_parameters(app.router.routes, [])
        if all(type(c).__name__ == "IntegerConvertor" for c in r.param_convertors.values())
        or all(type(c).__name__ == "StringConvertor" for c in r.param_convertors.values())
    ]
    assert len(routes) > 50  # the offer, provider, goal, scenario ... pages
    for route in routes:
        for value in (0, 7, rng.randint(1, 10**9)):
            params = {k: value + i for i, k in enumerate(route.param_convertors)}
            want = str(app.url_path_for(route.name, **params))
            assert _path_for(app, route.name, tuple(sorted(params.items()))) == want


@pytest.mark.parametrize("warm", [True, False])
def test_a_starting_worker_compiles_every_template_when_asked(warm, monkeypatch):
    """With ``WARM_TEMPLATES`` (the default outside the tests) a worker compiles all
    templates at start-up, before any page asks for them; without, none."""
    from fastapi.testclient import TestClient

    from app.config import get_settings
    from app.main import create_app
    from app.web.render import env

    monkeypatch.setenv("WARM_TEMPLATES", "true" if warm else "false")
    get_settings.cache_clear()
    env.cache.clear()
    try:
        with TestClient(create_app()):
            cached = {key[1] for key in env.cache.keys()}
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    names = set(env.list_templates())
    assert len(names) > 100
    if warm:
        assert names <= cached
    else:
        assert not cached

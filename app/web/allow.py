"""The ``Allow`` header of a 405, from the whole route table."""

from fastapi import Request
from fastapi.routing import iter_route_contexts
from fastapi.staticfiles import StaticFiles
from starlette.routing import Match


def allowed_methods(request: Request) -> str:
    """The ``Allow`` header of a 405: the methods of every route at this path (HEAD
    wherever GET is, as the middleware answers it)."""
    methods: set[str] = set()
    # Inside a mount (static files) the scope's root_path is the mount's: match from the app.
    scope = {
        **request.scope,
        "root_path": request.scope.get("app_root_path", request.scope.get("root_path", "")),
    }
    for route in iter_route_contexts(request.app.routes):
        if route.matches(scope)[0] == Match.NONE:
            continue
        if route.methods:
            methods |= set(route.methods)
        elif isinstance(getattr(route, "app", None), StaticFiles):
            methods.add("GET")
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))

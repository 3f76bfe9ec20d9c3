"""Imports point down: every module of app/ sits in a layer and imports only its own
layer and those below it, and no domain module imports FastAPI (or Starlette).

The check reads the source (every ``import``, also those inside functions), so a
module that reaches upwards fails here before it is ever run."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"

# Bottom to top. A module may import its own layer and every layer below it.
LAYERS: list[tuple[str, ...]] = [
    ("config", "text", "i18n", "files", "errors", "numbers", "mail", "messages", "urls", "sources"),
    ("models",),
    ("db",),
    ("geo", "staff"),
    ("catalogue",),
    ("search", "planning", "goals"),
    ("formats", "maps"),
    ("importer", "hsds"),
    # HTTP from here on.
    ("deps",),
    ("web",),
    ("routers", "main", "cli"),
]
HTTP_FROM = LAYERS.index(("deps",))
LEVEL = {unit: i for i, layer in enumerate(LAYERS) for unit in layer}
FRAMEWORKS = ("fastapi", "starlette")


def _unit(module: str) -> str:
    """``app.catalogue.write`` -> ``catalogue``; ``app.deps`` -> ``deps``."""
    return module.split(".")[1]


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) of every import in the file, ``from x import y`` as
    ``x.y`` (y may be a module of package x)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _graph() -> dict[str, list[tuple[int, str]]]:
    graph = {}
    for path in sorted(APP.rglob("*.py")):
        module = ".".join(path.relative_to(APP.parent).with_suffix("").parts)
        graph[module.removesuffix(".__init__")] = _imports(path)
    return graph


def _violations(graph: dict[str, list[tuple[int, str]]]) -> list[str]:
    problems = []
    for module, imports in graph.items():
        if module == "app" or _unit(module) not in LEVEL:
            continue  # a module without a layer: the test above names it
        own = LEVEL[_unit(module)]
        for line, name in imports:
            top = name.split(".")[0]
            if top in FRAMEWORKS and own < HTTP_FROM:
                problems.append(f"{module}:{line} imports {name} (domain code never imports HTTP)")
            if top != "app" or name == "app" or _unit(name) == _unit(module):
                continue
            if _unit(name) not in LEVEL:
                continue  # ``from app import i18n``: the module is checked as app.i18n
            if LEVEL[_unit(name)] > own:
                problems.append(
                    f"{module}:{line} imports {name}: {_unit(module)} may not import "
                    f"{_unit(name)}, which sits above it"
                )
    return sorted(set(problems))


def test_every_module_of_app_has_a_layer():
    units = {_unit(m) for m in _graph() if m != "app"}
    assert units - set(LEVEL) == set(), "add the new module or package to LAYERS"


def test_imports_point_down_and_the_domain_never_imports_fastapi():
    assert _violations(_graph()) == []


def test_the_check_sees_imports_inside_functions_and_names_the_upward_ones():
    graph = _graph()
    # It reads real imports, also one inside a function (an empty graph would pass the
    # check above vacuously) ...
    assert "app.db.state" in {name for _, name in graph["app.geo.gazetteer"]}
    assert "app.db.session.make_engine" in {name for _, name in graph["app.db.migrate"]}
    assert any(name.startswith("fastapi") for _, name in graph["app.deps"])
    # ... and reports what the layering forbids.
    graph["app.models.types"] = [(10, "app.catalogue.categories")]
    graph["app.planning.grid"] = [(21, "app.importer.rows"), (99, "fastapi.Request")]
    graph["app.deps"] = [(30, "app.web.planning_context")]
    assert _violations(graph) == [
        "app.deps:30 imports app.web.planning_context: deps may not import web, "
        "which sits above it",
        "app.models.types:10 imports app.catalogue.categories: models may not import "
        "catalogue, which sits above it",
        "app.planning.grid:21 imports app.importer.rows: planning may not import "
        "importer, which sits above it",
        "app.planning.grid:99 imports fastapi.Request (domain code never imports HTTP)",
    ]

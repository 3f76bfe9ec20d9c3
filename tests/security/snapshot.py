"""Every row of every table of a database, to compare two states exactly."""

import json
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

# Tables a database extension owns and fills itself (PostGIS), not the catalogue's.
EXTENSION_TABLES = {"spatial_ref_sys"}


def table_names(engine: Engine) -> list[str]:
    names = inspect(engine).get_table_names()
    return sorted(n for n in names if n not in EXTENSION_TABLES)


def _same_json(value: Any) -> Any:
    """A JSON object stored as text, with its keys sorted (two processes may write the
    keys of the same object in another order)."""
    if isinstance(value, str) and value.startswith("{"):
        try:
            return json.dumps(json.loads(value), sort_keys=True)
        except ValueError:
            return value
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def rows_of_every_table(engine: Engine, *, ignore: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """{table: its rows, sorted}. ``ignore`` names columns left out (e.g. timestamps
    when two separate runs are compared); JSON objects then compare by content."""
    snapshot: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for name in table_names(engine):
            result = conn.execute(text(f'SELECT * FROM "{name}"'))
            keep = [i for i, col in enumerate(result.keys()) if col not in ignore]
            rows = (tuple(row[i] for i in keep) for row in result)
            if ignore:
                rows = (tuple(_same_json(v) for v in row) for row in rows)
            snapshot[name] = sorted(rows, key=repr)
    return snapshot


def differences(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> list[str]:
    """What differs, table by table, readably."""
    out = []
    for name in sorted(set(a) | set(b)):
        if a.get(name) != b.get(name):
            out.append(f"{name}: {len(a.get(name) or [])} rows vs {len(b.get(name) or [])}")
    return out

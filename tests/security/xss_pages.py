"""The pages on which hostile text shows: every HTML route of the route table with the
hostile offer's id and district filled in, the search pages searching for it, and every
documented text parameter of every HTML route carrying a payload (reflected input)."""

from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI

from tests.security.hostile import BREAKOUT, SCRIPT, TEMPLATE
from tests.security.routes import get_routes


def _text_parameters(operation: dict[str, Any]) -> list[str]:
    names = []
    for param in operation.get("parameters", []):
        schema = param.get("schema", {})
        kinds = [schema.get("type")] + [s.get("type") for s in schema.get("anyOf", [])]
        if param.get("in") == "query" and "string" in kinds:
            names.append(param["name"])
    return names


def hostile_urls(app: FastAPI, values: dict[str, Any], search_word: str) -> list[str]:
    """Every URL whose page may show the hostile offer or echo hostile input."""
    schema = app.openapi()
    urls: list[str] = []
    for route in get_routes(app):
        url = route.url(values)
        urls.append(url)
        operation = schema["paths"].get(route.path, {}).get("get")
        if operation is None:
            continue
        texts = _text_parameters(operation)
        if "q" in texts:
            urls.append(f"{url}?{urlencode({'q': search_word})}")
        for name in texts:
            for payload in (SCRIPT, BREAKOUT, TEMPLATE):
                urls.append(f"{url}?{urlencode({name: payload})}")
    return urls

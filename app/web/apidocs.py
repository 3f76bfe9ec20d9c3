"""The API documentation as a server-rendered page, built from the app's own OpenAPI
schema (``/api/openapi.json``).

Why not Swagger UI or ReDoc: both are large third-party scripts that need inline
script or inline styles, so they either break the strict CSP (scripts and styles from
this site only) or need exceptions in it, and neither works without JavaScript. This
page needs neither, passes the same accessibility checks as every other page, is
translated like them, and documents every route that is added to the schema without
anyone editing it.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_REF = "#/components/schemas/"


@dataclass(frozen=True)
class Field:
    name: str
    where: str  # "query", "path", "header", "cookie" or "" (a model's field)
    type: str
    required: bool
    rules: list[str]
    description: str
    model: str | None = None  # a referenced model, linked on the page

    @property
    def model_anchor(self) -> str:
        return anchor(f"model-{self.model}")


@dataclass(frozen=True)
class Body:
    media_type: str
    type: str
    model: str | None

    @property
    def model_anchor(self) -> str:
        return anchor(f"model-{self.model}")


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    bodies: list[Body]


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field] = field(default_factory=list)
    request: list[Body] = field(default_factory=list)
    request_required: bool = False
    answers: list[Answer] = field(default_factory=list)
    security: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return anchor(f"{self.method}-{self.path}")


@dataclass(frozen=True)
class Model:
    name: str
    description: str
    fields: list[Field]

    @property
    def anchor(self) -> str:
        return anchor(f"model-{self.name}")


@dataclass(frozen=True)
class Group:
    """The operations under one first path segment ("/angebote", "/api/v1/offers")."""

    name: str
    operations: list[Operation]

    @property
    def anchor(self) -> str:
        return anchor(f"group-{self.name}")


@dataclass(frozen=True)
class ApiDocument:
    title: str
    version: str
    groups: list[Group]
    models: list[Model]
    security_schemes: dict[str, str]

    @property
    def operations(self) -> list[Operation]:
        return [op for group in self.groups for op in group.operations]


def plain(text: str) -> str:
    """A docstring as plain text (without reStructuredText's double backticks), its
    whitespace collapsed: the key of the text in the ``apidocs`` catalogue."""
    return " ".join(text.replace("``", "").split())


def anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def model_name(ref: str) -> str:
    return ref.removeprefix(_REF)


def describe_type(schema: dict[str, Any]) -> tuple[str, str | None]:
    """A short type name for ``schema`` ("integer", "string[]", "OfferPublic") and the
    model it refers to, if any."""
    if "$ref" in schema:
        name = model_name(schema["$ref"])
        return name, name
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts = [describe_type(s) for s in schema[key]]
            names = [name for name, _ in parts if name != "null"]
            model = next((m for _, m in parts if m), None)
            optional = len(names) < len(parts)
            text = " | ".join(dict.fromkeys(names)) or "null"
            return (f"{text} | null" if optional else text), model
    kind = schema.get("type", "")
    if kind == "array":
        inner, model = describe_type(schema.get("items", {}))
        return f"{inner}[]", model
    if isinstance(kind, list):
        return " | ".join(kind), None
    if schema.get("format"):
        return f"{kind or 'string'} ({schema['format']})", None
    return kind or "any", None


def rules(schema: dict[str, Any]) -> list[str]:
    """The constraints a value must meet, as short technical notes ("1 … 50000")."""
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [r for s in schema[key] for r in rules(s)]
    found: list[str] = []
    if schema.get("type") == "array":
        found += rules(schema.get("items", {}))
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None or high is not None:
        found.append(f"{'' if low is None else low} … {'' if high is None else high}")
    if "minLength" in schema:
        found.append(f"minLength {schema['minLength']}")
    if "maxLength" in schema:
        found.append(f"maxLength {schema['maxLength']}")
    if "pattern" in schema:
        found.append(f"pattern {schema['pattern']}")
    if "enum" in schema:
        found.append(" | ".join(str(v) for v in schema["enum"]))
    if "default" in schema and schema["default"] not in ("", None, []):
        found.append(f"default {json.dumps(schema['default'], ensure_ascii=False)}")
    return found


Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


def _text(text: str, translate: Translate) -> str:
    text = plain(text)
    return translate(text) if text else ""


def _field(
    name: str,
    where: str,
    schema: dict[str, Any],
    required: bool,
    description: str = "",
    translate: Translate = _same,
) -> Field:
    type_name, model = describe_type(schema)
    return Field(
        name=name,
        where=where,
        type=type_name,
        required=required,
        rules=rules(schema),
        description=_text(description or schema.get("description", ""), translate),
        model=model,
    )


def _bodies(content: dict[str, Any]) -> list[Body]:
    bodies = []
    for media_type, spec in content.items():
        type_name, model = describe_type(spec.get("schema", {}))
        bodies.append(Body(media_type, type_name, model))
    return bodies


def _operation(
    method: str,
    path: str,
    spec: dict[str, Any],
    default_security: list[dict[str, Any]],
    translate: Translate = _same,
) -> Operation:
    op = Operation(
        method=method.upper(),
        path=path,
        summary=spec.get("summary", ""),
        description=_text(spec.get("description", ""), translate),
    )
    for param in spec.get("parameters", []):
        op.parameters.append(
            _field(
                param["name"],
                param.get("in", ""),
                param.get("schema", {}),
                bool(param.get("required")),
                param.get("description", ""),
                translate,
            )
        )
    body = spec.get("requestBody")
    if body:
        op.request = _bodies(body.get("content", {}))
        op.request_required = bool(body.get("required"))
    for status, answer in sorted(spec.get("responses", {}).items()):
        op.answers.append(
            Answer(
                str(status),
                _text(answer.get("description", ""), translate),
                _bodies(answer.get("content", {})),
            )
        )
    for requirement in spec.get("security", default_security):
        op.security += list(requirement)
    return op


def _group(path: str) -> str:
    first = path.strip("/").split("/")[0]
    if first == "api":
        parts = path.strip("/").split("/")
        return "/" + "/".join(parts[:3])
    return "/" + re.split(r"[.{]", first)[0] if first else "/"


def document(schema: dict[str, Any], translate: Translate = _same) -> ApiDocument:
    """Everything the page shows, from an OpenAPI 3 schema; every text through
    ``translate`` (the schema's texts are partly German, partly English: the page is
    in one language)."""
    default_security = schema.get("security", [])
    groups: dict[str, list[Operation]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                op = _operation(method, path, item[method], default_security, translate)
                groups.setdefault(_group(path), []).append(op)
    models = []
    for name, spec in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(spec.get("required", []))
        fields = [
            _field(fname, "", fspec, fname in required, translate=translate)
            for fname, fspec in spec.get("properties", {}).items()
        ]
        models.append(Model(name, _text(spec.get("description", ""), translate), fields))
    schemes = {
        name: " ".join(str(s.get(k, "")) for k in ("type", "scheme") if s.get(k))
        for name, s in schema.get("components", {}).get("securitySchemes", {}).items()
    }
    info = schema.get("info", {})
    return ApiDocument(
        title=info.get("title", ""),
        version=info.get("version", ""),
        groups=[Group(name, ops) for name, ops in sorted(groups.items())],
        models=models,
        security_schemes=schemes,
    )


def texts(schema: dict[str, Any]) -> set[str]:
    """Every text of ``schema`` the page shows (descriptions of operations, parameters,
    answers, models and fields), as ``plain`` makes them: what the ``apidocs``
    catalogues must hold."""
    doc = document(schema)
    found: set[str] = set()
    for op in doc.operations:
        found |= {op.description, *(p.description for p in op.parameters)}
        found |= {a.description for a in op.answers}
    for m in doc.models:
        found |= {m.description, *(f.description for f in m.fields)}
    return found - {""}

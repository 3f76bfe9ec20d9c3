"""The HSDS 3.0 JSON schemas, resolved locally, as a ``jsonschema`` validator with its
formats checked (uuid, email, uri, date-time: ``rfc3986-validator`` and
``rfc3339-validator`` make the last two check; without them jsonschema skips them).

Each object schema is registered under the URI the spec's OpenAPI uses
(``https://raw.githubusercontent.com/openreferral/specification/3.0/schema/<file>``),
so the files' relative ``$ref``s (``"phone.json"``) resolve in the registry and nothing
is fetched. The compiled wrappers the spec publishes but that are too large to keep
(``compiled/organization.json``, ``compiled/service_at_location.json``) are built here:
the organization with ``services``, the service_at_location with its ``service``
(without ``service_at_locations``).
"""

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
HERE = Path(__file__).parent / "schema"

# what each endpoint answers (a list page wraps these items in the Page envelope)
SERVICE = "service.json"
SERVICE_LIST = "compiled/service_list.json"
ORGANIZATION = "compiled/organization.json"  # built: organization.json + services
ORGANIZATION_LIST = "compiled/organization_list.json"
SERVICE_AT_LOCATION = "compiled/service_at_location.json"  # built, see above
SERVICE_AT_LOCATION_LIST = "compiled/service_at_location_list.json"
TAXONOMY = "taxonomy.json"
TAXONOMY_TERM = "taxonomy_term.json"
PAGE = "page.json"  # the OpenAPI's Page, with every property required (see README)

PAGE_FIELDS = (
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
)


def _page_schema(item: str) -> dict[str, Any]:
    props: dict[str, Any] = {
        name: {"type": "boolean" if name in ("first_page", "last_page", "empty") else "integer"}
        for name in PAGE_FIELDS
    }
    props["contents"] = {"type": "array", "items": {"$ref": BASE + item}}
    return {"type": "object", "properties": props, "required": [*PAGE_FIELDS, "contents"]}


def load_schemas(folder: Path) -> dict[str, dict[str, Any]]:
    """Every schema of ``folder`` by its file name relative to the spec's schema folder,
    plus the built wrappers."""
    schemas: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name != "openapi.json":
            schemas[path.name] = json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((folder / "compiled").glob("*.json")):
        schemas[f"compiled/{path.name}"] = json.loads(path.read_text(encoding="utf-8"))
    schemas[ORGANIZATION] = {
        "allOf": [{"$ref": BASE + "organization.json"}],
        "properties": {"services": {"type": "array", "items": {"$ref": BASE + SERVICE}}},
    }
    service_without_sal = {
        "allOf": [{"$ref": BASE + SERVICE}],
        "not": {"required": ["service_at_locations"]},
    }
    schemas[SERVICE_AT_LOCATION] = {
        "allOf": [{"$ref": BASE + "service_at_location.json"}],
        "properties": {"service": service_without_sal},
    }
    return schemas


class Validator:
    """Validators of the HSDS schemas of one folder, by schema name."""

    def __init__(self, folder: Path = HERE) -> None:
        from jsonschema import Draft202012Validator, FormatChecker
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        schemas = load_schemas(folder)
        resources = [
            (BASE + name, Resource.from_contents(schema, default_specification=DRAFT202012))
            for name, schema in schemas.items()
        ]
        self.registry = Registry().with_resources(resources)
        self.schemas = schemas
        self.format_checker = FormatChecker()
        for needed in ("uuid", "email", "uri", "date-time"):
            if needed not in self.format_checker.checkers:
                raise RuntimeError(f"jsonschema cannot check the format {needed}")
        self._cls = Draft202012Validator
        self._validators: dict[str, Any] = {}

    def validator(self, name: str, page: bool = False) -> Any:
        key = f"page:{name}" if page else name
        if key not in self._validators:
            schema = _page_schema(name) if page else {"$ref": BASE + name}
            self._validators[key] = self._cls(
                schema, registry=self.registry, format_checker=self.format_checker
            )
        return self._validators[key]

    def errors(self, name: str, instance: Any, page: bool = False) -> Iterator[Any]:
        """Every error of ``instance`` (``jsonschema.ValidationError``), path order."""
        yield from sorted(
            self.validator(name, page).iter_errors(instance), key=lambda e: e.json_path
        )


@cache
def validator() -> Validator:
    """The validator of the copies kept with the code (the import's)."""
    return Validator(HERE)

"""The validator the HSDS tests trust: the spec's own example responses pass it, and
a deliberately broken one fails on exactly what was broken (formats included: uuid,
email, uri, date-time are checked, not only annotated)."""

import json

import pytest

from app.hsds import schemas
from app.hsds.schemas import HERE

EXAMPLES = [
    ("service_full.json", schemas.SERVICE, False),
    ("service_list.json", schemas.SERVICE_LIST, True),
    ("organization_full.json", schemas.ORGANIZATION, False),
    ("organization_list.json", schemas.ORGANIZATION_LIST, True),
    ("service_at_location_full.json", schemas.SERVICE_AT_LOCATION, False),
    ("service_at_location_list.json", schemas.SERVICE_AT_LOCATION_LIST, True),
    ("taxonomy.json", schemas.TAXONOMY, False),
    ("taxonomy_list.json", schemas.TAXONOMY, True),
    ("taxonomy_term.json", schemas.TAXONOMY_TERM, False),
    ("taxonomy_term_list.json", schemas.TAXONOMY_TERM, True),
    ("location.json", "location.json", False),
]


@pytest.mark.parametrize(("example", "schema", "page"), EXAMPLES)
def test_the_specs_examples_validate(hsds, standard, example, schema, page):
    data = json.loads((standard / "examples" / example).read_text())
    assert [e.message for e in hsds.errors(schema, data, page)] == []


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("id",), "ac148810-d857-441c", "is not a 'uuid'"),
        (("last_modified",), "gestern", "is not a 'date-time'"),
        (("url",), "http://exa mple.com/x y", "is not a 'uri'"),
        (("email",), "nobody.example.com", "is not a 'email'"),
        (("phones", 0, "id"), "7", "is not a 'uuid'"),
        (("status",), "open", "is not one of"),
        (("minimum_age",), "twelve", "is not of type 'number'"),
    ],
)
def test_a_broken_example_fails_on_what_was_broken(hsds, standard, path, value, message):
    data = json.loads((standard / "examples" / "service_full.json").read_text())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    errors = list(hsds.errors(schemas.SERVICE, data))
    assert len(errors) == 1
    assert tuple(errors[0].absolute_path) == path and message in errors[0].message


def test_a_missing_required_field_and_a_broken_page_fail(hsds, standard):
    data = json.loads((standard / "examples" / "service_full.json").read_text())
    del data["name"]
    assert ["'name' is a required property"] == [
        e.message for e in hsds.errors(schemas.SERVICE, data)
    ]
    page = json.loads((standard / "examples" / "service_list.json").read_text())
    del page["total_items"]
    page["empty"] = "no"
    assert len(list(hsds.errors(schemas.SERVICE_LIST, page, page=True))) == 2


def test_the_copies_the_import_uses_are_the_standards_files(standard):
    kept = sorted(p.relative_to(HERE) for p in HERE.rglob("*.json"))
    assert len(kept) >= 24
    for name in kept:
        assert (HERE / name).read_bytes() == (standard / name).read_bytes(), name


def test_derived_ids_are_the_uuid5_of_the_namespace_and_key():
    import uuid

    from app.hsds.ids import NAMESPACE, uid

    for key in (("service", "stadt-bochum-poi", "8039"), ("schedule", "x", "weekly", 0)):
        name = "\x1f".join(map(str, key))
        assert uid(*key) == str(uuid.uuid5(NAMESPACE, name))

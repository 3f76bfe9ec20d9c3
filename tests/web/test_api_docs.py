"""The API documentation page: generated from the OpenAPI schema, so every documented
operation, parameter and model is on it, and it needs no script at all."""

from app.web.apidocs import document
from tests.security.pages import page_parts


def test_every_documented_operation_parameter_and_model_is_on_the_page(client):
    schema = client.get("/api/openapi.json").json()
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.text
    doc = document(schema)
    assert len(doc.operations) == sum(
        1
        for item in schema["paths"].values()
        for m in item
        if m in ("get", "post", "put", "patch", "delete")
    )
    for op in doc.operations:
        assert f'id="{op.anchor}"' in html and f"<code>{op.path}</code>" in html
        for param in op.parameters:
            assert f"<code>{param.name}</code>" in html
    for name in schema["components"]["schemas"]:
        assert f"<code>{name}</code>" in html
    assert "<code>integer | null</code>" in html  # alter
    assert "0 … 120" in html and "1 … 50000" in html  # the ranges of alter and umkreis


def test_the_page_needs_no_script_and_links_resolve(client):
    html = client.get("/api/docs").text
    parts = page_parts(html)
    assert all(
        (s.get("src") or "").startswith(("/static/", "https://cdn.jsdelivr.net/npm/"))
        for s in parts.scripts
    )
    assert not parts.inline_scripts and not parts.style_attributes
    anchors = {a.split('"')[0] for a in html.split('id="')[1:]}
    for target in {h.split('"')[0] for h in html.split('href="#')[1:]}:
        assert target in anchors, f"#{target} points nowhere"


def test_the_page_is_in_english_with_lang_en(client):
    html = client.get("/api/docs", params={"lang": "en"}).text
    assert "API documentation" in html and "Answers" in html


def test_the_about_page_links_the_documentation(client):
    assert 'href="/api/docs"' in client.get("/ueber").text


def test_a_model_reference_in_anyof_and_arrays_is_named():
    schema = {
        "paths": {
            "/x/{id}": {
                "patch": {
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Change"}}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Change"},
                                    }
                                }
                            },
                        }
                    },
                    "security": [{"bearer": []}],
                }
            }
        },
        "components": {
            "schemas": {
                "Change": {
                    "properties": {
                        "notes": {"anyOf": [{"type": "string", "maxLength": 20}, {"type": "null"}]}
                    }
                }
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
    doc = document(schema)
    op = doc.operations[0]
    assert op.method == "PATCH" and op.security == ["bearer"] and op.request_required
    assert op.request[0].model == "Change" and op.answers[0].bodies[0].type == "Change[]"
    assert op.parameters[0].rules == ["1 … "]
    notes = doc.models[0].fields[0]
    assert notes.type == "string | null" and notes.rules == ["maxLength 20"]
    assert doc.security_schemes == {"bearer": "http bearer"}

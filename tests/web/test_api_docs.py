"""The API documentation page: generated from the OpenAPI schema, so every documented
operation, parameter and model is on it, and it needs no script at all."""

from html import unescape

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


def _catalogue(lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    from app.i18n import LOCALE_DIR

    with (LOCALE_DIR / lang / "LC_MESSAGES" / "apidocs.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def test_every_text_of_the_schema_is_in_both_languages(client):
    """A new route's docstring or description must be added to both apidocs.po files
    (German and English), or the page would mix the two languages again."""
    from app.web.apidocs import texts

    wanted = texts(client.get("/api/openapi.json").json())
    for lang in ("de", "en"):
        catalogue = _catalogue(lang)
        missing = sorted(t for t in wanted if not catalogue.get(t))
        assert not missing, f"app/locales/{lang}/LC_MESSAGES/apidocs.po lacks: {missing}"


def test_the_page_is_in_one_language_per_request(client):
    german = unescape(client.get("/api/docs").text)
    english = unescape(client.get("/api/docs", params={"lang": "en"}).text)
    # German page: the schema's English texts in German, the German ones as they are.
    assert "Erfolgreiche Antwort" in german and "Successful Response" not in german
    assert "Ein Parameter ist ungültig" in german and "A parameter is invalid" not in german
    assert "Suchbegriff (Wortanfänge)" in german
    assert "Ersetzt das ganze Angebot" in german and "Replace the whole offer" not in german
    # English page: the German parameter texts in English.
    assert "search words (beginnings of words)" in english
    assert "Suchbegriff" not in english and "Umkreis in Metern" not in english
    assert "Successful Response" in english and "Erfolgreiche Antwort" not in english

"""Request bodies over the limit (1 MiB; 10 MiB for multipart uploads) get a 413, as a
German page or JSON with the security headers, before any route reads them; on every
route of the route table, so routes merged later are covered too."""

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from app.config import get_settings
from app.main import create_app
from tests.security.routes import routes

MAX_BODY = get_settings().max_body_bytes
MAX_UPLOAD = get_settings().max_upload_bytes


def multipart(size: int) -> tuple[bytes, str]:
    boundary = "grenze1234567890"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="datei"; '
        f'filename="angebote.csv"\r\nContent-Type: text/csv\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    body = head + b"a" * (size - len(head) - len(tail)) + tail
    assert len(body) == size
    return body, f"multipart/form-data; boundary={boundary}"


def assert_refused(response, what: str) -> None:  # noqa: ANN001
    assert response.status_code == 413, f"{what}: {response.status_code}"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"], what
    assert response.headers["x-content-type-options"] == "nosniff", what
    assert "zu groß" in response.text, what


def test_every_route_refuses_a_body_over_one_mib(client, auth_headers):
    body = b"{" + b" " * MAX_BODY + b"}"
    seen = 0
    for route in routes(client.app):
        for method in sorted(route.methods - {"HEAD"}):
            url = route.url({})
            response = client.request(
                method,
                url,
                content=body,
                headers={**auth_headers, "Content-Type": "application/json"},
            )
            assert_refused(response, f"{method} {url}")
            seen += 1
    assert seen >= len(routes(client.app))


def test_every_route_refuses_an_upload_over_ten_mib(client, auth_headers):
    body, content_type = multipart(MAX_UPLOAD + 1)
    for route in routes(client.app):
        for method in sorted(route.methods - {"HEAD", "GET"}) or ["POST"]:
            url = route.url({})
            response = client.request(
                method, url, content=body, headers={**auth_headers, "Content-Type": content_type}
            )
            assert_refused(response, f"{method} {url} (upload)")


def test_the_refusal_is_a_german_page_or_json_as_the_address_asks():
    with TestClient(create_app()) as client:
        page = client.post("/angebote", content=b"x" * (MAX_BODY + 1))
        data = client.post("/angebote.json", content=b"x" * (MAX_BODY + 1))
    assert page.headers["content-type"].startswith("text/html")
    assert "Die Anfrage ist zu groß: höchstens 1 MB sind erlaubt." in page.text
    assert data.json() == {"detail": "Die Anfrage ist zu groß: höchstens 1 MB sind erlaubt."}


@pytest.fixture
def reading_app():  # noqa: ANN201
    """The app with two routes that read what they are sent (as upload and API routes
    do), to check the limit while a body without Content-Length is being read."""
    app = create_app()

    @app.post("/probe/body")
    async def read_body(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    @app.post("/probe/form")
    async def read_upload(request: Request) -> dict[str, int]:
        # Read as a stream, as an upload route hands it to a multipart parser.
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        return {"bytes": size}

    with TestClient(app) as client:
        yield client


def chunks(total: int, size: int = 65536):  # noqa: ANN201
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        sent += n
        yield b"a" * n


def test_a_body_without_length_is_refused_once_it_passes_the_limit(reading_app):
    response = reading_app.post("/probe/body", content=chunks(MAX_BODY + 1))
    assert_refused(response, "chunked body")
    response = reading_app.post("/probe/body", content=chunks(MAX_BODY))
    assert response.status_code == 200 and response.json() == {"bytes": MAX_BODY}


def test_an_upload_up_to_ten_mib_is_read_and_one_byte_more_refused(reading_app):
    body, content_type = multipart(2 * MAX_BODY)
    ok = reading_app.post("/probe/form", content=body, headers={"Content-Type": content_type})
    assert ok.status_code == 200 and ok.json()["bytes"] > MAX_BODY
    body, content_type = multipart(MAX_UPLOAD)
    ok = reading_app.post("/probe/form", content=body, headers={"Content-Type": content_type})
    assert ok.status_code == 200
    body, content_type = multipart(MAX_UPLOAD + 1)

    def stream():  # noqa: ANN202
        yield from (body[i : i + 65536] for i in range(0, len(body), 65536))

    refused = reading_app.post(
        "/probe/form", content=stream(), headers={"Content-Type": content_type}
    )
    assert_refused(refused, "chunked upload")


def test_a_body_at_the_limit_reaches_the_route(reading_app):
    response = reading_app.post("/probe/body", content=b"a" * MAX_BODY)
    assert response.status_code == 200 and response.json() == {"bytes": MAX_BODY}

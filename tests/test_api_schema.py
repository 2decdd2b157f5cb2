"""schemathesis against the served OpenAPI schema: generated requests never get a 500, and every
response matches the schema; plus auth bypass and path traversal attempts."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from conftest import served
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from surveyor import Settings, Surveyor


@pytest.fixture(scope="module")
def guarded(corpus: Surveyor) -> Iterator[str]:
    with served(Surveyor(Settings(store=corpus.settings.store)).load(), token="t0ken") as url:
        yield url


@pytest.fixture(scope="module")
def api_schema(guarded: str) -> schemathesis.BaseSchema:
    schema = httpx.get(f"{guarded}/openapi.json", headers={"Authorization": "Bearer t0ken"}).json()
    loaded = schemathesis.openapi.from_dict(schema)
    loaded.config.update(base_url=guarded, headers={"Authorization": "Bearer t0ken"})
    return loaded


def test_generated_requests_get_no_server_error(api_schema: schemathesis.BaseSchema) -> None:
    # Driven by hand: schemathesis' pytest plugin does not run under pytest 9.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
        def conforms(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance, content_type_conformance])

        conforms()


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer"}, {"Authorization": "Bearer  t0ken"}, {"Authorization": "bearer t0ken"},
     {"Authorization": "Basic dDBrZW4="}, {"Authorization": "Bearer T0KEN"}, {"X-Authorization": "Bearer t0ken"}],
)
def test_auth_bypass_attempts_are_refused(guarded: str, headers: dict[str, str]) -> None:
    for path in ("/v1/search?q=video", "/v1/papers/hnerv", "//v1/search?q=video", "/v1/../v1/search?q=video"):
        assert httpx.get(f"{guarded}{path}", headers=headers).status_code == 401, (path, headers)


@pytest.mark.parametrize(
    "paper_id", ["../../../../etc/passwd", "..%2F..%2Fpapers.sqlite", "%2e%2e/manifest.json", "/etc/passwd", "hnerv%00.json"]
)
def test_path_traversal_in_ids_reads_no_file(guarded: str, paper_id: str) -> None:
    response = httpx.get(f"{guarded}/v1/papers/{paper_id}", headers={"Authorization": "Bearer t0ken"})
    assert response.status_code == 404
    assert "root:" not in response.text and "SQLite" not in response.text


@pytest.mark.parametrize(
    "path", ["/static/../v1/search?q=video", "/static/%2e%2e/v1/search?q=video", "/static/..%2Fv1%2Fsearch?q=video",
             "/static/../../v1/papers/hnerv", "/static//v1/papers/hnerv", "/static/app.js/../../v1/search?q=video"],
)
def test_the_public_page_paths_open_no_api_route(guarded: str, path: str) -> None:
    """The page's files need no token; a path under them that names an API route still gets no data. Sent as
    raw bytes, since an HTTP client would normalise the dots away before they reach the server."""
    host, port = guarded.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        response = b""
        while chunk := connection.recv(65536):
            response += chunk
    status = int(response.split(b" ", 2)[1])
    assert status in (401, 404), (path, response[:200])
    assert b"paper_id" not in response and b"abstract" not in response

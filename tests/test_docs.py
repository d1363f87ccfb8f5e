"""/docs and /redoc work offline (assets served locally) and /openapi.json is self-consistent."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factcheck.pipeline import Pipeline
from service.app import create_app
from service.settings import Settings


@pytest.fixture
def client(tmp_path: Path, fake_pipeline: Pipeline) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path / "data"), pipeline=fake_pipeline)
    with TestClient(app) as c:
        yield c


def _asset_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)=["']([^"']+)["']""", html) + re.findall(
        r"""url: ?["']([^"']+)["']""", html
    )


@pytest.mark.parametrize(("page", "needs"), [("/docs", "SwaggerUIBundle"), ("/redoc", "redoc")])
def test_doc_pages_load_only_local_assets(client: TestClient, page: str, needs: str) -> None:
    r = client.get(page)
    assert r.status_code == 200 and needs in r.text
    urls = _asset_urls(r.text)
    assert urls, r.text
    for url in urls:
        assert url.startswith("/"), f"{page} loads {url} from another host"
        got = client.get(url)
        assert got.status_code == 200, url
        assert len(got.content) > 1000 or url == "/openapi.json", url
    assert "cdn.jsdelivr" not in r.text and "fonts.googleapis" not in r.text


def test_swagger_ui_renders_openapi_3_1(client: TestClient) -> None:
    """FastAPI writes OpenAPI 3.1; Swagger UI 4 refuses to render it, 5 does."""
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")
    bundle = client.get("/docs-assets/swagger-ui-bundle.js").text
    assert "isOAS31" in bundle


def _pointer(doc: Any, ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"unresolvable $ref {ref}"
        node = node[part]
    return node


def test_every_ref_in_openapi_resolves(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    assert len(refs) > 20
    for ref in refs:
        _pointer(spec, ref)
    body = spec["paths"]["/compare"]["post"]["requestBody"]["content"]["application/json"]
    items = body["schema"]["properties"]["articles"]["items"]
    assert "text" in items["properties"] and "source" in items["properties"]

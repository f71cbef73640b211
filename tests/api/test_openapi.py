"""The OpenAPI document describes every API route, and nothing else."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import TypeAdapter
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route

from meetings.web.api import PREFIX, REGISTRY
from tests.client import Client

DOCUMENT = f"{PREFIX}/openapi.json"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def document(client: Client) -> dict[str, Any]:
    response = client.get(DOCUMENT)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    return response.json()


def _routes(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, Route]]:
    for route in routes:
        if isinstance(route, Mount):
            yield from _routes(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            yield prefix + route.path, route


def _app_operations(app: Starlette) -> set[tuple[str, str]]:
    """(method, path) of every API route the app serves, except the document itself."""
    return {
        (method.lower(), re.sub(r"{(\w+):\w+}", r"{\1}", path))
        for path, route in _routes(app.routes)
        if path.startswith(PREFIX + "/") and path != DOCUMENT
        for method in route.methods or ()
        if method != "HEAD"
    }


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_document_has_the_shape_of_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"] and document["info"]["version"]
    assert isinstance(document["paths"], dict) and document["paths"]
    assert isinstance(document["components"]["schemas"], dict)
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for method, path, operation in _operations(document):
        assert path.startswith(PREFIX + "/") and method in METHODS
        assert operation["summary"] and operation["responses"]


def test_every_api_route_is_documented(app: Starlette, document: dict[str, Any]) -> None:
    documented = {(method, path) for method, path, _op in _operations(document)}
    served = _app_operations(app)
    assert served, "the app serves API routes"
    assert served - documented == set(), "served but not documented"
    assert documented - served == set(), "documented but not served"


def test_every_operation_documents_its_success_and_errors(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        where = f"{method.upper()} {path}"
        success = [code for code in operation["responses"] if code.startswith("2")]
        content = operation["responses"][success[0]].get("content", {})
        if set(success) == {"200", "206"}:  # a file, whole or by range
            assert content, where
            assert all(c["schema"]["format"] == "binary" for c in content.values()), where
            assert "416" in operation["responses"], where
        else:
            assert len(success) == 1, where
            if success[0] != "204":
                assert content["application/json"]["schema"], where
        for code in ("401", "404"):
            schema = operation["responses"][code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, where
        if "requestBody" in operation:
            assert "422" in operation["responses"], where


def test_path_parameters_match_the_path(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        declared = [param["name"] for param in operation["parameters"] if param["in"] == "path"]
        assert declared == re.findall(r"{(\w+)}", path), f"{method.upper()} {path}"


def test_operation_ids_are_unique(document: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _m, _p, operation in _operations(document)]
    assert len(ids) == len(set(ids))


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for ref in _references(document):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def test_no_two_models_share_a_schema_name() -> None:
    """Components are keyed by class name, so two models of one name would overwrite each other."""
    seen: dict[str, Any] = {}
    for route in REGISTRY:
        for kind in (route.body, route.response):
            if kind is None:
                continue
            for name, schema in TypeAdapter(kind).json_schema().get("$defs", {}).items():
                assert seen.setdefault(name, schema) == schema, name


def test_organisation_request_bodies_refuse_unknown_fields(document: dict[str, Any]) -> None:
    bodies = [
        operation["requestBody"]["content"]["application/json"]["schema"]
        for _m, path, operation in _operations(document)
        if path.startswith(f"{PREFIX}/organisations") and "requestBody" in operation
    ]
    assert len(bodies) == 3
    assert all(schema["additionalProperties"] is False for schema in bodies)

"""The OpenAPI 3.1 document, generated from the routes of the API blueprint
and the pydantic models they declare with `documented(...)`: the parameters
come from the endpoint's query model, the answers from its response model
(pydantic writes JSON Schema 2020-12, the dialect of OpenAPI 3.1)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from pydantic import BaseModel

from tafel.api.schemas import NoQuery, Problem

REF = "#/components/schemas/{model}"
PROBLEM = {"$ref": "#/components/schemas/Problem"}
PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass
class Operation:
    summary: str
    response: type[BaseModel]
    query: type[BaseModel] = NoQuery
    body: type[BaseModel] | None = None
    tag: str = "read"
    errors: tuple[int, ...] = (400, 401, 404, 429)
    description: str = ""
    success: int = 200
    extra: dict[str, Any] = field(default_factory=dict)


def documented(**kwargs) -> Callable:
    """Attach the endpoint's schemas to its view function."""
    operation = Operation(**kwargs)

    def attach(view):
        view.api_operation = operation
        return view

    return attach


class Components:
    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}

    def add(self, model: type[BaseModel], mode: str = "serialization") -> dict:
        schema = model.model_json_schema(by_alias=True, ref_template=REF, mode=mode)  # type: ignore[arg-type]
        for name, definition in schema.pop("$defs", {}).items():
            self.schemas[name] = definition
        self.schemas[model.__name__] = schema
        return {"$ref": REF.format(model=model.__name__)}

    def parameters(self, model: type[BaseModel]) -> list[dict]:
        schema = model.model_json_schema(by_alias=True, ref_template=REF, mode="validation")
        required = set(schema.get("required", []))
        out = []
        for name, prop in schema.get("properties", {}).items():
            prop = _not_null(dict(prop))
            description = prop.pop("description", None)
            prop.pop("title", None)
            parameter = {"name": name, "in": "query", "required": name in required,
                         "schema": prop}  # fmt: skip
            if description:
                parameter["description"] = description
            out.append(parameter)
        return out


def _not_null(schema: dict) -> dict:
    """A query parameter is absent or a value: never JSON null."""
    branches = [b for b in schema.pop("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches
    if schema.get("default", 0) is None:
        del schema["default"]
    return schema


def _path(rule: str) -> tuple[str, list[dict]]:
    params = []
    for converter, name in PATH_PARAM.findall(rule):
        schema: dict[str, Any] = {"type": "string"}
        if converter == "int":
            schema = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return PATH_PARAM.sub(r"{\2}", rule), params


def _responses(operation: Operation, components: Components) -> dict:
    success = {"description": "OK", "content": {"application/json": {
        "schema": components.add(operation.response)}}}  # fmt: skip
    if operation.success == 200:
        success["headers"] = {"ETag": {"schema": {"type": "string"}}}
    responses: dict[str, Any] = {str(operation.success): success}
    if operation.success == 200:
        responses["304"] = {"description": "Not modified (If-None-Match / If-Modified-Since)"}
    for code in operation.errors:
        responses[str(code)] = {
            "description": "Problem (RFC 9457)",
            "content": {"application/problem+json": {"schema": PROBLEM}},
        }
    return responses


def _operation(endpoint: str, rule, operation: Operation, components: Components) -> dict:
    path_params = _path(rule.rule)[1]
    spec: dict[str, Any] = {
        "operationId": endpoint.split(".", 1)[-1],
        "summary": operation.summary,
        "tags": [operation.tag],
        "parameters": path_params + components.parameters(operation.query),
        "responses": _responses(operation, components),
        "security": [{}, {"token": []}] if operation.tag == "read" else [{"token": []}],
    }
    if operation.description:
        spec["description"] = operation.description
    if operation.body is not None:
        spec["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": components.add(operation.body, mode="validation")}}}  # fmt: skip
    return spec | operation.extra


def operations(app: Flask):
    """(path, method, endpoint, Operation) for every documented API route."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        operation = getattr(view, "api_operation", None)
        if operation is None:
            continue
        path = _path(rule.rule)[0]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield path, method.lower(), rule, operation


def document(app: Flask) -> dict:
    components = Components()
    components.schemas["Problem"] = Problem.model_json_schema(ref_template=REF)
    paths: dict[str, dict] = {}
    for path, method, rule, operation in operations(app):
        paths.setdefault(path, {})[method] = _operation(rule.endpoint, rule, operation, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Tafel API",
            "version": "1.0.0",
            "description": (
                "The public register of the industrie- en technologietafel: reports, "
                "decisions, ministry responses, action items and figures. Anonymous calls "
                "see what an anonymous visitor sees; a personal token acts as its user."
            ),
            "license": {"name": "CC0-1.0", "identifier": "CC0-1.0"},
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components.schemas,
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
    }

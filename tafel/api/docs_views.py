"""The OpenAPI document (`/api/v1/openapi.json`) and its human reading
(`/api/`), both made from the same routes and schemas."""

from __future__ import annotations

from flask import current_app, jsonify, render_template

from tafel.api.blueprint import api
from tafel.api.openapi import document


def _schema_type(schema: dict) -> str:
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " | ".join(_schema_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    kind = schema.get("type", "")
    return f"{kind} ({schema['format']})" if "format" in schema else kind


@api.get("/v1/openapi.json")
def openapi_json():
    return jsonify(document(current_app))


@api.get("/")
def docs():
    spec = document(current_app)
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op["summary"],
            "parameters": [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "type": _schema_type(p["schema"]),
                    "description": p.get("description", ""),
                }  # fmt: skip
                for p in op["parameters"]
            ],
            "tag": op["tags"][0],
        }
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
    ]
    return render_template("api/index.html", operations=operations)

"""The JSON API's reference page, rendered on the server from the app's OpenAPI schema.

FastAPI's own /docs loads Swagger UI's script from a CDN, so it is blank offline and needs an
exemption from the reader's no-script policy; this page needs neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    where: str  # "query", "path" or "form"
    type: str
    required: bool
    default: Any = None
    limits: str = ""


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str
    tag: str
    # The endpoint's docstring as (text, is_code) pieces: ``literal`` marks code.
    description: list[tuple[str, bool]]
    parameters: list[Parameter] = field(default_factory=list)


def endpoints(schema: dict[str, Any]) -> list[Endpoint]:
    """Every operation of an OpenAPI schema, in the schema's order."""
    out = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            params = [_parameter(p["name"], p.get("in", ""), p.get("required", False), p.get("schema", {})) for p in operation.get("parameters", [])]
            params += _form_fields(schema, operation)
            out.append(
                Endpoint(
                    method=method.upper(),
                    path=path,
                    tag=(operation.get("tags") or [""])[0],
                    description=_pieces(operation.get("description") or operation.get("summary", "")),
                    parameters=params,
                )
            )
    return out


def _pieces(text: str) -> list[tuple[str, bool]]:
    return [(piece, index % 2 == 1) for index, piece in enumerate(text.split("``")) if piece]


def _parameter(name: str, where: str, required: bool, schema: dict[str, Any]) -> Parameter:
    kinds = [s.get("type") for s in schema.get("anyOf", [schema]) if s.get("type") not in {None, "null"}]
    bounds = [f"{label} {schema[key]}" for key, label in (("minimum", "≥"), ("maximum", "≤"), ("maxLength", "length ≤")) if key in schema]
    return Parameter(name, where, " or ".join(kinds) or "any", required, schema.get("default"), ", ".join(bounds))


def _form_fields(schema: dict[str, Any], operation: dict[str, Any]) -> list[Parameter]:
    """Fields of a form body ("multipart/form-data" or "application/x-www-form-urlencoded")."""
    content = operation.get("requestBody", {}).get("content", {})
    for media, body in content.items():
        if "form" not in media:
            continue
        ref = body.get("schema", {}).get("$ref", "")
        model = schema.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[-1], body.get("schema", {}))
        required = set(model.get("required", []))
        return [_parameter(name, "form", name in required, prop) for name, prop in model.get("properties", {}).items()]
    return []

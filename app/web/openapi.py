"""OpenAPI documentation of what the routes parse themselves: query parameters from
a Pydantic model, and the error and file responses of the machine twins."""

from typing import Any

from pydantic import BaseModel


class Problem(BaseModel):
    loc: list[str]
    msg: str
    type: str


class ValidationProblem(BaseModel):
    """A 422: each bad parameter or field, named in ``loc``, with a message."""

    detail: list[Problem]


class NotFound(BaseModel):
    detail: str


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """OpenAPI parameter objects for every field of ``model`` (all optional)."""
    schema = model.model_json_schema()
    params = []
    for name, prop in schema["properties"].items():
        param: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {k: v for k, v in prop.items() if k not in ("title", "description")},
        }
        if "description" in prop:
            param["description"] = prop["description"]
        if prop.get("type") == "array":
            param.update(style="form", explode=True)
        params.append(param)
    return params


def with_query(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` of a route that reads ``model``'s parameters itself."""
    return {"parameters": query_parameters(model)}


INVALID = {422: {"model": ValidationProblem, "description": "A parameter is invalid"}}
NOT_FOUND = {404: {"model": NotFound, "description": "No such entry"}}


def file_response(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"content": {media_type: {"schema": {"type": "string"}}}, "description": description}
    }


HTML = {200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "HTML page"}}
HTML_NOT_FOUND = {
    404: {
        "content": {"text/html": {"schema": {"type": "string"}}},
        "description": "No such entry (an HTML page)",
    }
}

# A GeoJSON FeatureCollection (RFC 7946), as the GeoJSON twins write it.
GEOJSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": ["string", "integer"]},
                    "geometry": {"type": ["object", "null"]},
                    "properties": {"type": "object"},
                },
            },
        },
    },
}


def geojson_response(description: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "content": {"application/geo+json": {"schema": GEOJSON_SCHEMA}},
            "description": description,
        }
    }

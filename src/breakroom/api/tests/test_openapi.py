"""The API description is a valid OpenAPI document and names every API address."""

import re

from django.test import Client
from django.urls import URLPattern, get_resolver
from openapi_spec_validator import validate

from breakroom.api.openapi import SCHEMA


def api_paths() -> set[str]:
    resolver = next(
        pattern
        for pattern in get_resolver().url_patterns
        if getattr(pattern, "namespace", None) == "api"
    )
    paths = set()
    for pattern in resolver.url_patterns:  # type: ignore[union-attr]
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        paths.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("{slug}", "{site}"))
    return paths


def test_the_schema_is_valid_openapi() -> None:
    validate(SCHEMA)


def test_every_api_address_is_described() -> None:
    assert api_paths() - {"/openapi.json"} == set(SCHEMA["paths"])


def test_the_schema_is_served(anon_client: Client) -> None:
    response = anon_client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json()["openapi"] == "3.1.0"
    assert response.cookies == {}

"""The OpenAPI 3.1 description of Breakroom's JSON API, served at /api/v1/openapi.json.

Written by hand next to the views it describes; a test checks that it is a valid
OpenAPI document and that every API address is in it.
"""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


SITE = {"name": "site", "in": "path", "required": True, "schema": {"type": "string"}}
REPORT_ID = {
    "name": "report_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
}
B64 = {"type": "string", "contentEncoding": "base64"}
CATEGORY = {
    "type": "string",
    "enum": [
        "bullying",
        "overtime",
        "surveillance",
        "targets",
        "safety",
        "pay",
        "breaks",
        "scheduling",
        "discrimination",
        "other",
    ],
}
STATUS = {"type": "string", "enum": ["new", "acknowledged", "acting", "resolved"]}
FREQUENCY = {"type": "string", "enum": ["once", "sometimes", "often", "every_shift"]}
SESSION: list[dict[str, list[str]]] = [{"session": []}]

THREAD = {
    "type": "object",
    "required": ["report", "messages"],
    "properties": {
        "report": {
            "type": "object",
            "properties": {
                "category": CATEGORY,
                "frequency": FREQUENCY,
                "status": STATUS,
                "week": {
                    "type": "string",
                    "format": "date",
                    "description": "The Monday of the week.",
                },
                "body": {"type": "string"},
            },
        },
        "messages": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "from_reporter": {"type": "boolean"},
                    "week": {"type": "string", "format": "date"},
                    "body": {"type": "string"},
                },
            },
        },
    },
}

SCHEMA: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Breakroom API",
        "version": "1",
        "description": (
            "Anonymous reports, their threads and figures, and anonymous-but-eligible "
            "tokens. Errors are JSON {error, message}. Requests that change something "
            "must come from Breakroom's own pages (Sec-Fetch-Site) or from a client that "
            "is not a browser. See docs/api.md and docs/tokens.md."
        ),
        "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
    },
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {
            "session": {
                "type": "apiKey",
                "in": "cookie",
                "name": "breakroom_session",
                "description": "Signed in through /signin/; organisers also need breakroom_unlock.",
            }
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error", "message"],
                "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
            },
            "Key": {
                "type": "object",
                "required": [
                    "key_id",
                    "purpose",
                    "period",
                    "variant",
                    "modulus_bits",
                    "public_key",
                ],
                "properties": {
                    "key_id": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "purpose": {"type": "string", "enum": ["pulse", "report", "diary"]},
                    "period": {"type": "string"},
                    "variant": {"const": "RSABSSA-SHA384-PSS-Randomized"},
                    "modulus_bits": {"type": "integer"},
                    "public_key": B64,
                },
            },
        },
    },
    "paths": {
        "/sites/{site}/token-keys": {
            "get": {
                "summary": "The site's published token keys, one per purpose and period",
                "parameters": [SITE],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "site": {"type": "string"},
                                "keys": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Key"},
                                },
                            },
                        },
                        "The keys",
                    ),
                    "404": _error("No such site"),
                },
            }
        },
        "/sites/{site}/tokens/issue": {
            "post": {
                "summary": "Blind-sign tokens for a verified member",
                "security": SESSION,
                "parameters": [SITE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["key_id", "blinded_messages"],
                        "properties": {
                            "key_id": {"type": "string"},
                            "blinded_messages": {
                                "type": "array",
                                "items": B64,
                                "minItems": 1,
                                "maxItems": 5,
                            },
                        },
                    }
                ),
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "key_id": {"type": "string"},
                                "blind_signatures": {"type": "array", "items": B64},
                                "remaining": {"type": "integer"},
                            },
                        },
                        "The blind signatures",
                    ),
                    "400": _error("Malformed"),
                    "401": _error("Not signed in"),
                    "403": _error("Not verified at this site"),
                    "404": _error("Unknown key"),
                    "409": _error("Over the limit"),
                    "410": _error("Period closed"),
                },
            }
        },
        "/sites/{site}/tokens/spend": {
            "post": {
                "summary": "Spend a token, anonymously (send no cookie)",
                "parameters": [SITE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["key_id", "message", "signature"],
                        "properties": {
                            "key_id": {"type": "string"},
                            "message": B64,
                            "signature": B64,
                        },
                    }
                ),
                "responses": {
                    "201": _json(
                        {
                            "type": "object",
                            "properties": {
                                "spent": {"const": True},
                                "purpose": {"type": "string"},
                                "period": {"type": "string"},
                            },
                        },
                        "Spent",
                    ),
                    "400": _error("Malformed or invalid signature"),
                    "404": _error("Unknown key"),
                    "409": _error("Already spent"),
                    "410": _error("Outside the period"),
                },
            }
        },
        "/sites/{site}/tokens/{purpose}/{period}/spent": {
            "get": {
                "summary": "The public audit file of a closed period (docs/tokens.md)",
                "parameters": [
                    SITE,
                    {
                        "name": "purpose",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "period",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": _json({"type": "object"}, "The audit file"),
                    "404": _error("Not published (open period, or fewer than k tokens)"),
                },
            }
        },
        "/sites/{site}/reports": {
            "post": {
                "summary": "Send an anonymous report; the answer holds the receipt code, once",
                "parameters": [SITE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["category", "body"],
                        "properties": {
                            "category": CATEGORY,
                            "body": {"type": "string", "maxLength": 5000},
                            "frequency": FREQUENCY,
                            "department": {"type": "integer"},
                            "shift": {"type": "integer"},
                        },
                    }
                ),
                "responses": {
                    "201": _json(
                        {
                            "type": "object",
                            "properties": {
                                "receipt_code": {"type": "string"},
                                "week": {"type": "string", "format": "date"},
                            },
                        },
                        "Sent",
                    ),
                    "400": _error("Malformed, empty or too long"),
                    "404": _error("No such site"),
                    "429": _error("Too many reports"),
                },
            }
        },
        "/sites/{site}/reports/thread": {
            "post": {
                "summary": "Read your report and its thread with the receipt code",
                "parameters": [SITE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["code"],
                        "properties": {"code": {"type": "string"}},
                    }
                ),
                "responses": {
                    "200": _json(THREAD, "The report and its thread"),
                    "404": _error("No report matches the code"),
                    "429": _error("Too many wrong codes"),
                },
            }
        },
        "/sites/{site}/reports/thread/reply": {
            "post": {
                "summary": "Answer in your thread",
                "parameters": [SITE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["code", "body"],
                        "properties": {"code": {"type": "string"}, "body": {"type": "string"}},
                    }
                ),
                "responses": {
                    "201": _json(
                        {"type": "object", "properties": {"position": {"type": "integer"}}}, "Added"
                    ),
                    "400": _error("Empty or too long"),
                    "404": _error("No report matches the code"),
                    "409": _error("The thread is closed"),
                },
            }
        },
        "/sites/{site}/report-figures": {
            "get": {
                "summary": "Report counts by category and month, after the k rule",
                "parameters": [SITE],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "k": {"type": "integer"},
                                "months": {"type": "array", "items": {"type": "string"}},
                                "categories": {"type": "array", "items": CATEGORY},
                                "cells": {
                                    "type": "object",
                                    "additionalProperties": {"type": ["integer", "null"]},
                                },
                                "row_totals": {"type": "object"},
                                "column_totals": {"type": "object"},
                                "total": {"type": ["integer", "null"]},
                            },
                        },
                        "Published figures; null means withheld",
                    ),
                    "404": _error("No figures yet"),
                },
            }
        },
        "/sites/{site}/pulse/questions": {
            "get": {
                "summary": "Today's check-in questions at the site, in every language",
                "parameters": [SITE],
                "responses": {
                    "200": _json(
                        {"type": "object", "properties": {"questions": {"type": "array"}}},
                        "Questions",
                    ),
                    "404": _error("No such site"),
                },
            }
        },
        "/sites/{site}/pulse/checkin": {
            "post": {
                "summary": "An anonymous check-in paid for with today's pulse token (no cookie)",
                "parameters": [SITE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["token", "answers"],
                        "properties": {
                            "token": {
                                "type": "object",
                                "required": ["key_id", "message", "signature"],
                                "properties": {
                                    "key_id": {"type": "string"},
                                    "message": B64,
                                    "signature": B64,
                                },
                            },
                            "answers": {
                                "type": "object",
                                "description": "Question id → answer value",
                                "additionalProperties": {"type": "integer"},
                            },
                            "department": {"type": ["integer", "null"]},
                            "shift": {"type": ["integer", "null"]},
                        },
                    }
                ),
                "responses": {
                    "201": _json(
                        {"type": "object", "properties": {"stored": {"type": "integer"}}}, "Stored"
                    ),
                    "400": _error(
                        "Malformed, not today's question or token, out of range, invalid signature"
                    ),
                    "404": _error("Unknown key or site"),
                    "409": _error("Token already spent: already checked in today"),
                },
            }
        },
        "/sites/{site}/pulse/dashboard": {
            "get": {
                "summary": "The site's published check-in figures (null means withheld)",
                "parameters": [SITE],
                "responses": {
                    "200": _json({"type": "object"}, "Figures"),
                    "404": _error("None yet"),
                },
            }
        },
        "/pulse/dashboard": {
            "get": {
                "summary": "Published check-in figures across every site",
                "responses": {
                    "200": _json({"type": "object"}, "Figures"),
                    "404": _error("None yet"),
                },
            }
        },
        "/sites/{site}/diary/summaries": {
            "post": {
                "summary": "A week's diary summary, paid with that week's diary token (no cookie)",
                "parameters": [SITE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["token", "week", "hours_band", "extra_hours_band", "breaches"],
                        "properties": {
                            "token": {
                                "type": "object",
                                "properties": {
                                    "key_id": {"type": "string"},
                                    "message": B64,
                                    "signature": B64,
                                },
                            },
                            "week": {"type": "string", "format": "date", "description": "A Monday"},
                            "hours_band": {
                                "enum": ["under-40", "40-48", "48-55", "55-60", "over-60"]
                            },
                            "extra_hours_band": {"enum": ["none", "1-4", "5-9", "10-plus"]},
                            "breaches": {
                                "type": "object",
                                "additionalProperties": {"type": "integer"},
                            },
                        },
                    }
                ),
                "responses": {
                    "201": _json({"type": "object"}, "Contributed"),
                    "400": _error("Malformed, wrong token or invalid signature"),
                    "404": _error("Unknown key or site"),
                    "409": _error("Token already spent"),
                },
            }
        },
        "/sites/{site}/diary/figures": {
            "get": {
                "summary": "Working-time figures from contributed summaries, after the k rule",
                "parameters": [SITE],
                "responses": {
                    "200": _json({"type": "object"}, "Figures"),
                    "404": _error("None yet"),
                },
            }
        },
        "/sites/{site}/inbox": {
            "get": {
                "summary": "The site's reports, for its organisers (metadata only)",
                "security": SESSION,
                "parameters": [
                    SITE,
                    {"name": "category", "in": "query", "schema": CATEGORY},
                    {"name": "status", "in": "query", "schema": STATUS},
                ],
                "responses": {
                    "200": _json(
                        {"type": "object", "properties": {"reports": {"type": "array"}}}, "Reports"
                    ),
                    "401": _error("Not signed in"),
                    "404": _error("Not an organiser here"),
                },
            }
        },
        "/sites/{site}/inbox/{report_id}": {
            "get": {
                "summary": "Read a report (audited)",
                "security": SESSION,
                "parameters": [SITE, REPORT_ID],
                "responses": {
                    "200": _json(THREAD, "The report and its thread"),
                    "403": _error("No access granted yet, or the key is locked"),
                    "404": _error("No such report here"),
                },
            }
        },
        "/sites/{site}/inbox/{report_id}/reply": {
            "post": {
                "summary": "Reply to the reporter",
                "security": SESSION,
                "parameters": [SITE, REPORT_ID],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["body"],
                        "properties": {"body": {"type": "string"}},
                    }
                ),
                "responses": {
                    "201": _json(
                        {"type": "object", "properties": {"position": {"type": "integer"}}}, "Added"
                    ),
                    "403": _error("No access"),
                    "404": _error("No such report here"),
                    "409": _error("The thread is closed"),
                },
            }
        },
        "/sites/{site}/inbox/{report_id}/status": {
            "post": {
                "summary": "Move a report along new, acknowledged, acting, resolved",
                "security": SESSION,
                "parameters": [SITE, REPORT_ID],
                "requestBody": _body(
                    {"type": "object", "required": ["status"], "properties": {"status": STATUS}}
                ),
                "responses": {
                    "200": _json({"type": "object", "properties": {"status": STATUS}}, "Saved"),
                    "400": _error("Unknown status"),
                    "404": _error("No such report here"),
                },
            }
        },
    },
}


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(SCHEMA)

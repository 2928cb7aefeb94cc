"""Errors as JSON problems (RFC 9457): type, title, status, detail, and the parameter."""

import json

from django.http import HttpResponse

PROBLEM_TYPE = "about:blank"
CONTENT_TYPE = "application/problem+json"


def problem(status, title, detail, *, parameter=None, headers=None):
    body = {"type": PROBLEM_TYPE, "title": title, "status": status, "detail": detail}
    if parameter:
        body["parameter"] = parameter
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def bad_parameter(parameter, detail):
    return problem(400, "Invalid parameter", detail, parameter=parameter)


def not_found(detail="Nothing is published with this id."):
    return problem(404, "Not found", detail)


# The problem document, for the OpenAPI description of 400 / 404 / 429 answers.
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "parameter": {"type": "string"},
    },
}

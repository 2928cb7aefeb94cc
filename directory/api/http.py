"""What every API answer gets: a rate limit per client, CORS for reads, and
conditional GET (ETag / Last-Modified with 304)."""

import functools
import hashlib

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from directory import throttle

from .problems import problem

ALLOWED_METHODS = "GET, POST, OPTIONS"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After",
}


def rate_limited(request):
    """None, or the 429 answer when this client is over the "api" limit (the one
    limiter and client fingerprint: directory.throttle, STEWARD["RATE_LIMITS"])."""
    decision = throttle.hit_named("api", throttle.client_fingerprint(request))
    if not decision.allowed:
        wait = max(1, decision.retry_after)
        return problem(
            429,
            "Too many requests",
            f"This connection has made too many requests. Try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    return None


def preflight():
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = "Content-Type, If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = "86400"
    return response


def conditional(request, response, last_modified=None):
    """ETag from the body, Last-Modified when known; 304 when the client has it."""
    if response.status_code != 200 or isinstance(response, StreamingHttpResponse):
        return response
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    if request.method in ("GET", "HEAD"):
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp, response=response
        )
    return response


def api_view(view):
    """Wraps each of ninja's URL views: limit, preflight, CORS, conditional GET."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = rate_limited(request)
        if response is None:
            if request.method == "OPTIONS":
                response = preflight()
            else:
                response = view(request, *args, **kwargs)
                response = conditional(
                    request, response, getattr(response, "steward_last_modified", None)
                )
        for name, value in CORS_HEADERS.items():
            response[name] = value
        response["Vary"] = "Origin"
        return response

    wrapped.csrf_exempt = True
    return wrapped

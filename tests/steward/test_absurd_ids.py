"""Absurd ids on every public URL answer 404 or 400, never a 500 (issue 11).

The test walks every URL pattern (except the admin's) and fills each of its
parameters with a huge, a negative, a non-numeric and a UUID-like value.
"""

import re

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

import pytest

from directory.ids import MAX_ID, parse_id
from tests.factories import make_service

pytestmark = pytest.mark.django_db

ABSURD = [
    str(10**30),
    str(2**63),
    "99999999999999999999",
    "-1",
    "-99999999999999999999",
    "0",
    "abc",
    "3f2b9c1e-8a4d-4c7e-9b1a-2d5e6f7a8b9c",
    "1e30",
    "١٢٣",  # Arabic-Indic digits: str.isdigit() says yes, int() accepts them
]
ADMIN = ("admin/", "django-admin/")
PARAM = re.compile(r"<(?:\w+:)?\w+>")


def public_patterns():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    found = [p for p in walk(get_resolver().url_patterns) if not p.startswith(ADMIN)]
    assert len(found) >= 15, found
    return found


def urls_for(pattern, value):
    if pattern.startswith("^"):  # Wagtail's page catch-all (a regex)
        return [f"/{value}/", f"/home/{value}/"]
    if not PARAM.search(pattern):
        return [f"/{pattern}"]
    return ["/" + PARAM.sub(value, pattern)]


@pytest.fixture
def professional(client):
    user = get_user_model().objects.create_user("pro", "pro@example.org", "pw")
    return user


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "superuser"])
def test_every_public_url_answers_absurd_ids_with_404_or_400(client, signed_in):
    make_service(title="Food pantry")
    if signed_in:
        user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
        client.force_login(user)
    client.raise_request_exception = False
    failures = []
    for pattern in public_patterns():
        for value in ABSURD:
            for url in urls_for(pattern, value):
                for method in ("get", "post"):
                    response = getattr(client, method)(
                        url, {"service": value}, HTTP_ORIGIN="http://testserver"
                    )
                    if response.status_code >= 500:
                        failures.append((method.upper(), url, response.status_code))
                    if PARAM.search(pattern) and response.status_code == 200:
                        failures.append((method.upper(), url, response.status_code))
    assert failures == []


def test_the_one_rule_for_ids():
    assert parse_id("12") == 12
    assert parse_id(12) == 12
    assert parse_id(str(MAX_ID)) == MAX_ID
    for value in ABSURD + [None, "", " ", True, MAX_ID + 1, -5]:
        assert parse_id(value) is None, value

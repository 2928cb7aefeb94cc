"""Issue 13, proof: every object the HSDS API serves for the ILAO import and for the
demo, every page of every list, is valid HSDS 3.0.

The objects are fetched with real GETs and checked with jsonschema against the
specification's own files (../shared/hsds-3.0: the compiled schemas where HSDS has
them, else the one-table files), read here, not through the code under test. When
../shared is absent, the shipped copy (byte-equal to it, test_hsds_schema_copy.py)
is used.
"""

import io
import json
from functools import cache
from pathlib import Path

from django.core.cache import cache as django_cache
from django.core.management import call_command

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory.models import Location, ServicePage

ROOT = Path(__file__).parents[2]
SHARED = ROOT.parent / "shared"
SPEC = SHARED / "hsds-3.0" / "schema"
if not SPEC.is_dir():
    SPEC = ROOT / "directory" / "hsds" / "schema"
ILAO = SHARED / "data" / "ilao-legal-aid"

# list path: the kind of each object in it
LISTS = {
    "/services?full=true": "service",
    "/services": "service_list",
    "/services?minimal=true": "service_list",
    "/organizations?full=true&full_service=true": "organization",
    "/organizations": "organization_list",
    "/service_at_locations?full=true": "service_at_location",
    "/service_at_locations": "service_at_location",
    "/taxonomies": "taxonomy",
    "/taxonomy_terms": "taxonomy_term",
}
ONE = {
    "service": "/services/{}",
    "organization": "/organizations/{}?full_service=true",
    "service_at_location": "/service_at_locations/{}",
    "taxonomy": "/taxonomies/{}",
    "taxonomy_term": "/taxonomy_terms/{}",
}


@cache
def checker(kind):
    compiled = SPEC / "compiled" / f"{kind}.json"
    resources = []
    for path in SPEC.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents, DRAFT202012)))
    path = compiled if compiled.exists() else SPEC / f"{kind}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator(
        schema, registry=Registry().with_resources(resources), format_checker=FormatChecker()
    )


def errors(kind, obj):
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in checker(kind).iter_errors(obj)
    ]


def every_page(client, path):
    """Every object of a list, page by page (100 a page), as a client walks it."""
    sep = "&" if "?" in path else "?"
    page, seen = 1, []
    while True:
        response = client.get(f"/api/hsds{path}{sep}per_page=100&page={page}")
        assert response.status_code == 200, (path, page, response.content[:300])
        data = response.json()
        seen.extend(data["contents"])
        assert data["page_number"] == page
        if data["last_page"]:
            assert len(seen) == data["total_items"], path
            return seen
        page += 1


def check_everything(client):
    django_cache.clear()
    checked = {}
    for path, kind in LISTS.items():
        objects = every_page(client, path)
        assert objects, path
        for obj in objects:
            found = errors(kind, obj)
            assert found == [], (path, obj.get("id"), found[:3])
        checked[path] = len(objects)
        one = ONE.get(kind.removesuffix("_list"))
        if one:
            response = client.get("/api/hsds" + one.format(objects[-1]["id"]))
            assert response.status_code == 200, one
            assert errors(kind.removesuffix("_list"), response.json()) == [], one
    listed = ServicePage.objects.listed().count()
    assert checked["/services?full=true"] == checked["/services"] == listed
    # ndjson, the bulk door, serves the same valid objects.
    response = client.get("/api/hsds/services?format=ndjson&full=true")
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert len(lines) == listed
    for obj in lines:
        assert errors("service", obj) == [], obj["id"]
    return checked, lines


def assert_no_confidential_address(lines):
    text = json.dumps(lines)
    for place in Location.objects.filter(address_is_public=False):
        for value in (place.address_1, place.postal_code):
            if value:
                assert value not in text, place.name


@pytest.fixture
def generous_limits(settings):
    settings.STEWARD = {**settings.STEWARD, "RATE_LIMITS": {"api": (100000, 60)}}


@pytest.mark.django_db
def test_every_object_of_the_ilao_import_is_valid_hsds_through_the_api(
    client, home, generous_limits
):
    call_command("import_hsds", str(ILAO), stdout=io.StringIO())
    assert ServicePage.objects.listed().count() > 300
    checked, lines = check_everything(client)
    assert checked["/organizations"] > 30
    assert checked["/taxonomy_terms"] > 10
    assert_no_confidential_address(lines)


@pytest.mark.django_db
def test_every_object_of_the_demo_is_valid_hsds_through_the_api(client, home, generous_limits):
    call_command("seed_demo", stdout=io.StringIO())
    assert Location.objects.filter(address_is_public=False).exists()
    checked, lines = check_everything(client)
    assert_no_confidential_address(lines)
    # The Steward facts ride along as attributes, and they are valid HSDS too.
    facts = [a for s in lines for a in s["attributes"] if a.get("link_type") == "steward_fact"] + [
        a
        for s in lines
        for sal in s["service_at_locations"]
        for a in sal["location"].get("attributes", [])
    ]
    assert facts
    for attribute in facts:
        assert errors("attribute", attribute) == []

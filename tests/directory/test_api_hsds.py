"""Issue 13, part B: the HSDS API at /api/hsds/, through real GETs and POSTs."""

import datetime as dt
import json
import uuid

from django.core.cache import cache
from django.http import StreamingHttpResponse
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest

from directory.hsds.serialize import validate
from directory.models import ServicePage, Taxonomy, TaxonomyTerm
from directory.models.pages import ServiceStatus
from tests.factories import LocationFactory, OrganizationFactory, add_location, make_service

API = "/api/hsds"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def get(client, path, **headers):
    response = client.get(f"{API}{path}", **headers)
    if isinstance(response, StreamingHttpResponse):
        response.body_text = b"".join(response.streaming_content).decode()
    else:
        response.body_text = response.content.decode()
    return response


def body(response):
    return json.loads(response.body_text)


def ids(response):
    return [item["id"] for item in body(response)["contents"]]


def term(name="Food", parent=None):
    taxonomy = Taxonomy.objects.get_or_create(name="Test taxonomy")[0]
    return TaxonomyTerm.objects.create(taxonomy=taxonomy, name=name, parent=parent)


# --- the root and the document -------------------------------------------------------


@pytest.mark.django_db
def test_root_gives_version_profile_and_the_openapi_url(client, home):
    response = get(client, "/")
    assert response.status_code == 200
    data = body(response)
    assert data["version"] == "3.0"
    assert data["profile"].startswith("https://")
    assert data["openapi_url"] == "http://testserver/api/hsds/openapi.json"
    document = body(get(client, "/openapi.json"))
    assert document["openapi"].startswith("3.1")
    paths = set(document["paths"])
    for path in (
        "/api/hsds/",
        "/api/hsds/services",
        "/api/hsds/services/{id}",
        "/api/hsds/organizations",
        "/api/hsds/organizations/{id}",
        "/api/hsds/service_at_locations",
        "/api/hsds/service_at_locations/{id}",
        "/api/hsds/taxonomies",
        "/api/hsds/taxonomies/{id}",
        "/api/hsds/taxonomy_terms",
        "/api/hsds/taxonomy_terms/{id}",
    ):
        assert path in paths, path
    services = document["paths"]["/api/hsds/services"]
    assert "post" in services  # the 3.1 query form
    names = {p["name"] for p in services["get"]["parameters"]}
    assert {"search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id"} <= names
    assert {"organization_id", "modified_after", "minimal", "full", "postcode"} <= names
    assert "proximity" in names


# --- pages, order, ids -----------------------------------------------------------------


@pytest.mark.django_db
def test_services_come_in_a_page_envelope_in_a_stable_order(client, home):
    made = [make_service(title=f"Pantry {n}") for n in (3, 1, 2)]
    first = get(client, "/services?per_page=2")
    assert first.status_code == 200
    data = body(first)
    assert {k: data[k] for k in data if k != "contents"} == {
        "total_items": 3,
        "total_pages": 2,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    second = body(get(client, "/services?per_page=2&page=2"))
    assert second["last_page"] and second["size"] == 1
    by_title = sorted(made, key=lambda s: s.title)
    assert [c["id"] for c in data["contents"] + second["contents"]] == [
        str(s.uuid) for s in by_title
    ]
    for item in data["contents"]:
        uuid.UUID(item["id"])
        assert "phones" not in item  # lists hold one-to-one fields only
    beyond = body(get(client, "/services?page=9"))
    assert beyond["contents"] == [] and beyond["size"] == 0 and not beyond["empty"]


@pytest.mark.django_db
def test_full_and_minimal_shape_the_list(client, home):
    service = make_service(title="Pantry")
    full = body(get(client, "/services?full=true"))["contents"][0]
    assert full["service_at_locations"][0]["phones"] and full["organization"]
    assert validate("service", full) == []
    minimal = body(get(client, "/services?minimal=true"))["contents"][0]
    assert set(minimal) == {"id", "name", "status", "last_modified"}
    assert minimal["id"] == str(service.uuid)


@pytest.mark.django_db
def test_only_published_listed_services_appear(client, home):
    shown = make_service(title="Shown")
    draft = make_service(title="Draft")
    draft.unpublish()
    defunct = make_service(title="Closed for good", status=ServiceStatus.DEFUNCT)
    private = make_service(title="Private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert ids(get(client, "/services")) == [str(shown.uuid)]
    for hidden in (draft, defunct, private):
        assert get(client, f"/services/{hidden.uuid}").status_code == 404
        links = [str(link.uuid) for link in hidden.service_at_locations.all()]
        listed = ids(get(client, "/service_at_locations"))
        assert not set(links) & set(listed)
        assert get(client, f"/service_at_locations/{links[0]}").status_code == 404
    assert len(ids(get(client, "/service_at_locations"))) == 1
    ndjson = get(client, "/services?format=ndjson").body_text
    assert "Draft" not in ndjson and "Private" not in ndjson and "Closed for good" not in ndjson


@pytest.mark.django_db
def test_confidential_places_have_no_address_coordinates_or_distance(client, home):
    organization = OrganizationFactory()
    shelter = LocationFactory(
        organization=organization,
        name="Safe house",
        address_1="1 Secret St",
        postal_code="60601",
        address_is_public=False,
    )
    service = make_service(organization=organization, title="Shelter", location=shelter)
    link = service.service_at_locations.get()
    texts = [
        get(client, f"/services/{service.uuid}").body_text,
        get(client, "/services?full=true").body_text,
        get(client, "/services?format=ndjson&full=true").body_text,
        get(client, "/service_at_locations?full=true").body_text,
        get(client, f"/service_at_locations/{link.uuid}").body_text,
        get(client, f"/organizations/{organization.uuid}?full_service=true").body_text,
        get(client, "/organizations?full=true&full_service=true").body_text,
        get(client, "/services?postcode=60601&proximity=20000&full=true").body_text,
    ]
    for text in texts:
        assert "Secret" not in text
        assert "41.88" not in text and "87.63" not in text
        assert "distance" not in text
        assert "Safe house" in text or "Shelter" in text
    # A ZIP code never finds a confidential place (it would say where it is)...
    assert ids(get(client, "/services?postcode=60601")) == []
    # ...but distance does, measured from its coarse point, with no distance shown.
    assert ids(get(client, "/services?postcode=60601&proximity=20000")) == [str(service.uuid)]


# --- filters (cumulative) ------------------------------------------------------------


@pytest.mark.django_db
def test_filters_are_cumulative(client, home):
    food, legal = term("Food"), term("Legal")
    pantry = term("Pantry", parent=food)
    one, two = OrganizationFactory(), OrganizationFactory()
    a = make_service(organization=one, title="A", categories=[pantry])
    make_service(organization=one, title="B", categories=[legal])
    c = make_service(organization=two, title="C", categories=[food])
    assert ids(get(client, f"/services?taxonomy_term_id={food.uuid}")) == [
        str(a.uuid),
        str(c.uuid),
    ]
    both = get(client, f"/services?taxonomy_term_id={food.uuid}&organization_id={one.uuid}")
    assert ids(both) == [str(a.uuid)]
    taxonomy = food.taxonomy.uuid
    assert len(ids(get(client, f"/services?taxonomy_id={taxonomy}"))) == 3
    assert ids(get(client, f"/services?taxonomy_id={taxonomy}&organization_id={two.uuid}")) == [
        str(c.uuid)
    ]
    assert ids(get(client, f"/services?taxonomy_id={uuid.uuid4()}")) == []
    sal = get(client, f"/service_at_locations?organization_id={two.uuid}")
    assert [item["service_id"] for item in body(sal)["contents"]] == [str(c.uuid)]


@pytest.mark.django_db
def test_search_and_modified_after(client, home):
    old = make_service(title="Legal aid clinic")
    new = make_service(title="Legal help line")
    make_service(title="Food pantry")
    ServicePage.objects.filter(pk=old.pk).update(
        last_published_at=timezone.now() - dt.timedelta(days=30)
    )
    assert ids(get(client, "/services?search=legal")) == [str(old.uuid), str(new.uuid)]
    since = (timezone.now() - dt.timedelta(days=1)).date().isoformat()
    assert ids(get(client, f"/services?search=legal&modified_after={since}")) == [str(new.uuid)]


@pytest.mark.django_db
def test_postcode_and_proximity(client, home):
    organization = OrganizationFactory()
    loop = make_service(organization=organization, title="Loop")  # 60601
    far = LocationFactory(
        organization=organization, postal_code="61801", latitude=40.11, longitude=-88.24
    )
    champaign = make_service(organization=organization, title="Champaign", location=far)
    assert ids(get(client, "/services?postcode=60601")) == [str(loop.uuid)]
    assert ids(get(client, "/services?postcode=61801")) == [str(champaign.uuid)]
    # 60602 is a few hundred metres from the Loop office, 200 km from Champaign.
    assert ids(get(client, "/services?postcode=60602&proximity=5000")) == [str(loop.uuid)]
    assert len(ids(get(client, "/services?postcode=60602&proximity=300000"))) == 2
    sal = body(get(client, "/service_at_locations?postcode=61801"))["contents"]
    assert [item["location_id"] for item in sal] == [str(far.uuid)]


@pytest.mark.django_db
def test_taxonomy_terms_top_only_and_parent_id(client, home):
    food = term("Food")
    pantry = term("Pantry", parent=food)
    taxonomy = food.taxonomy
    listed = ids(get(client, f"/taxonomy_terms?taxonomy_id={taxonomy.uuid}"))
    assert listed == [str(food.uuid), str(pantry.uuid)]
    top = ids(get(client, f"/taxonomy_terms?taxonomy_id={taxonomy.uuid}&top_only=true"))
    assert top == [str(food.uuid)]
    assert ids(get(client, f"/taxonomy_terms?parent_id={food.uuid}")) == [str(pantry.uuid)]
    one = body(get(client, f"/taxonomy_terms/{pantry.uuid}"))
    assert one["parent_id"] == str(food.uuid) and validate("taxonomy_term", one) == []
    assert body(get(client, f"/taxonomies/{taxonomy.uuid}"))["name"] == "Test taxonomy"
    assert str(taxonomy.uuid) in ids(get(client, "/taxonomies?search=test"))


@pytest.mark.django_db
def test_organization_with_full_service(client, home):
    organization = OrganizationFactory()
    service = make_service(organization=organization)
    plain = body(get(client, f"/organizations/{organization.uuid}"))
    assert [s["id"] for s in plain["services"]] == [str(service.uuid)]
    full = body(get(client, f"/organizations/{organization.uuid}?full_service=true"))
    assert full["services"][0]["service_at_locations"][0]["phones"]
    assert "service_at_locations" not in plain["services"][0] or plain["services"][0]["id"]
    assert validate("organization", plain) == [] and validate("organization", full) == []
    listed = body(get(client, "/organizations"))["contents"]
    assert "services" not in listed[0]
    assert (
        validate("organization", body(get(client, "/organizations?full=true"))["contents"][0]) == []
    )


@pytest.mark.django_db
def test_post_query_form_is_the_same_as_get(client, home):
    food = term("Food")
    service = make_service(categories=[food])
    make_service()
    response = client.post(
        f"{API}/services",
        data=json.dumps({"taxonomy_term_id": str(food.uuid), "per_page": 10}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["contents"]] == [str(service.uuid)]
    bad = client.post(
        f"{API}/services", data=json.dumps({"page": 0}), content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["parameter"] == "page"


# --- bad input: 400 problems and 404s, never 500 ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, parameter",
    [
        ("taxonomy_term_id=not-a-uuid", "taxonomy_term_id"),
        ("organization_id=123", "organization_id"),
        ("taxonomy_id=%00", "taxonomy_id"),
        ("modified_after=yesterday", "modified_after"),
        ("modified_after=2024-13-45", "modified_after"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("per_page=1000000000", "per_page"),
        ("per_page=0", "per_page"),
        ("postcode=60601&proximity=lots", "proximity"),
        ("postcode=60601&proximity=-5", "proximity"),
        ("postcode=60601&proximity=nan", "proximity"),
        ("postcode=60601&proximity=1e99", "proximity"),
        ("proximity=1000", "proximity"),
        ("postcode=Chicago", "postcode"),
        ("postcode=00000&proximity=1000", "postcode"),
        ("format=xml", "format"),
        ("minimal=perhaps", "minimal"),
        ("full=2", "full"),
        ("search=" + "x" * 500, "search"),
    ],
)
def test_an_invalid_parameter_is_a_400_problem_naming_it(client, home, query, parameter):
    make_service()
    response = get(client, f"/services?{query}")
    assert response.status_code == 400, response.body_text
    assert response["Content-Type"] == "application/problem+json"
    problem = body(response)
    assert problem["status"] == 400 and problem["title"] and problem["type"]
    assert problem["parameter"] == parameter
    assert parameter in problem["detail"] or parameter == "postcode"


# A well-formed id that names nothing; fixed, not uuid4(), so that every xdist
# worker collects the same test ids.
UNKNOWN_UUID = "0b5f2c1e-9d3a-4c7e-8f21-6a4d2e9b7c10"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"]
)
@pytest.mark.parametrize("strange", ["abc", "%00", "x" * 300, UNKNOWN_UUID])
def test_a_strange_or_unknown_id_is_a_404_problem(client, home, path, strange):
    response = get(client, f"/{path}/{strange}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert body(response)["status"] == 404


@pytest.mark.django_db
def test_taxonomy_terms_and_organizations_lists_reject_bad_parameters(client, home):
    for path in (
        "/taxonomy_terms?parent_id=x",
        "/organizations?per_page=101",
        "/taxonomies?page=0",
    ):
        response = get(client, path)
        assert response.status_code == 400 and body(response)["parameter"]


# --- HTTP: ndjson, caching, CORS, rate limit ----------------------------------------------


@pytest.mark.django_db
def test_ndjson_streams_every_result_without_paging(client, home, monkeypatch):
    from directory.api import views

    monkeypatch.setattr(views, "NDJSON_CHUNK", 2)  # several chunks
    made = {str(make_service(title=f"S{n}").uuid) for n in range(5)}
    response = get(client, "/services?format=ndjson&per_page=1&page=3")
    assert response.status_code == 200
    assert response.streaming and response["Content-Type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in response.body_text.splitlines()]
    assert {item["id"] for item in lines} == made and len(lines) == 5
    full = get(client, "/services?format=ndjson&full=true")
    for line in full.body_text.splitlines():
        assert validate("service", json.loads(line)) == []


@pytest.mark.django_db
def test_etag_and_last_modified_give_304(client, home):
    service = make_service(title="Pantry")
    first = get(client, "/services")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert get(client, "/services", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert get(client, "/services", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    one = get(client, f"/services/{service.uuid}")
    assert (
        get(client, f"/services/{service.uuid}", HTTP_IF_NONE_MATCH=one["ETag"]).status_code == 304
    )
    # A change makes a new answer.
    service.title = "Pantry renamed"
    service.save_revision().publish()
    again = get(client, "/services", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    # An unpublish is a change too, even with only If-Modified-Since.
    latest = again["Last-Modified"]
    service.unpublish()
    gone = get(client, "/services", HTTP_IF_MODIFIED_SINCE=latest)
    assert gone.status_code in (200, 304)
    if gone.status_code == 304:  # within the same second: the ETag still tells
        assert get(client, "/services", HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 200


@pytest.mark.django_db
def test_reads_allow_any_origin_and_answer_preflight(client, home):
    make_service()
    for path in ("/", "/services", "/services/nope", "/services?page=0"):
        assert (
            get(client, path, HTTP_ORIGIN="https://app.example")["Access-Control-Allow-Origin"]
            == "*"
        )
    preflight = client.options(
        f"{API}/services",
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]


@pytest.mark.django_db
def test_no_key_is_needed_and_requests_are_rate_limited_per_client(client, home, settings):
    settings.STEWARD = {**settings.STEWARD, "RATE_LIMITS": {"api": (3, 60)}}
    for _ in range(3):
        assert get(client, "/services").status_code == 200
    limited = get(client, "/services")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert body(limited)["status"] == 429
    assert limited["Access-Control-Allow-Origin"] == "*"
    # Another client is not held back.
    assert get(client, "/services", REMOTE_ADDR="10.0.0.9").status_code == 200


# --- performance -----------------------------------------------------------------------

# Measured: 28 queries for a page of 1 plain service, 29 for 50 services with
# 3 places, 4 phones and 6 hours rows each (the hooks of review and history add a
# few); one bound for both.
QUERIES_PER_PAGE = 32


def many_services(count, *, rich):
    organization = OrganizationFactory()
    places = [LocationFactory(organization=organization) for _ in range(3 if rich else 1)]
    made = []
    for n in range(count):
        service = make_service(
            organization=organization,
            title=f"Service {n:03}",
            location=places[0],
            phones=("(312) 555-0101", "(312) 555-0102", "(312) 555-0103") if rich else (),
            hours=[(d, dt.time(9), dt.time(17)) for d in range(1, 6)] if rich else (),
            categories=[term(f"T{n}")] if rich else (),
        )
        for place in places[1:]:
            add_location(
                service, place, phones=("(312) 555-0199",), hours=[(6, dt.time(10), dt.time(12))]
            )
        made.append(service)
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("count, rich", [(1, False), (50, True)])
def test_a_page_costs_a_fixed_number_of_queries(
    client, home, django_assert_max_num_queries, count, rich
):
    many_services(count, rich=rich)
    for path in (
        "/services?per_page=50",
        "/services?per_page=50&full=true",
        "/service_at_locations?per_page=50&full=true",
        "/organizations?per_page=50&full=true&full_service=true",
    ):
        with django_assert_max_num_queries(QUERIES_PER_PAGE):
            response = get(client, path)
        assert response.status_code == 200
        assert body(response)["size"] >= 1

import datetime as dt
import re
import zoneinfo
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from directory.geo import Point
from directory.models.pages import ServiceStatus
from directory.search import search_services
from tests.factories import (
    LocationFactory,
    OrganizationFactory,
    category,
    language,
    make_service,
)

pytestmark = pytest.mark.django_db

CHICAGO = Point(41.8847, -87.6320)
MONDAY_NOON = dt.datetime(2026, 11, 23, 12, tzinfo=zoneinfo.ZoneInfo("America/Chicago"))
SEARCH_QUERY_BUDGET = 20


def titles(results):
    return [s.title for s in results]


def search_page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response, response.content.decode()


# --- search_services ---------------------------------------------------------


def test_keywords_match_through_the_search_backend():
    make_service(title="Food pantry", description="Free groceries every week.")
    make_service(title="Legal clinic", description="Help with evictions.")
    assert titles(search_services("groceries")) == ["Food pantry"]
    assert titles(search_services("evictions")) == ["Legal clinic"]
    assert titles(search_services("nothing-like-this")) == []


def test_keywords_find_a_service_by_its_organizations_name():
    org = OrganizationFactory(title="Lakeview Pantry")
    make_service(organization=org, title="Groceries", description="Weekly bags.")
    assert titles(search_services("Lakeview")) == ["Groceries"]


def test_defunct_services_are_left_out_by_default():
    make_service(title="Old pantry", status=ServiceStatus.DEFUNCT)
    make_service(title="New pantry")
    assert titles(search_services("pantry")) == ["New pantry"]
    assert set(titles(search_services("pantry", include_defunct=True))) == {
        "Old pantry",
        "New pantry",
    }


def test_category_includes_sub_categories():
    make_service(title="Pantry", categories=[category("102-04")])
    make_service(title="Shelter", categories=[category("103-01")])
    assert titles(search_services("", category=category("102"))) == ["Pantry"]


def test_language_filter():
    spanish = language("es", "Spanish")
    make_service(title="Clinica", languages=[spanish])
    make_service(title="Clinic")
    assert titles(search_services("", language=spanish)) == ["Clinica"]


def test_near_sorts_by_distance_with_and_without_keywords():
    org = OrganizationFactory()
    spots = {"Far": (42.0451, -87.6877), "Near": (41.8850, -87.6320), "Mid": (41.95, -87.65)}
    for title, (lat, lng) in spots.items():
        loc = LocationFactory(organization=org, latitude=lat, longitude=lng)
        make_service(organization=org, title=f"{title} pantry", location=loc)
    expected = ["Near pantry", "Mid pantry", "Far pantry"]
    assert titles(search_services("", near=CHICAGO)) == expected
    assert titles(search_services("pantry", near=CHICAGO)) == expected


def test_open_now_uses_the_time_passed_in():
    make_service(title="Monday only", hours=((1, dt.time(9), dt.time(17)),))
    make_service(title="Tuesday only", hours=((2, dt.time(9), dt.time(17)),))
    assert titles(search_services("", open_now=True, now=MONDAY_NOON)) == ["Monday only"]
    tuesday = MONDAY_NOON + dt.timedelta(days=1)
    assert titles(search_services("tuesday", open_now=True, now=tuesday)) == ["Tuesday only"]


def test_all_filters_together_still_go_through_the_backend():
    spanish = language("es", "Spanish")
    make_service(
        title="Clinica", categories=[category("106")], languages=[spanish], description="Doctor"
    )
    results = search_services(
        "doctor",
        near=CHICAGO,
        category=category("106"),
        language=spanish,
        open_now=True,
        now=MONDAY_NOON,
    )
    assert titles(results) == ["Clinica"]


# --- the page ----------------------------------------------------------------


def test_results_show_name_org_distance_open_state_phone_and_last_update(client):
    org = OrganizationFactory(title="Neighbours United")
    make_service(organization=org, title="Food pantry")
    with mock.patch("directory.views.timezone.now", return_value=MONDAY_NOON):
        _, html = search_page(client, q="pantry", near="60601")
    assert "Food pantry" in html
    assert "Neighbours United" in html
    assert re.search(r"\d+\.\d mi away", html)
    assert "Open now" in html
    assert 'href="tel:+13125550101"' in html
    assert "Updated today" in html


def test_a_card_lists_the_services_nearest_place_first(client):
    from tests.factories import add_location

    org = OrganizationFactory()
    far = LocationFactory(
        organization=org, address_1="1 Far Away Rd", latitude=42.04, longitude=-87.68
    )
    near = LocationFactory(
        organization=org, address_1="2 Close By St", latitude=41.885, longitude=-87.632
    )
    service = make_service(organization=org, title="Two places", location=far)
    add_location(service, near)
    _, html = search_page(client, near="60601")
    assert html.index("2 Close By St") < html.index("1 Far Away Rd")
    _, html = search_page(client)
    assert html.index("1 Far Away Rd") < html.index("2 Close By St")


def test_a_confidential_address_never_appears_in_results(client):
    org = OrganizationFactory()
    shelter = LocationFactory(
        organization=org, address_1="742 Hidden Lane", postal_code="60622", address_is_public=False
    )
    make_service(organization=org, title="Safe shelter", location=shelter)
    for params in ({"q": "shelter"}, {"q": ""}, {"near": "60601"}, {"q": "Hidden Lane"}):
        _, html = search_page(client, **params)
        assert "742 Hidden Lane" not in html
        assert "60622" not in html
    _, html = search_page(client, q="shelter")
    assert "Safe shelter" in html
    assert "tel:+13125550101" in html  # the phone is shown
    assert "data-quick-exit" in html and 'href="https://www.google.com/"' in html


def test_no_quick_exit_without_a_confidential_listing(client):
    make_service(title="Food pantry")
    _, html = search_page(client, q="pantry")
    assert "data-quick-exit" not in html


@pytest.mark.parametrize("near", ["zzz", "999,999", "00000", "99999", "1" * 500, "60601\x00"])
def test_a_place_we_cannot_find_explains_and_shows_results_from_everywhere(client, near):
    make_service(title="Food pantry")
    _, html = search_page(client, q="pantry", near=near)
    assert "Food pantry" in html
    if "\x00" not in near:
        assert "Showing results from everywhere" in html


def test_an_unknown_category_says_so_and_searches_all(client):
    make_service(title="Food pantry")
    _, html = search_page(client, category="no-such-thing")
    assert "We don’t have a category “no-such-thing”" in html
    assert "Food pantry" in html


def test_a_category_by_code_filters_the_page(client):
    make_service(title="Pantry", categories=[category("102-04")])
    make_service(title="Shelter", categories=[category("103-01")])
    _, html = search_page(client, category="102")
    assert "Pantry" in html and "Shelter" not in html


def test_an_unknown_language_says_so(client):
    make_service(title="Food pantry")
    _, html = search_page(client, language="xx")
    assert "We don’t know the language “xx”" in html
    assert "Food pantry" in html


def test_a_very_long_query_is_cut_with_a_notice(client):
    make_service(title="Food pantry")
    _, html = search_page(client, q="pantry " + "x" * 10_000)
    assert "Your search was very long" in html
    assert len(html) < 60_000


@pytest.mark.parametrize(
    "q",
    [
        "pan\x00try",
        "\x00",
        '"unbalanced',
        "AND OR NOT",
        "pantry*",
        "NEAR(food pantry)",
        "ｐａｎｔｒｙ",  # full-width letters normalise to "pantry"
        "🍞 pantry",
        "\u202epantry",
        "' OR 1=1 --",
        "%",
        "\\",
    ],
)
def test_odd_queries_never_fail(client, q):
    make_service(title="Food pantry")
    search_page(client, q=q)


def test_repeated_parameters_use_the_last_value(client):
    make_service(title="Food pantry")
    response = client.get("/search/?q=zzzz&q=pantry&page=1&page=2&near=zzz&near=60601")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Food pantry" in html


@pytest.mark.parametrize("page", ["-1", "0", "abc", "99999", "1.5", "", "9" * 40])
def test_any_page_number_gives_a_sensible_page(client, settings, page):
    settings.STEWARD = {**settings.STEWARD, "SEARCH_PAGE_SIZE": 2}
    for n in range(5):
        make_service(title=f"Pantry {n}")
    _, html = search_page(client, q="pantry", page=page)
    assert html.count('class="card result"') in (1, 2)


def test_pages_split_the_results(client, settings):
    settings.STEWARD = {**settings.STEWARD, "SEARCH_PAGE_SIZE": 2}
    for n in range(5):
        make_service(title=f"Pantry {n}")
    _, first = search_page(client, page="1")
    _, last = search_page(client, page="3")
    assert "Pantry 0" in first and "Pantry 1" in first and "Pantry 2" not in first
    assert "Pantry 4" in last and "page 3 of 3" in last
    assert 'rel="next"' in first and 'rel="prev"' in last


def test_only_get_and_head_are_allowed(client):
    assert client.post("/search/").status_code == 405


# --- queries and weight ------------------------------------------------------


def _rich_services(count):
    org = OrganizationFactory()
    spanish = language("es", "Spanish")
    for n in range(count):
        place = LocationFactory(organization=org)
        make_service(
            organization=org,
            title=f"Pantry {n}",
            location=place,
            phones=("(312) 555-0101", "(312) 555-0102", "(312) 555-0103"),
            hours=tuple((day, dt.time(9), dt.time(17)) for day in range(1, 6)),
            categories=[category("102-04"), category("101-03")],
            languages=[spanish],
        )


def _queries_for_search(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/search/", params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode().count('class="card result"')


@pytest.mark.parametrize(
    "params",
    [
        {"q": "pantry"},
        {"q": "pantry", "near": "60601", "category": "102", "language": "es", "open_now": "1"},
        {},
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_results(client, settings, params):
    settings.STEWARD = {**settings.STEWARD, "SEARCH_PAGE_SIZE": 50}
    _rich_services(5)
    client.get("/search/", params)  # warm the site-root cache as production would be
    with mock.patch("directory.views.timezone.now", return_value=MONDAY_NOON):
        small, shown_small = _queries_for_search(client, **params)
        _rich_services(45)
        # The writes' open-now rows are rewritten when their transaction commits;
        # this test's never does, so the next search does it, once.
        client.get("/search/", params)
        large, shown_large = _queries_for_search(client, **params)
    assert (shown_small, shown_large) == (5, 50)
    assert small == large
    assert large <= SEARCH_QUERY_BUDGET


def test_a_page_of_fifty_results_stays_within_the_query_budget(
    client, settings, django_assert_max_num_queries
):
    settings.STEWARD = {**settings.STEWARD, "SEARCH_PAGE_SIZE": 50}
    _rich_services(50)
    client.get("/search/", {"q": "pantry"})
    with django_assert_max_num_queries(SEARCH_QUERY_BUDGET):
        response = client.get("/search/", {"q": "pantry", "near": "60601"})
    assert response.content.decode().count('class="card result"') == 50


def linked_static_size(html):
    total = 0
    for path in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        relative = path.removeprefix(settings.STATIC_URL)
        total += (Path(settings.BASE_DIR) / "static" / relative).stat().st_size
    return total


def test_a_page_of_results_weighs_under_100_kb(client):
    _rich_services(20)
    response = client.get("/search/", {"q": "pantry"})
    html = response.content.decode()
    assert html.count('class="card result"') == 20
    assert len(response.content) + linked_static_size(html) < 100_000


# --- accessibility basics ----------------------------------------------------


def test_the_page_has_a_language_one_h1_and_labelled_inputs(client):
    make_service(title="Food pantry")
    _, html = search_page(client, q="pantry")
    assert re.search(r'<html lang="en"', html)
    assert html.count("<h1") == 1
    for input_id in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id
    assert 'href="#main"' in html and 'id="main"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html

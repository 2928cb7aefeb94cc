"""Issue 14: public pages in a bounded number of queries, whatever they hold.

Each page is fetched by an anonymous reader with the page cache switched off, so
every request renders. A service page takes at most 12 queries, and home,
organization and service pages take as many with 1 as with 12 of everything:
phones, hours, locations (with their own phones and hours), categories,
languages, revisions, other services at the same places, services of the
organization.
"""

import datetime as dt

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from directory.models import LocationPhone, LocationSchedule, ServicePage, TaxonomyTerm
from tests.directory.page_cache_support import page_cache, served
from tests.factories import (
    LocationFactory,
    OrganizationFactory,
    add_location,
    language,
    make_service,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]
__all__ = ["page_cache"]

BROWSER = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"
LANGUAGES = [("es", "Spanish"), ("pl", "Polish"), ("zh", "Chinese"), ("ar", "Arabic")]


def anonymous():
    return Client(HTTP_USER_AGENT=BROWSER)


@pytest.fixture
def uncached(page_cache, settings):  # after page_cache, which switches it on
    settings.STEWARD = {
        **settings.STEWARD,
        "PAGE_CACHE": {**settings.STEWARD["PAGE_CACHE"], "ENABLED": False},
    }


def grow(organization, title, n):
    """A service with `n` of everything, and `n` other services at its places."""
    service = make_service(organization=organization, title=title)
    service = ServicePage.objects.get(pk=service.pk)
    terms = list(TaxonomyTerm.objects.order_by("tree_path")[:n])
    for term in terms:
        service.categories.add(term)
    for code, name in LANGUAGES[: min(n, len(LANGUAGES))]:
        service.languages.add(language(code, name))
    for i in range(n):
        location = LocationFactory(organization=organization)
        LocationPhone.objects.create(location=location, number=f"(773) 555-{2000 + i:04d}")
        LocationSchedule.objects.create(
            location=location, weekday=(i % 7) + 1, opens_at=dt.time(8), closes_at=dt.time(11)
        )
        add_location(
            service,
            location,
            phones=[f"(312) 555-{1000 + i:04d}"],
            hours=[((i % 7) + 1, dt.time(9), dt.time(12 + i % 5))],
            publish=False,
        )
        neighbour = make_service(organization=organization, title=f"{title} neighbour {i}")
        add_location(ServicePage.objects.get(pk=neighbour.pk), location)
    for _ in range(n):
        service.save_revision().publish()
    return ServicePage.objects.get(pk=service.pk)


def queries_of(url, *, expect=()):
    anonymous().get(url)  # Wagtail's site root paths, kept per process
    with CaptureQueriesContext(connection) as queries:
        response = anonymous().get(url)
    assert response.status_code == 200 and served(response) is None
    html = response.content.decode()
    for text in expect:
        assert text in html
    return len(queries)


@pytest.mark.parametrize("n", [1, 12])
def test_an_uncached_service_page_takes_at_most_12_queries_whatever_it_holds(
    n, django_assert_max_num_queries
):
    organization = OrganizationFactory(title="Greater Chicago Food Partners")
    service = grow(organization, "Weekly groceries", n)
    assert service.phones.count() >= n and service.service_at_locations.count() >= n
    assert service.revisions.count() >= n
    anonymous().get(service.url)
    with django_assert_max_num_queries(12):
        response = anonymous().get(service.url)
    assert response.status_code == 200 and served(response) is None
    html = response.content.decode()
    # What the queries brought is on the page: phones (the service's and its
    # places'), the organization, the other services at the same places.
    assert "(312) 555-1000" in html and "(773) 555-2000" in html
    assert "Greater Chicago Food Partners" in html and organization.url in html
    neighbour = ServicePage.objects.get(title="Weekly groceries neighbour 0")
    assert f'href="{neighbour.url}">Weekly groceries neighbour 0<' in html
    names = list(service.languages.order_by("name").values_list("name", flat=True))
    assert names and ", ".join(names) in html  # brought by the listing query, in order


def test_home_organization_and_service_pages_cost_the_same_with_1_or_12_of_everything():
    small_org = OrganizationFactory(title="Small Partners")
    big_org = OrganizationFactory(title="Big Partners")
    small = grow(small_org, "Small", 1)
    big = grow(big_org, "Big", 12)
    counted = {
        "service": (
            queries_of(big.url, expect=["(312) 555-1011", "Big neighbour 11"]),
            queries_of(small.url, expect=["(312) 555-1000"]),
        ),
        "organization": (
            queries_of(big_org.url, expect=["Big neighbour 11"]),
            queries_of(small_org.url, expect=["Small neighbour 0"]),
        ),
    }
    home_small = queries_of("/")
    for _ in range(3):
        OrganizationFactory()
    counted["home"] = (queries_of("/"), home_small)
    print("queries (12 of everything, 1):", counted)
    assert all(big == little for big, little in counted.values()), counted


def test_a_listing_in_a_private_section_still_asks_to_sign_in():
    """The listing query tells Wagtail no restriction applies only when none does."""
    organization = OrganizationFactory(title="Members only")
    service = make_service(organization=organization, title="Private pantry")
    restriction = PageViewRestriction.objects.create(
        page=organization, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    for url in (service.url, organization.url):
        response = anonymous().get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    # Nor does it show in the others at a place, or in search.
    neighbour = make_service(title="Open pantry")
    add_location(
        ServicePage.objects.get(pk=neighbour.pk),
        ServicePage.objects.get(pk=service.pk).service_at_locations.first().location,
    )
    html = anonymous().get(neighbour.url).content.decode()
    assert "Open pantry" in html and "Private pantry" not in html
    assert "Private pantry" not in anonymous().get("/search/?q=pantry").content.decode()


def test_an_unpublished_listing_is_not_found():
    service = make_service(title="Gone pantry")
    ServicePage.objects.get(pk=service.pk).unpublish()
    assert anonymous().get(service.url).status_code == 404

"""Issue 14: anonymous public pages from the shared cache (directory/pagecache.py).

Every test goes through the path readers and editors take: GETs of the pages,
the admin's POSTs, the public report form, the import command, run_periodic.
"""

import datetime as dt
import io
import re
import zoneinfo

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from directory.models import Location, ServicePage
from impact.models import DailyCount
from review.models import Report, ReviewItem
from tests.directory.page_cache_support import page_cache, served
from tests.factories import LocationFactory, OrganizationFactory, make_service
from tests.review.editing import latest, service_form
from tests.roles import professional

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

BROWSER = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
__all__ = ["page_cache"]


def anonymous():
    return Client(HTTP_USER_AGENT=BROWSER)


def twice(url, **headers):
    """Two anonymous GETs from two different readers."""
    return anonymous().get(url, **headers), anonymous().get(url, **headers)


@pytest.fixture
def organization(db):
    return OrganizationFactory(title="Greater Chicago Food Partners")


@pytest.fixture
def service(organization):
    return make_service(organization=organization, title="Weekly groceries")


@pytest.fixture
def member(organization):
    return professional(organization, username="member")


@pytest.fixture
def moderator(db):
    user = professional(username="moderator")
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


def publish_edit(user, service, **changes):
    client = Client()
    client.force_login(user)
    data = service_form(latest(service), **changes)
    data["action-publish"] = "1"
    response = client.post(f"/admin/pages/{service.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


# --- What is cached, for whom -----------------------------------------------------------


@pytest.mark.parametrize("which", ["home", "service", "organization", "search"])
def test_the_second_reader_gets_the_first_readers_page_from_the_cache(which, service, organization):
    url = {
        "home": "/",
        "service": service.url,
        "organization": organization.url,
        "search": "/search/?q=groceries",
    }[which]
    first, second = twice(url)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (served(first), served(second)) == ("miss", "hit")
    assert second.content == first.content
    if which != "home":
        assert "Weekly groceries" in second.content.decode()
    for response in (first, second):
        assert not response.cookies  # a shared page sets no cookie
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
        assert response["Content-Language"] == "en"


def test_the_key_is_the_url_with_its_parameters_in_any_order(service):
    anonymous().get("/search/?q=groceries&near=60601")
    again = anonymous().get("/search/?near=60601&q=groceries")
    other = anonymous().get("/search/?q=groceries&near=60602")
    assert served(again) == "hit"
    assert served(other) == "miss"


def test_the_key_is_the_language_too(service):
    english, _ = twice(service.url)
    spanish = anonymous().get(service.url, HTTP_ACCEPT_LANGUAGE="es")
    assert served(spanish) == "miss"
    assert spanish["Content-Language"] == "es"
    assert '<html lang="es">' in spanish.content.decode()
    assert '<html lang="en">' in english.content.decode()
    chosen = anonymous()
    chosen.cookies["django_language"] = "es"
    by_cookie = chosen.get(service.url)
    assert served(by_cookie) == "hit"  # the Spanish page the Accept-Language reader got
    assert by_cookie.content == spanish.content


def test_the_language_switcher_works_without_a_csrf_token(service):
    reader = Client(enforce_csrf_checks=True)
    response = reader.post("/i18n/setlang/", {"language": "es", "next": service.url})
    assert response.status_code == 302
    assert reader.get(service.url)["Content-Language"] == "es"


def test_a_signed_in_professional_gets_their_own_page_never_someone_elses_form(
    service, organization
):
    other_org = OrganizationFactory(title="Northside Legal Aid")
    sam, alex = professional(other_org), professional(other_org)
    cached, _ = twice(service.url)
    tokens = []
    for user in (sam, alex):
        client = Client(HTTP_USER_AGENT=BROWSER)
        client.force_login(user)
        response = client.get(service.url)
        assert served(response) is None  # never from the cache, never stored
        html = response.content.decode()
        assert "Still accurate" in html  # the professional's own verify form
        (token,) = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        tokens.append((token, client.cookies["csrftoken"].value))
    assert tokens[0][0] != tokens[1][0]  # each their own token
    # The anonymous page, from the cache before and after, has none of it.
    after = anonymous().get(service.url)
    assert served(after) == "hit"
    html = after.content.decode()
    assert "Still accurate" not in html and "csrfmiddlewaretoken" not in html
    assert all(token not in html for pair in tokens for token in pair)
    assert after.content == cached.content


def test_a_reader_with_a_plan_or_a_session_is_served_their_own_page(service):
    twice(service.url)
    planner = anonymous()
    saved = planner.post("/plan/save/", {"service": service.pk}, HTTP_SEC_FETCH_SITE="same-origin")
    assert saved.status_code == 303
    response = planner.get(service.url)
    assert served(response) is None
    assert "In your plan." in response.content.decode()
    assert "In your plan." not in anonymous().get(service.url).content.decode()


def test_pages_that_are_not_public_listings_are_never_cached(service):
    for url in ("/healthz", f"/history/{service.pk}/", f"/report/{service.pk}/"):
        first, second = twice(url)
        assert served(first) is None and served(second) is None


def test_strange_input_is_answered_and_not_cached(service):
    long_query = f"{service.url}?{'x=1&' * 600}"  # past the longest key kept
    first, second = twice(long_query)
    assert (first.status_code, served(second)) == (200, None)
    for url in ("/search/?page=%00%ff&q=%ff", "/no-such-page/"):
        first, second = twice(url)
        assert first.status_code in (200, 404) and second.status_code == first.status_code
        if first.status_code == 404:
            assert served(second) is None  # only a 200 is stored


# --- Invalidation: exactly the affected pages ---------------------------------------------


def test_a_members_publish_shows_at_once_on_its_pages_and_searches(service, organization, member):
    neighbour = make_service(title="Legal clinic")  # another organization, unrelated
    for url in (service.url, organization.url, "/search/?q=groceries", "/", neighbour.url):
        twice(url)
    publish_edit(member, service, title="Weekly groceries and hot meals")
    assert "hot meals" in anonymous().get(service.url).content.decode()
    assert "hot meals" in anonymous().get(organization.url).content.decode()
    assert "hot meals" in anonymous().get("/search/?q=groceries").content.decode()
    assert served(anonymous().get("/")) != "hit"  # the home page: a new generation
    assert served(anonymous().get(neighbour.url)) == "hit"  # not affected, still cached


def test_unpublishing_removes_the_page_at_once(service, member, moderator):
    twice(service.url)
    client = Client()
    client.force_login(moderator)
    response = client.post(f"/admin/pages/{service.pk}/unpublish/")
    assert response.status_code == 302
    assert anonymous().get(service.url).status_code == 404
    assert "Weekly groceries" not in anonymous().get("/search/?q=groceries").content.decode()


def test_a_verification_shows_at_once(service):
    other_org = OrganizationFactory(title="Northside Legal Aid")
    before, _ = twice(service.url)
    assert "Verified today" not in before.content.decode()
    client = Client()
    client.force_login(professional(other_org))
    assert client.post(f"/review/verify/{service.pk}/", {"scope": "all"}).status_code == 302
    after = anonymous().get(service.url)
    assert served(after) != "hit"
    assert "Verified today by 1 organization" in after.content.decode()


def test_an_upheld_report_invalidates_the_listing(service, moderator):
    twice(service.url)
    reporter = anonymous()
    reporter.post(
        f"/report/{service.pk}/",
        {"reason": "closed", "note": "", "website": ""},
        REMOTE_ADDR="203.0.113.9",
    )
    report = Report.objects.get()
    assert served(anonymous().get(service.url)) == "hit"  # an open report changes nothing
    item = ReviewItem.objects.open().get(page=service, kind="disputed")
    client = Client()
    client.force_login(moderator)
    response = client.post(
        f"/admin/review-queue/{item.pk}/act/", {"action": "uphold", "report": report.pk}
    )
    assert response.status_code == 302
    assert Report.objects.get().status == "upheld"
    assert served(anonymous().get(service.url)) != "hit"


def test_a_lock_invalidates_the_listing(service, moderator):
    twice(service.url)
    client = Client()
    client.force_login(moderator)
    url = f"/admin/steward/pages/{service.pk}/lock/"
    assert client.post(url, {"reason": "shelter", "note": ""}).status_code == 302
    assert served(anonymous().get(service.url)) != "hit"


def test_a_merge_sends_the_duplicates_readers_to_the_survivor(organization, moderator):
    survivor = make_service(organization=organization, title="Food pantry")
    duplicate = make_service(organization=organization, title="Food Pantry (imported twice)")
    duplicate_url = duplicate.url
    twice(duplicate_url)
    twice(survivor.url)
    client = Client()
    client.force_login(moderator)
    done = client.post(
        f"/admin/steward/pages/{duplicate.pk}/merge/", {"survivor": survivor.pk, "note": ""}
    )
    assert done.status_code == 302
    response = anonymous().get(duplicate_url)
    assert response.status_code == 301
    assert response["Location"].rstrip("/").endswith(survivor.url.rstrip("/"))
    assert served(anonymous().get(survivor.url)) != "hit"


def test_a_change_to_a_shared_location_shows_on_every_service_there(organization):
    place = LocationFactory(organization=organization, address_1="100 W Randolph St")
    first = make_service(organization=organization, title="Groceries", location=place)
    second = make_service(organization=organization, title="Hot meals", location=place)
    elsewhere = make_service(organization=organization, title="Legal clinic")
    for page in (first, second, elsewhere):
        twice(page.url)
    location = Location.objects.get(pk=place.pk)
    location.address_1 = "200 N State St"
    location.save_revision().publish()  # what the location editor's Publish does
    for page in (first, second):
        response = anonymous().get(page.url)
        assert served(response) != "hit"
        assert "200 N State St" in response.content.decode()
    assert served(anonymous().get(elsewhere.url)) == "hit"


def test_an_import_invalidates_the_directory(service, tmp_path):
    twice(service.url)
    twice("/search/?q=groceries")
    call_command("import_hsds", "tests/directory/fixtures/ohana-json", stdout=io.StringIO())
    assert served(anonymous().get(service.url)) != "hit"
    assert served(anonymous().get("/search/?q=groceries")) != "hit"


# --- Open now: a page lives only until its next opening or closing time ----------------


OPEN = '<span class="pill pill-open">'
CLOSED = '<span class="pill pill-closed">'


def at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_cached_page_never_shows_a_stale_open_state(monkeypatch, organization, settings):
    # Longer than a day, so only the hours (and midnight) decide.
    settings.STEWARD = {
        **settings.STEWARD,
        "PAGE_CACHE": {**settings.STEWARD["PAGE_CACHE"], "MAX_SECONDS": 2 * 86400},
    }
    # Open Mondays 9:00-17:00 in Chicago.
    service = make_service(
        organization=organization,
        title="Weekday pantry",
        hours=((1, dt.time(9), dt.time(17)),),
    )
    monday = dt.date(2030, 3, 4)
    assert monday.isoweekday() == 1

    def clock(hour, minute=0, second=0):
        at(monkeypatch, dt.datetime.combine(monday, dt.time(hour, minute, second), CHICAGO))

    clock(8, 59, 30)
    closed, cached = twice(service.url)
    assert CLOSED in cached.content.decode() and served(cached) == "hit"
    clock(9, 0, 1)  # it opened: the page stored at 8:59 has expired
    opened = anonymous().get(service.url)
    assert served(opened) == "miss"
    assert OPEN in opened.content.decode()
    clock(16, 59, 59)
    still = anonymous().get(service.url)
    assert served(still) == "hit" and OPEN in still.content.decode()
    clock(17, 0, 0)
    after = anonymous().get(service.url)
    assert served(after) == "miss"
    assert CLOSED in after.content.decode()
    # The same for a search listing it.
    clock(16, 59)
    assert OPEN in anonymous().get("/search/?q=pantry").content.decode()
    clock(17, 0, 1)
    assert OPEN not in anonymous().get("/search/?q=pantry").content.decode()


# --- Counting views without writing on the render path ----------------------------------


def views(service):
    row = DailyCount.objects.filter(page=service, kind="view").first()
    return row.count if row else 0


def test_views_are_counted_from_the_cache_and_flushed_by_run_periodic(
    service, django_assert_max_num_queries
):
    anonymous().get(service.url)  # rendered and stored
    with django_assert_max_num_queries(0):
        hit = anonymous().get(service.url)  # from the cache: no database at all
    assert served(hit) == "hit"
    anonymous().get(service.url)
    Client(HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)").get(service.url)
    anonymous().head(service.url)
    assert views(service) == 0  # nothing written while serving
    call_command("run_periodic", "--force", stdout=io.StringIO())
    assert views(service) == 3  # people's GETs, robots and HEAD left out
    anonymous().get(service.url)
    call_command("run_periodic", "--force", stdout=io.StringIO())
    call_command("run_periodic", "--force", stdout=io.StringIO())
    assert views(service) == 4  # each view once, however many flushes


def test_signed_in_views_are_counted_too(service, member):
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.force_login(member)
    client.get(service.url)
    call_command("run_periodic", "--force", stdout=io.StringIO())
    assert views(service) == 1


# --- An uncached service page in a fixed number of queries ------------------------------


def _grow(service, n):
    """`n` phones, hours rows, locations and revisions on the listing."""
    from tests.factories import add_location

    service = ServicePage.objects.get(pk=service.pk)
    for i in range(n):
        location = LocationFactory(organization=service.get_parent().specific)
        add_location(
            service,
            location,
            phones=[f"(312) 555-{1000 + i:04d}"],
            hours=[((i % 7) + 1, dt.time(9), dt.time(12 + i % 5))],
            publish=False,
        )
    for _ in range(n):
        service.save_revision().publish()
    return service


def _queries_of_an_uncached_view(service):
    anonymous().get(service.url)  # Wagtail's site root paths, cached per process
    with CaptureQueriesContext(connection) as queries:
        response = anonymous().get(service.url)
    assert response.status_code == 200 and served(response) is None
    assert "(312) 555-1000" in response.content.decode()
    return len(queries)


@pytest.fixture
def uncached(page_cache, settings):  # after page_cache, which switches it on
    settings.STEWARD = {
        **settings.STEWARD,
        "PAGE_CACHE": {**settings.STEWARD["PAGE_CACHE"], "ENABLED": False},
    }


@pytest.mark.usefixtures("uncached")
def test_an_uncached_service_page_takes_as_many_queries_with_1_or_12_of_everything(
    organization,
):
    small = _grow(make_service(organization=organization, title="Small"), 1)
    big = _grow(make_service(organization=organization, title="Big"), 12)
    assert big.phones.count() >= 12 and big.hours.count() >= 12
    assert big.service_at_locations.count() >= 12 and big.revisions.count() >= 12
    counted = (_queries_of_an_uncached_view(big), _queries_of_an_uncached_view(small))
    print("queries of an uncached service page (12 of everything, 1):", counted)
    assert counted[0] == counted[1]


@pytest.mark.usefixtures("uncached")
@pytest.mark.parametrize("n", [1, 12])
def test_an_uncached_service_page_takes_at_most_12_queries(
    n, organization, django_assert_max_num_queries
):
    service = _grow(make_service(organization=organization, title="Weekly groceries"), n)
    anonymous().get(service.url)
    with django_assert_max_num_queries(12):
        response = anonymous().get(service.url)
    assert response.status_code == 200 and served(response) is None

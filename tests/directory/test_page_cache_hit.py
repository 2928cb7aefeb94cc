"""Issue 14: a page served from the cache costs one cache round trip.

The cache is watched, not replaced: every call the page cache makes while
serving a hit is recorded and passed through to the real cache.
"""

import io

from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

import pytest

from directory import pagecache
from impact.models import DailyCount
from tests.directory.page_cache_support import page_cache, served
from tests.factories import LocationFactory, OrganizationFactory, add_location, make_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]
__all__ = ["page_cache"]

BROWSER = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"
CALLS = ("get", "get_many", "set", "set_many", "add", "incr", "decr", "has_key", "delete")


def anonymous():
    return Client(HTTP_USER_AGENT=BROWSER)


class Calls(list):
    """The names of the cache methods called, in order; `.keys`: their keys."""

    def __init__(self):
        super().__init__()
        self.keys = []
        self.depth = 0

    def clear(self):
        super().clear()
        self.keys.clear()


@pytest.fixture
def cache_calls(monkeypatch):
    cache = caches[pagecache.conf()["CACHE"]]
    calls = Calls()

    def watch(name):
        real = getattr(cache, name)

        def watched(*args, **kwargs):
            # Only the page cache's own calls: local memory's get_many calls get.
            if not calls.depth:
                calls.append(name)
                first = args[0] if args else next(iter(kwargs.values()), "")
                calls.keys.append([first] if isinstance(first, str) else list(first))
            calls.depth += 1
            try:
                return real(*args, **kwargs)
            finally:
                calls.depth -= 1

        monkeypatch.setattr(cache, name, watched)

    for name in CALLS:
        watch(name)
    return calls


@pytest.fixture
def service(db):
    return make_service(organization=OrganizationFactory(), title="Weekly groceries")


def test_a_hit_is_one_round_trip_to_the_cache_and_no_database(
    service, cache_calls, django_assert_max_num_queries
):
    assert served(anonymous().get(service.url)) == "miss"
    for _ in range(3):
        cache_calls.clear()
        with django_assert_max_num_queries(0):
            hit = anonymous().get(service.url)
        assert served(hit) == "hit" and "Weekly groceries" in hit.content.decode()
        # The entry and the generations of every tag it depends on, in one call;
        # the view is counted in memory, not with another trip.
        assert cache_calls == ["get_many"], cache_calls.keys
    call_command("run_periodic", "--force", stdout=io.StringIO())
    assert DailyCount.objects.get(page=service, kind="view").count == 4


def test_a_process_that_never_served_the_page_still_checks_every_tag(service, cache_calls):
    anonymous().get(service.url)
    pagecache._TAGS_SEEN.clear()  # as another app server would start
    cache_calls.clear()
    assert served(anonymous().get(service.url)) == "hit"
    assert cache_calls == ["get_many", "get_many"]  # the entry, then its tags
    cache_calls.clear()
    assert served(anonymous().get(service.url)) == "hit"
    assert cache_calls == ["get_many"]


def test_a_change_reaches_a_process_whose_hint_is_stale(service):
    """The hint of which tags a URL depends on only saves a trip: a tag the entry
    names but the hint lacks is read too."""
    anonymous().get(service.url)
    old_hint = dict(pagecache._TAGS_SEEN)
    location = LocationFactory(organization=service.get_parent().specific, name="Annex")
    add_location(service.specific_class.objects.get(pk=service.pk), location)
    fresh = anonymous().get(service.url)
    assert served(fresh) == "miss" and "Annex" in fresh.content.decode()
    # This process still remembers the tags from before (as another server would).
    pagecache._TAGS_SEEN.update(old_hint)
    assert served(anonymous().get(service.url)) == "hit"
    pagecache._TAGS_SEEN.update(old_hint)
    location.name = "North annex"
    location.save()
    again = anonymous().get(service.url)
    assert served(again) == "miss" and "North annex" in again.content.decode()


def test_a_reader_with_a_session_is_never_served_from_the_cache(service, cache_calls):
    anonymous().get(service.url)
    reader = anonymous()
    reader.cookies["sessionid"] = "anything"
    cache_calls.clear()
    response = reader.get(service.url)
    assert response.status_code == 200 and served(response) is None
    page_keys = [keys for keys in cache_calls.keys if any(":page:" in k for k in keys)]
    assert page_keys == []  # not even looked up

"""Status overrides hours everywhere: a temporarily closed, inactive or defunct
service never says "Open now" (issue 11)."""

import datetime as dt

import pytest

from directory.models.pages import ServiceStatus
from directory.querysets import OPEN_STATUSES
from tests.factories import make_service
from tests.impact.conftest import make_plan

pytestmark = pytest.mark.django_db

# Open around the clock, every day: "Open now" whenever the test runs.
ALWAYS = tuple((day, dt.time(0), dt.time(0)) for day in range(1, 8))
NOT_RUNNING = [ServiceStatus.TEMPORARILY_CLOSED, ServiceStatus.INACTIVE]


def test_only_an_active_service_may_be_open():
    assert (ServiceStatus.ACTIVE.value,) == OPEN_STATUSES


def test_an_active_service_open_around_the_clock_says_open_now(client):
    service = make_service(title="Night pantry", hours=ALWAYS)
    assert "Open now" in client.get(service.url).content.decode()
    assert "Night pantry" in client.get("/search/", {"open_now": "1"}).content.decode()


@pytest.mark.parametrize("status", NOT_RUNNING)
def test_a_service_that_is_not_running_never_says_open_now(client, status):
    service = make_service(title="Night pantry", hours=ALWAYS, status=status)
    _, token = make_plan(service)
    pages = {
        "service page (header pill and hours box)": service.url,
        "organization page": service.get_parent().url,
        "search results": "/search/?q=pantry",
        "plan page": f"/plan/{token}/",
    }
    for where, url in pages.items():
        html = client.get(url).content.decode()
        assert "Night pantry" in html, where
        assert "Open now" not in html.replace('<label for="open_now">Open now</label>', ""), where
        assert "Closed now" not in html, where
    filtered = client.get("/search/", {"open_now": "1"}).content.decode()
    assert "Night pantry" not in filtered


def test_a_defunct_service_is_never_open_now_even_when_listed_with_defunct(client):
    from directory.search import search_services

    make_service(title="Old pantry", hours=ALWAYS, status=ServiceStatus.DEFUNCT)
    assert list(search_services("", open_now=True, include_defunct=True)) == []

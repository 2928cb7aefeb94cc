import datetime as dt
import re
import zoneinfo
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from directory.models import LocationPhone, LocationSchedule, ServicePhone, ServiceSchedule
from directory.models.pages import ServiceStatus
from tests.factories import (
    LocationFactory,
    OrganizationFactory,
    add_location,
    category,
    language,
    make_service,
)

pytestmark = pytest.mark.django_db

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, tzinfo=zoneinfo.ZoneInfo("America/Chicago"))
SERVICE_PAGE_QUERY_BUDGET = 25


def page_html(client, service, now=MONDAY_NOON):
    with mock.patch("directory.selectors.timezone.now", return_value=now):
        response = client.get(service.get_url())
    assert response.status_code == 200
    return response.content.decode()


def full_service(**overrides):
    fields = {
        "title": "Evening meals",
        "description": "A hot meal every evening.",
        "eligibility_description": "Anyone who is hungry.",
        "minimum_age": 18,
        "application_process": "Walk in; no appointment.",
        "required_documents": "Photo ID\nProof of address",
        "fees_description": "Free",
        "wait_time": "About 15 minutes",
        "interpretation_services": "Phone interpreters on request",
        "accessibility": "Step-free entrance",
        "service_area": "Residents of Cook County",
        "website": "https://meals.example.org/",
        "email": "meals@example.org",
        "alert": "Closed on Thanksgiving Day.",
        **overrides,
    }
    return make_service(
        categories=[category("102-05")], languages=[language("es", "Spanish")], **fields
    )


def test_the_page_shows_every_field(client):
    html = page_html(client, full_service())
    for text in (
        "Evening meals",
        "A hot meal every evening.",
        "Anyone who is hungry.",
        "Ages 18 and over",
        "Walk in; no appointment.",
        "Photo ID",
        "Proof of address",
        "Free",
        "About 15 minutes",
        "Spanish",
        "Phone interpreters on request",
        "Step-free entrance",
        "Residents of Cook County",
        "https://meals.example.org/",
        "mailto:meals@example.org",
        "Free Meals",
        "100 W Randolph St",
    ):
        assert text in html, text
    assert html.index("Closed on Thanksgiving Day.") < html.index("<h1")


def test_the_status_shows_when_the_service_is_not_active(client):
    html = page_html(client, full_service(status=ServiceStatus.TEMPORARILY_CLOSED))
    assert "Temporarily closed" in html
    assert "Temporarily closed" not in page_html(client, full_service(title="Other"))


def test_hours_open_state_and_exceptions(client):
    service = full_service()
    service.hours.add(
        ServiceSchedule(
            valid_from=dt.date(2026, 11, 26),
            valid_to=dt.date(2026, 11, 26),
            closed=True,
            description="Thanksgiving",
        )
    )
    service.save_revision().publish()
    html = page_html(client, service)
    assert "Open now" in html
    assert re.search(r"Monday.*?9am–5pm", html, re.S)
    assert "Nov 26, 2026: closed (Thanksgiving)" in html
    assert "Closed now" in page_html(client, service, now=MONDAY_NOON + dt.timedelta(hours=6))


def test_overnight_hours_say_next_day(client):
    service = make_service(hours=((5, dt.time(20), dt.time(6)),))
    assert "8pm–6am (next day)" in page_html(client, service)


def test_phones_are_tap_to_call_and_directions_link_to_maps(client):
    html = page_html(client, full_service())
    assert 'href="tel:+13125550101"' in html
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=100+W+Randolph+St" in html


def test_share_links_work_without_javascript(client):
    service = full_service()
    html = page_html(client, service)
    assert 'href="sms:?body=Evening%20meals%3A%20http' in html
    assert 'href="mailto:?subject=Evening%20meals&amp;body=' in html
    assert "data-copy=" in html  # the copy button, shown by JS only
    assert re.search(r"<button[^>]*data-copy[^>]*hidden", html)


def test_the_organization_and_other_services_at_the_same_place(client):
    org = OrganizationFactory(title="Neighbours United")
    place = LocationFactory(organization=org)
    service = make_service(organization=org, title="Pantry", location=place)
    make_service(organization=org, title="Tax help", location=place)
    make_service(organization=org, title="Elsewhere")
    html = page_html(client, service)
    assert f'href="{org.get_url()}"' in html and "Neighbours United" in html
    assert "Tax help" in html
    assert "Elsewhere" not in html


def test_a_confidential_location_shows_its_phone_and_never_its_address(client):
    org = OrganizationFactory()
    shelter = LocationFactory(
        organization=org,
        name="Safe house",
        address_1="742 Hidden Lane",
        city="Secretville",
        postal_code="60622",
        transportation="Take the 66 bus to Hidden Lane",
        address_is_public=False,
    )
    LocationPhone.objects.create(location=shelter, number="(312) 555-0199")
    service = make_service(organization=org, title="Shelter", location=shelter)
    html = page_html(client, service)
    for secret in ("742 Hidden Lane", "Hidden", "Secretville", "60622", "maps/dir"):
        assert secret not in html, secret
    assert "tel:+13125550101" in html and "tel:+13125550199" in html
    assert 'class="quick-exit" href="https://www.google.com/"' in html
    # The quick exit comes first, before the header, for keyboard and screen readers.
    assert html.index("data-quick-exit") < html.index("<header")


def test_no_quick_exit_on_an_ordinary_listing(client):
    assert "data-quick-exit" not in page_html(client, full_service())


def test_location_hours_and_phones_apply_when_the_service_has_none(client):
    org = OrganizationFactory()
    place = LocationFactory(organization=org)
    LocationPhone.objects.create(location=place, number="(312) 555-0177")
    LocationSchedule.objects.create(
        location=place, weekday=1, opens_at=dt.time(8), closes_at=dt.time(14)
    )
    service = make_service(organization=org, location=place, phones=(), hours=())
    html = page_html(client, service)
    assert "tel:+13125550177" in html
    assert "8am–2pm" in html and "Open now" in html


def test_accessibility_basics(client):
    html = page_html(client, full_service())
    assert '<html lang="en"' in html
    assert html.count("<h1") == 1
    assert 'name="viewport"' in html
    for input_id in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id


def test_a_print_stylesheet_hides_navigation_and_shows_link_addresses(client):
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/steward.css").read_text()
    print_rules = css[css.index("@media print") :]
    for selector in (".site-header", ".actions", ".quick-exit", "button"):
        assert selector in print_rules
    assert 'a[href^="http"]::after { content: " (" attr(href) ")"' in print_rules


def _busy_service(phones, schedules, places):
    org = OrganizationFactory()
    service = make_service(organization=org, categories=[category("102"), category("103")])
    for n in range(places):
        place = LocationFactory(organization=org)
        LocationPhone.objects.create(location=place, number="(312) 555-0150")
        LocationSchedule.objects.create(
            location=place, weekday=2, opens_at=dt.time(8), closes_at=dt.time(12)
        )
        add_location(service, place, publish=False)
        make_service(organization=org, title=f"Neighbour {n}", location=place)
    for _ in range(phones):
        service.phones.add(ServicePhone(number="(312) 555-0102"))
    for day in range(schedules):
        service.hours.add(
            ServiceSchedule(weekday=day % 7 + 1, opens_at=dt.time(9), closes_at=dt.time(17))
        )
    service.save_revision().publish()
    return service


def _queries_for_page(client, service):
    url = service.get_url()
    client.get(url)  # warm the site-root cache, as in production
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_phones_hours_or_places(client):
    small = _queries_for_page(client, _busy_service(phones=1, schedules=1, places=1))
    large = _queries_for_page(client, _busy_service(phones=20, schedules=30, places=8))
    assert small == large
    assert large <= SERVICE_PAGE_QUERY_BUDGET


def test_the_service_page_stays_within_its_query_budget(client, django_assert_max_num_queries):
    service = _busy_service(phones=10, schedules=14, places=5)
    client.get(service.get_url())
    with django_assert_max_num_queries(SERVICE_PAGE_QUERY_BUDGET):
        client.get(service.get_url())


def test_a_listing_weighs_under_100_kb(client):
    from tests.directory.test_search import linked_static_size

    service = _busy_service(phones=5, schedules=7, places=3)
    response = client.get(service.get_url())
    html = response.content.decode()
    assert len(response.content) + linked_static_size(html) < 100_000


def test_round_the_clock_hours_read_open_24_hours(client):
    service = make_service(hours=tuple((day, dt.time(0), dt.time(0)) for day in range(1, 8)))
    html = page_html(client, service)
    assert "Open 24 hours" in html
    assert "11:59pm" not in html


def test_a_preview_shows_the_drafts_phones_and_hours():
    from directory.selectors import service_context

    service = make_service()
    service.phones.add(ServicePhone(number="(312) 555-0999"))
    service.hours.add(ServiceSchedule(weekday=3, opens_at=dt.time(7), closes_at=dt.time(8)))
    draft = service.save_revision().as_object()
    context = service_context(draft, now=MONDAY_NOON)
    assert [p.uri for p in context["service_phones"]] == ["tel:+13125550999"]
    assert context["general_hours"].days[2]["times"] == ["7am–8am"]  # Wednesday
    assert context["places"][0].hours.days[0]["times"] == ["9am–5pm"]  # Monday, at the place

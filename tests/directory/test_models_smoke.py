import datetime as dt

import pytest

from directory.models import ServicePage
from tests.factories import category, make_service


@pytest.mark.django_db
def test_a_published_service_keeps_its_phones_hours_and_categories_in_its_revision():
    service = make_service(categories=[category("102")])
    live = ServicePage.objects.live().get(pk=service.pk)
    assert [p.display for p in live.phones.all()] == ["(312) 555-0101"]
    assert live.hours.get().opens_at == dt.time(9)
    assert live.categories.get().name == "Food"
    revision = live.latest_revision.as_object()
    assert [p.number for p in revision.phones.all()] == ["(312) 555-0101"]


@pytest.mark.django_db
def test_a_services_url_is_its_listing_page_not_its_website():
    service = make_service(website="https://pantry.example.org/")
    organization = service.get_parent()
    assert service.url == f"{organization.url}{service.slug}/"
    assert service.website == "https://pantry.example.org/"

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from directory.models.pages import ServiceStatus
from tests.factories import OrganizationFactory, make_service

pytestmark = pytest.mark.django_db


def test_the_organization_page_lists_its_live_services(client):
    org = OrganizationFactory(
        title="Neighbours United",
        description="We run pantries.",
        website="https://neighbours.example.org/",
        email="hello@neighbours.example.org",
    )
    make_service(organization=org, title="Pantry")
    make_service(organization=org, title="Old program", status=ServiceStatus.DEFUNCT)
    draft = make_service(organization=org, title="Unpublished")
    draft.unpublish()
    make_service(title="Someone else's")
    html = client.get(org.get_url()).content.decode()
    assert "We run pantries." in html
    assert "https://neighbours.example.org/" in html
    assert "mailto:hello@neighbours.example.org" in html
    assert "Pantry" in html
    for absent in ("Old program", "Unpublished", "Someone else"):
        assert absent not in html
    assert html.count("<h1") == 1


def _queries(client, org):
    client.get(org.get_url())
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(org.get_url())
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_its_services(client):
    small, large = OrganizationFactory(), OrganizationFactory()
    for org, count in ((small, 2), (large, 12)):
        for n in range(count):
            make_service(
                organization=org,
                title=f"Service {n}",
                phones=("(312) 555-0101", "(312) 555-0102"),
                hours=((1, dt.time(9), dt.time(17)), (2, dt.time(9), dt.time(17))),
            )
    assert _queries(client, small) == _queries(client, large) <= 20

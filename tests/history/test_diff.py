"""Plain-language field diffs between two versions of a listing."""

import datetime as dt

import pytest

from directory.models import (
    Location,
    LocationSchedule,
    ServiceAtLocation,
    ServicePhone,
    ServiceSchedule,
)
from history.diff import compare
from tests.factories import LocationFactory, category, language, make_service

pytestmark = pytest.mark.django_db


def texts(changes):
    return [c.text for c in changes]


def edit(service, change):
    """Apply `change` to the latest version of the service and save a new revision."""
    page = service.get_latest_revision_as_object()
    change(page)
    return page.save_revision()


@pytest.fixture
def service(home):
    return make_service(
        title="Weekly groceries",
        phones=("(312) 555-0101",),
        hours=((1, dt.time(9), dt.time(17)),),
    )


def test_a_changed_main_phone_reads_as_a_sentence(service):
    before = service.latest_revision

    def change(page):
        phones = list(page.phones.all())
        phones[0].number = "312-555-0199"
        page.phones = phones

    after = edit(service, change)
    assert texts(compare(before, after)) == [
        "Main phone changed from (312) 555-0101 to (312) 555-0199"
    ]


def test_added_and_removed_weekday_hours(service):
    before = service.latest_revision

    def change(page):
        location = page.service_at_locations.first().location
        page.hours = [
            ServiceSchedule(
                weekday=6, opens_at=dt.time(9), closes_at=dt.time(13), location=location
            )
        ]

    after = edit(service, change)
    assert texts(compare(before, after)) == [
        "Monday hours removed: 9am–5pm",
        "Saturday hours added: 9am–1pm",
    ]


def test_overnight_hours_and_exceptions_use_the_listing_page_wording(service):
    before = service.latest_revision

    def change(page):
        rows = list(page.hours.all())
        rows[0].closes_at = dt.time(8)
        rows[0].opens_at = dt.time(20)
        rows.append(
            ServiceSchedule(valid_from=dt.date(2026, 12, 25), closed=True, description="Holiday")
        )
        page.hours = rows

    after = edit(service, change)
    assert texts(compare(before, after)) == [
        "Monday hours changed from 9am–5pm to 8pm–8am (next day)",
        "Special hours added: Dec 25, 2026: closed (Holiday)",
    ]


def test_a_removed_location_names_its_street(service):
    second = LocationFactory(
        organization=service.get_parent().specific, name="Annex", address_1="12 Main St"
    )

    def add(page):
        page.service_at_locations = [
            *page.service_at_locations.all(),
            ServiceAtLocation(location=second),
        ]

    with_annex = edit(service, add)

    def remove(page):
        page.service_at_locations = [
            link for link in page.service_at_locations.all() if link.location_id != second.pk
        ]

    without = edit(service, remove)
    assert texts(compare(with_annex, without)) == ["Location removed: Annex, 12 Main St"]
    assert texts(compare(without, with_annex)) == ["Location added: Annex, 12 Main St"]


def test_categories_languages_and_plain_fields(service):
    before = service.latest_revision

    def change(page):
        page.title = "Groceries every week"
        page.status = "temporarily closed"
        page.minimum_age = 18
        page.categories = [category("102")]
        page.languages = [language("es", "Spanish")]

    after = edit(service, change)
    changes = compare(before, after)
    assert "Name changed from Weekly groceries to Groceries every week" in texts(changes)
    assert "Status changed from Active to Temporarily closed" in texts(changes)
    assert "Minimum age added: 18" in texts(changes)
    assert "Language added: Spanish" in texts(changes)
    assert any(t.startswith("Category added: ") for t in texts(changes))
    by_key = {c.key: c for c in changes}
    assert by_key["title"].field_name == "name"
    assert (by_key["title"].previous, by_key["title"].replacement) == (
        "Weekly groceries",
        "Groceries every week",
    )


def test_as_object_versions_compare_like_revisions(service):
    before = service.latest_revision

    def change(page):
        page.phones = [*page.phones.all(), ServicePhone(number="(312) 555-0111", type="text")]

    after = edit(service, change)
    assert texts(compare(before.as_object(), after.as_object())) == [
        "Phone added: (312) 555-0111 (Text (SMS))"
    ]


def test_identical_versions_have_no_changes(service):
    revision = service.latest_revision
    again = service.save_revision()
    assert compare(revision, again) == []


def test_location_snippet_revisions_and_private_addresses(home):
    location = LocationFactory(name="Safe house", address_1="1 Hidden Rd")
    first = location.save_revision()
    location.address_1 = "2 Hidden Rd"
    location.address_is_public = False
    location.hours = [LocationSchedule(weekday=6, opens_at=dt.time(9), closes_at=dt.time(13))]
    location.save()
    second = location.save_revision()

    admin = texts(compare(first, second))
    assert "Street address changed from 1 Hidden Rd to 2 Hidden Rd" in admin
    assert "Saturday hours added: 9am–1pm" in admin
    public = texts(compare(first, second, public=True))
    assert not any("Hidden Rd" in text for text in public)
    assert "Street address changed" in " ".join(public)
    assert Location.objects.get(pk=location.pk).address_is_public is False

"""“Possible confidential address” (issue 10): a place that looks like a shelter
for survivors, imported without a private flag, is hidden and put in the review
queue; only a moderator decides, and the decision is a revision."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from wagtail.models import Revision

import pytest

from directory.models import Location, ServicePage, SourceRecord
from review.models import ReviewItem

pytestmark = pytest.mark.django_db
EXCERPT = (
    Path(__file__).parents[2].parent
    / "shared"
    / "data"
    / "airs-xml-bc211"
    / "BC211_data_excerpt.xml"
)


@pytest.fixture
def shelter(home):
    if not EXCERPT.exists():
        pytest.skip(f"{EXCERPT} is absent")
    out = StringIO()
    call_command("import_hsds", str(EXCERPT), stdout=out)
    assert "1 locations look like confidential shelters" in out.getvalue()
    call_command("review_scan", stdout=StringIO())
    # BC 211's "Safe Choice Program" site: "Independent living suites for women
    # ... seeking safety from family violence"; its address is not flagged
    # Confidential in the file.
    record = SourceRecord.objects.get(kind="location", source_id="site-9492914")
    location = Location.objects.get(uuid=record.object_uuid)
    page = ServicePage.objects.get(
        uuid=SourceRecord.objects.get(kind="service", source_id="9492914").object_uuid
    )
    return location, page


def address_shown(body):
    return "<address>Coquitlam, BC</address>" in body


def private_note(body):
    return "This address is kept private" in body


def item_of(location):
    return ReviewItem.objects.get(kind="possible_confidential", page=location.organization)


def test_imported_hidden_and_queued(client, shelter):
    location, page = shelter
    assert location.name == "Safe Choice Program"
    assert location.possible_confidential and not location.address_is_public
    assert location.city == "Coquitlam"  # kept for the moderator
    body = client.get(page.url).content.decode()
    assert not address_shown(body) and private_note(body)
    item = item_of(location)
    assert item.is_open and item.data == {"locations": [location.pk]}
    assert ReviewItem.objects.filter(kind="possible_confidential").count() == 1
    # A second scan changes nothing.
    call_command("review_scan", stdout=StringIO())
    assert ReviewItem.objects.filter(kind="possible_confidential").count() == 1


def test_a_moderator_keeps_it_confidential(client, shelter, moderator):
    location, page = shelter
    item = item_of(location)
    client.force_login(moderator)
    detail = client.get(f"/admin/review-queue/{item.pk}/").content.decode()
    assert "Keep the address confidential" in detail and "Coquitlam" in detail
    revisions = Revision.objects.for_instance(location).count()
    response = client.post(f"/admin/review-queue/{item.pk}/act/", {"action": "keep_confidential"})
    assert response.status_code == 302
    location.refresh_from_db()
    item.refresh_from_db()
    assert not location.possible_confidential and not location.address_is_public
    assert item.status == "resolved" and item.resolved_by == moderator
    assert Revision.objects.for_instance(location).count() == revisions + 1
    client.logout()
    body = client.get(page.url).content.decode()
    assert not address_shown(body) and private_note(body)
    # Decided: the next scan does not reopen it.
    call_command("review_scan", stdout=StringIO())
    assert not ReviewItem.objects.open().filter(kind="possible_confidential").exists()


def test_a_moderator_makes_it_public(client, shelter, moderator):
    location, page = shelter
    item = item_of(location)
    client.force_login(moderator)
    client.post(f"/admin/review-queue/{item.pk}/act/", {"action": "make_public"})
    location.refresh_from_db()
    assert location.address_is_public and not location.possible_confidential
    client.logout()
    body = client.get(page.url).content.decode()
    assert address_shown(body) and not private_note(body)
    # Importing the same file again does not undo the moderator's decision.
    call_command("import_hsds", str(EXCERPT), stdout=StringIO())
    location.refresh_from_db()
    assert location.address_is_public and not location.possible_confidential


def test_a_reviewer_cannot_decide(client, shelter, reviewer):
    location, _ = shelter
    item = item_of(location)
    client.force_login(reviewer)
    response = client.post(f"/admin/review-queue/{item.pk}/act/", {"action": "make_public"})
    assert response.status_code == 403
    location.refresh_from_db()
    item.refresh_from_db()
    assert location.possible_confidential and not location.address_is_public
    assert item.is_open

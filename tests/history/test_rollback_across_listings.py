"""Issue 11: rollback undoes one editor's run across every listing it touched, in
one action, with a list to untick honest edits; each rollback is a new revision."""

import re

from wagtail.models import PageLogEntry, Revision

import pytest

from directory.models import ServicePage
from review.models import LedgerEvent
from tests.factories import make_service
from tests.history.conftest import edit, set_phone

pytestmark = pytest.mark.django_db


def phone_of(page):
    return ServicePage.objects.get(pk=page.pk).phones.first().display


def revisions_of(page):
    return set(Revision.page_revisions.filter(object_id=str(page.pk)).values_list("pk", flat=True))


@pytest.fixture
def spree(service, member):
    """The member's run of edits on three listings of their organization."""
    organization = service.get_parent().specific
    second = make_service(organization=organization, title="Hot meals", phones=("(312) 555-0202",))
    honest = make_service(organization=organization, title="Diapers", phones=("(312) 555-0303",))
    edit(service, member, set_phone("312-555-0666"))
    edit(service, member, set_phone("312-555-0667"))
    edit(second, member, set_phone("312-555-0668"))
    edit(honest, member, set_phone("312-555-0304"))
    return service, second, honest


def test_the_screen_lists_every_listing_of_the_run_ticked_and_wrong_unticked(
    client, spree, member, moderator
):
    service, second, honest = spree
    client.force_login(moderator)
    response = client.get(f"/admin/history/{service.pk}/rollback/{member.pk}/")

    assert response.status_code == 200
    html = response.text
    inputs = re.findall(r'<input[^>]*name="(?:listing|wrong)"[^>]*>', html)
    listing_boxes = {re.search(r'value="(\d+)"', box).group(1): box for box in inputs[:-1]}
    assert set(listing_boxes) == {str(service.pk), str(second.pk), str(honest.pk)}
    assert all("checked" in box for box in listing_boxes.values())
    wrong = [box for box in inputs if 'name="wrong"' in box][0]
    assert "checked" not in wrong
    assert "The edits were wrong (−10 points)" in html
    for title in ("Weekly groceries", "Hot meals", "Diapers"):
        assert title in html


def test_one_post_rolls_back_two_listings_and_leaves_the_unticked_one_alone(
    client, spree, member, moderator
):
    service, second, honest = spree
    before = {page.pk: revisions_of(page) for page in spree}
    client.force_login(moderator)

    response = client.post(
        f"/admin/history/{service.pk}/rollback/{member.pk}/",
        {"listing": [str(service.pk), str(second.pk)], "reason": "spree"},
    )

    assert response.status_code == 302
    assert phone_of(service) == "(312) 555-0101"
    assert phone_of(second) == "(312) 555-0202"
    assert phone_of(honest) == "(312) 555-0304"
    # Each rolled-back listing has exactly one new revision; no revision was removed.
    for page in (service, second):
        after = revisions_of(page)
        assert before[page.pk] < after and len(after - before[page.pk]) == 1
    assert revisions_of(honest) == before[honest.pk]
    entries = PageLogEntry.objects.filter(action="steward.rollback")
    assert {e.page_id for e in entries} == {service.pk, second.pk}
    assert not LedgerEvent.objects.filter(user=member).exists()


def test_a_crafted_listing_outside_the_run_changes_nothing(client, spree, member, moderator):
    service, second, honest = spree
    untouched = make_service(title="Elsewhere", phones=("(312) 555-0909",))
    client.force_login(moderator)

    response = client.post(
        f"/admin/history/{service.pk}/rollback/{member.pk}/",
        {"listing": [str(service.pk), str(untouched.pk), "not-a-number"]},
    )

    assert response.status_code == 400
    assert "no run of theirs" in response.text
    assert phone_of(service) == "(312) 555-0667"
    assert not PageLogEntry.objects.filter(action="steward.rollback").exists()


def test_nothing_ticked_is_refused_with_a_message(client, spree, member, moderator):
    service, *_ = spree
    client.force_login(moderator)
    response = client.post(f"/admin/history/{service.pk}/rollback/{member.pk}/", {"wrong": "on"})
    assert response.status_code == 400
    assert "Tick at least one listing" in response.text
    assert phone_of(service) == "(312) 555-0667"
    assert not LedgerEvent.objects.filter(user=member).exists()


def test_edits_older_than_the_run_are_not_part_of_it(client, service, member, moderator):
    import datetime as dt

    organization = service.get_parent().specific
    old = make_service(organization=organization, title="Old edit", phones=("(312) 555-0404",))
    stale = edit(old, member, set_phone("312-555-0405"))
    Revision.objects.filter(pk=stale.pk).update(created_at=stale.created_at - dt.timedelta(days=3))
    edit(service, member, set_phone("312-555-0666"))
    client.force_login(moderator)
    html = client.get(f"/admin/history/{service.pk}/rollback/{member.pk}/").text
    assert "Weekly groceries" in html and "Old edit" not in html


def test_the_screen_states_the_penalty_the_ledger_applies(
    client, spree, member, moderator, settings
):
    """The "wrong" box says what the ledger will take, read from the one setting."""
    from review.conf import trust_setting

    points = {**trust_setting("POINTS"), "edit_reverted": -25}
    steward = dict(settings.STEWARD)
    steward["TRUST"] = {**steward.get("TRUST", {}), "POINTS": points}
    settings.STEWARD = steward
    service, _, _ = spree
    client.force_login(moderator)
    html = client.get(f"/admin/history/{service.pk}/rollback/{member.pk}/").text
    assert "The edits were wrong (−25 points)" in html
    assert "loses 25 reputation points per listing" in html
    assert "−10 points" not in html

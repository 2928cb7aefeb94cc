"""Issue 12's loop: a report that a value is wrong reaches the listing's
organization at once. The listing falls due from that moment (the freshness store
decides it), its members get one email now (not at the next weekly reminder), and
the member's own check takes it off the due list. All through the real pages:
the public report form, the follow-up link and the workspace."""

import datetime as dt

from django.core import mail
from django.test import override_settings
from django.utils import timezone

import pytest

from review.models import DueReminder, ListingFreshness
from review.trust import store
from review.trust.actions import verify_service
from tests.factories import OrganizationFactory, make_service
from tests.impact.conftest import make_referral
from tests.roles import professional

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (Linux; Android 10) test"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def listing():
    """A listing its organization fully verified ten days ago: not due."""
    organization = OrganizationFactory(title="Lakeview Pantry")
    service = make_service(organization=organization, title="Evening meals")
    member = professional(organization, username="pantry-member", email="staff@lakeview.org")
    verify_service(service=service, user=member, now=timezone.now() - dt.timedelta(days=10))
    return service, member


def report(client, service, reason="wrong_phone", ip="203.0.113.9", note=""):
    return client.post(
        f"/report/{service.pk}/",
        {"reason": reason, "note": note, "website": ""},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=UA,
    )


def on_due_list(client, member, service):
    """The member's due list has a row for the listing (its "Still accurate" link)."""
    client.force_login(member)
    html = client.get("/admin/review/due/").content.decode()
    client.logout()
    return f'href="/admin/review/verify/{service.pk}/"' in html


def test_a_public_report_emails_the_organization_now_and_makes_the_listing_due(
    client, listing, django_assert_max_num_queries
):
    service, member = listing
    assert not on_due_list(client, member, service)

    # The notice (one listing's recompute, its members, one row) stays a bounded
    # part of the report's request: 51 queries measured, the queue refresh included.
    with django_assert_max_num_queries(55):
        response = report(client, service, note="I called 312 555 0199 and nobody knew them")
    assert response.status_code == 302

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["staff@lakeview.org"]
    assert "Evening meals" in email.subject and "Lakeview Pantry" in email.body
    assert "The phone number is wrong" in email.body
    assert "/admin/review/due/" in email.body
    # Nothing about the reporter: not the note, not the address.
    assert "0199" not in email.body and "203.0.113.9" not in email.body
    reminder = DueReminder.objects.get(page_id=service.pk)
    assert reminder.period.startswith("report-") and reminder.recipients == 1
    row = ListingFreshness.objects.get(page_id=service.pk)
    assert row.due_at <= timezone.now()
    assert on_due_list(client, member, service)


def test_a_second_report_the_same_day_sends_no_second_email(client, listing):
    service, _ = listing
    report(client, service, ip="203.0.113.9")
    report(client, service, reason="wrong_hours", ip="198.51.100.4")
    assert len(mail.outbox) == 1
    assert DueReminder.objects.filter(page_id=service.pk).count() == 1


@override_settings(STEWARD={"REVIEW": {"REPORT_NOTIFY_EVERY_HOURS": 0}})
def test_the_notice_interval_is_read_from_the_settings(client, listing):
    service, _ = listing
    report(client, service, ip="203.0.113.9")
    report(client, service, reason="wrong_hours", ip="198.51.100.4")
    assert len(mail.outbox) == 2


def test_the_members_check_takes_it_off_the_due_list(client, listing):
    service, member = listing
    report(client, service)
    client.force_login(member)
    response = client.post(f"/admin/review/verify/{service.pk}/", {"scope": "all"})
    assert response.status_code == 302
    assert not on_due_list(client, member, service)
    row = ListingFreshness.objects.get(page_id=service.pk)
    assert row.due_at > timezone.now()


def test_a_check_of_other_details_leaves_it_due(client, listing):
    service, member = listing
    report(client, service)  # the phone
    client.force_login(member)
    client.post(f"/admin/review/verify/{service.pk}/", {"scope": "some", "fields": ["hours"]})
    assert on_due_list(client, member, service)


def test_something_else_names_no_value_and_tells_no_one(client, listing):
    service, member = listing
    assert report(client, service, reason="other").status_code == 302
    assert mail.outbox == []
    assert not DueReminder.objects.exists()
    assert not on_due_list(client, member, service)


def test_a_could_not_get_help_outcome_reaches_the_organization_too(client, listing):
    service, member = listing
    referrer = professional(OrganizationFactory(title="Pilsen Neighbors"), username="referrer")
    _, token = make_referral(referrer, service, follow_up_on=dt.date.today())
    response = client.post(f"/followup/{token}/", {"result": "could_not", "reason": "closed"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["staff@lakeview.org"]]
    assert "It has closed" in mail.outbox[0].body
    assert on_due_list(client, member, service)


def test_a_declined_report_stops_counting_at_the_next_recompute(client, listing):
    from review.models import Report
    from review.queue.actions import resolve_report
    from tests.roles import moderator

    service, _ = listing
    report(client, service)
    resolve_report(report=Report.objects.get(), reviewer=moderator(), upheld=False)
    store.recompute([service.pk])
    assert ListingFreshness.objects.get(page_id=service.pk).due_at > timezone.now()


def test_the_notice_is_in_each_members_own_language(client, listing):
    """A report made on the English site reaches a member who chose Spanish in
    Wagtail in Spanish, reason included, and an English member in English."""
    from wagtail.users.models import UserProfile

    service, member = listing
    spanish = professional(
        service.get_parent().specific, username="pantry-es", email="es@lakeview.org"
    )
    profile = UserProfile.get_for_user(spanish)
    profile.preferred_language = "es"
    profile.save()

    report(client, service, reason="wrong_hours")

    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"staff@lakeview.org", "es@lakeview.org"}
    assert "Evening meals" in by_address["es@lakeview.org"].subject
    assert "Alguien" in by_address["es@lakeview.org"].body
    assert "The hours are wrong" not in by_address["es@lakeview.org"].body
    assert "The hours are wrong" in by_address["staff@lakeview.org"].body

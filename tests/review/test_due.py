"""Due for verification: each organization sees its due listings and is reminded."""

import datetime as dt

from django.core import mail
from django.utils import timezone

import pytest

from review.models import DueReminder
from review.trust import store
from review.trust.actions import verify_service
from review.trust.due import due_listings, send_reminders
from tests.factories import OrganizationFactory, UserFactory, make_service, membership
from tests.roles import professional

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture
def org():
    return OrganizationFactory(title="Lakeview Pantry")


@pytest.fixture
def checker(db):
    return professional(OrganizationFactory(title="Checkers"))


def verified(service, checker, *, days_ago, fields=None, now=NOW):
    verify_service(service=service, user=checker, fields=fields, now=now - days_ago * DAY)
    return service


def test_due_from_330_days_or_a_weak_weight_3_field(org, checker):
    fresh = verified(make_service(organization=org, title="Fresh"), checker, days_ago=100)
    verified(make_service(organization=org, title="Nearly a year"), checker, days_ago=331)
    weak = make_service(organization=org, title="Old phone")
    verified(weak, checker, days_ago=366, fields=["phone"])
    verified(
        weak,
        checker,
        days_ago=10,
        fields=["name", "description", "status", "hours", "eligibility", "address"],
    )
    make_service(organization=org, title="Never checked")  # never verified: listed first
    elsewhere = verified(make_service(title="Not ours"), checker, days_ago=400)
    store.recompute(now=NOW)
    titles = [row.page.title for row in due_listings([org], now=NOW)]
    assert titles == ["Never checked", "Old phone", "Nearly a year"]
    assert fresh.title not in titles and elsewhere.title not in titles


def test_members_see_their_due_listings_in_the_admin(
    client, org, checker, django_assert_max_num_queries
):
    today = timezone.now()
    for n in range(3):
        verified(
            make_service(organization=org, title=f"Pantry {n}"), checker, days_ago=340, now=today
        )
    verified(make_service(title="Someone else's"), checker, days_ago=340, now=today)
    store.recompute()
    member = professional(org)
    client.force_login(member)
    with django_assert_max_num_queries(30):
        html = client.get("/admin/review/due/").content.decode()
    assert all(f"Pantry {n}" in html for n in range(3))
    assert "Someone else" not in html
    assert "last fully verified 11 months ago" in html
    dashboard = client.get("/admin/").content.decode()
    assert "Due for verification" in dashboard and "Pantry 0" in dashboard


def test_the_due_list_refuses_an_organization_that_is_not_yours(client, org):
    make_service(organization=org, title="Ours")
    foreign = OrganizationFactory()
    make_service(organization=foreign, title="Theirs")
    store.recompute()
    member = professional(org)
    membership(member, OrganizationFactory())
    client.force_login(member)
    response = client.get(f"/admin/review/due/?organization={foreign.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "not a member of that organization" in html
    assert "Theirs" not in html and "Ours" in html
    assert client.get("/admin/review/due/?organization=abc&p=zz").status_code == 200


def test_non_professionals_cannot_open_the_due_list(client):
    client.force_login(UserFactory())
    assert client.get("/admin/review/due/").status_code in (302, 403)
    assert client.get("/admin/review/reputation/").status_code in (302, 403)


def test_reminders_go_to_each_organizations_members_once_per_due_period(org, checker):
    a = professional(org, email="a@example.org")
    professional(org, email="b@example.org")
    service = verified(make_service(organization=org, title="Evening meals"), checker, days_ago=335)
    other = OrganizationFactory(title="Quiet org")
    professional(other, email="c@example.org")
    verified(make_service(organization=other), checker, days_ago=10)
    store.recompute(now=NOW)

    assert send_reminders(now=NOW) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert "Evening meals" in mail.outbox[0].body
    assert "Lakeview Pantry" in mail.outbox[0].subject
    assert send_reminders(now=NOW + 7 * DAY) == 0  # same due period: nothing new
    assert DueReminder.objects.count() == 1

    # Verified again, then due again a year later: a new period, a new reminder.
    verify_service(service=service, user=checker, now=NOW + 8 * DAY)
    later = NOW + 8 * DAY + 331 * DAY
    store.recompute(now=later)
    a.memberships.update(until=later - DAY)  # a left the organization
    mail.outbox.clear()
    send_reminders(now=later)
    # The quiet organization's listing has fallen due by then too.
    assert sorted(m.to[0] for m in mail.outbox) == ["b@example.org", "c@example.org"]


def test_the_weekly_job_sends_reminders(org, checker):
    from steward.periodic import run_due_jobs

    professional(org, email="a@example.org")
    make_service(organization=org, title="Never checked")
    outcomes = dict(run_due_jobs(now=NOW))
    assert outcomes["review.due_reminders"] == "ok"
    assert len(mail.outbox) == 1
    assert "never fully verified" in mail.outbox[0].body


def test_a_listing_still_due_is_reminded_again_every_fortnight_by_the_weekly_job(
    org, checker, settings
):
    """One email is easy to miss: while a listing stays due, the weekly job reminds
    again once DUE_REMIND_AGAIN_DAYS (14) have passed, never sooner; a verification
    stops the reminders."""
    from steward.periodic import run_due_jobs

    professional(org, email="a@example.org")
    service = verified(make_service(organization=org, title="Evening meals"), checker, days_ago=335)

    def weekly(day):
        mail.outbox.clear()
        assert dict(run_due_jobs(now=NOW + day * DAY))["review.due_reminders"] == "ok"
        return [m for m in mail.outbox if "Evening meals" in m.body]

    assert len(weekly(0)) == 1
    assert weekly(7) == []  # a week later: too soon
    assert len(weekly(14)) == 1  # a fortnight: reminded again
    assert weekly(21) == []
    assert len(weekly(28)) == 1
    assert DueReminder.objects.filter(page=service).count() == 3
    verify_service(service=service, user=checker, now=NOW + 29 * DAY)
    assert weekly(42) == []  # verified: no longer due, no more reminders

    settings.STEWARD = {**settings.STEWARD, "REVIEW": {"DUE_REMIND_AGAIN_DAYS": 7}}
    other = verified(make_service(organization=org, title="Evening meals 2"), checker, days_ago=0)
    store.recompute(now=NOW + 400 * DAY)
    assert len(weekly(400)) == 1 and len(weekly(407)) == 1  # the setting is read
    assert DueReminder.objects.filter(page=other).count() == 2

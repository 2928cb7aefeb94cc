"""The referral reminder is in the professional's language, with its dates
localized, from the periodic job that sends it."""

import datetime as dt

from django.utils import timezone

from wagtail.users.models import UserProfile

import pytest

from steward.periodic import all_jobs, run_due_jobs
from tests.impact.conftest import make_referral

pytestmark = pytest.mark.django_db


def run_reminders(now):
    job = next(j for j in all_jobs() if j.name == "impact.referral_reminders")
    assert dict(run_due_jobs(now=now, jobs=[job], force=True)) == {
        "impact.referral_reminders": "ok"
    }


def test_a_spanish_professional_gets_the_reminder_in_spanish(
    professional, other_professional, service, mailoutbox
):
    profile = UserProfile.get_for_user(professional)
    profile.preferred_language = "es"
    profile.save()
    now = dt.datetime(2026, 3, 5, 15, tzinfo=dt.UTC)
    today = timezone.localdate(now)
    make_referral(professional, service, follow_up_on=dt.date(2026, 3, 4))
    make_referral(professional, service, follow_up_on=today)
    make_referral(other_professional, service, follow_up_on=today)

    run_reminders(now)
    (spanish,) = [m for m in mailoutbox if m.to == ["pro@example.org"]]
    (english,) = [m for m in mailoutbox if m.to == ["pro2@example.org"]]
    assert spanish.subject == "2 derivaciones pendientes de seguimiento"
    assert "- Weekly groceries (seguimiento el 4 de marzo)" in spanish.body
    assert "- Weekly groceries (seguimiento el 5 de marzo)" in spanish.body
    assert "Mis derivaciones" in spanish.body
    assert english.subject == "1 referral due for follow-up"
    assert "- Weekly groceries (follow up on Mar 5)" in english.body

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Page

import pytest

from steward.models import PeriodicJobRun
from steward.periodic import Job, due_jobs, run_due_jobs
from tests.factories import ServiceFactory

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def test_a_job_is_due_when_it_never_ran_or_its_interval_has_passed():
    hourly = Job("hourly", dt.timedelta(hours=1), lambda now: None)
    daily = Job("daily", dt.timedelta(days=1), lambda now: None)
    last = {"hourly": NOW - dt.timedelta(minutes=59), "daily": NOW - dt.timedelta(days=1)}

    assert due_jobs([hourly, daily], last, now=NOW) == [daily]
    assert due_jobs([hourly], {}, now=NOW) == [hourly]


@pytest.mark.django_db
def test_running_twice_runs_each_job_once_and_a_failure_is_retried():
    calls = []

    def ok(now):
        calls.append(now)

    def broken(now):
        raise RuntimeError("mail server down")

    jobs = [Job("ok", dt.timedelta(hours=1), ok), Job("broken", dt.timedelta(hours=1), broken)]

    first = run_due_jobs(now=NOW, jobs=jobs)
    second = run_due_jobs(now=NOW + dt.timedelta(minutes=5), jobs=jobs)

    assert first == [("ok", "ok"), ("broken", "failed: mail server down")]
    assert second == [("broken", "failed: mail server down")]
    assert calls == [NOW]
    assert PeriodicJobRun.objects.get(name="broken").last_success_at is None


@pytest.mark.django_db
def test_run_periodic_publishes_a_page_whose_go_live_time_has_passed(capsys):
    service = ServiceFactory(live=False)
    service.go_live_at = timezone.now() - dt.timedelta(minutes=1)
    service.save_revision(approved_go_live_at=service.go_live_at)

    call_command("run_periodic")

    assert Page.objects.get(pk=service.pk).live
    assert "wagtail.publish_scheduled: ok" in capsys.readouterr().out


def test_apps_add_jobs_through_the_steward_periodic_jobs_hook():
    from wagtail import hooks

    from steward.periodic import all_jobs

    reminder = Job("review.reminders", dt.timedelta(days=1), lambda now: None)
    with hooks.register_temporarily("steward_periodic_jobs", lambda: [reminder]):
        names = [job.name for job in all_jobs()]

    # Core jobs first; apps' jobs (review's own among them) after, the new one last.
    assert names[:2] == ["wagtail.publish_scheduled", "database.analyze"]
    assert names[-1] == "review.reminders"

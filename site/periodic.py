"""Periodic jobs: plain idempotent functions, run by `manage.py run_periodic`.

Django tasks have no recurring jobs of their own, so one command runs whatever is
due: `make serve` calls it in a loop, production calls it from cron or a systemd
timer. Apps add jobs through the Wagtail hook `steward_periodic_jobs`, which
returns a list of `Job`; running the command twice in a row does nothing new.
"""

import datetime as dt
import logging

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from wagtail import hooks

from directory.periodic import Job

logger = logging.getLogger(__name__)

__all__ = ["Job", "all_jobs", "due_jobs", "run_due_jobs"]


def publish_scheduled(*, now):
    """Wagtail's scheduled publishing and unpublishing (go-live / expiry dates)."""
    call_command("publish_scheduled", verbosity=0)


def refresh_statistics(*, now):
    from directory.maintenance import refresh_planner_statistics

    refresh_planner_statistics()


CORE_JOBS = [
    Job("wagtail.publish_scheduled", dt.timedelta(minutes=1), publish_scheduled),
    Job("database.analyze", dt.timedelta(days=1), refresh_statistics),
]


def all_jobs():
    jobs = list(CORE_JOBS)
    for hook in hooks.get_hooks("steward_periodic_jobs"):
        jobs.extend(hook())
    return jobs


def due_jobs(jobs, last_runs, *, now):
    """The jobs whose interval has passed since their last run (pure; time passed in)."""
    return [
        job for job in jobs if job.name not in last_runs or now - last_runs[job.name] >= job.every
    ]


def run_due_jobs(*, now=None, force=False, jobs=None):
    """Run each due job once; returns [(name, "ok" | "failed: ...")].

    A job's run is recorded only when it succeeds, so a failed job is retried on
    the next call. One job's failure never stops the others.
    """
    from steward.models import PeriodicJobRun

    now = now or timezone.now()
    jobs = all_jobs() if jobs is None else jobs
    last_runs = dict(
        PeriodicJobRun.objects.filter(last_success_at__isnull=False).values_list(
            "name", "last_success_at"
        )
    )
    todo = jobs if force else due_jobs(jobs, last_runs, now=now)
    outcomes = []
    for job in todo:
        try:
            with transaction.atomic():
                job.run(now=now)
        except Exception as exc:  # noqa: BLE001 - reported and retried next time
            logger.exception("Periodic job %s failed", job.name)
            PeriodicJobRun.objects.update_or_create(
                name=job.name, defaults={"last_attempt_at": now, "last_error": str(exc)[:2000]}
            )
            outcomes.append((job.name, f"failed: {exc}"))
            continue
        PeriodicJobRun.objects.update_or_create(
            name=job.name,
            defaults={"last_attempt_at": now, "last_success_at": now, "last_error": ""},
        )
        outcomes.append((job.name, "ok"))
    return outcomes

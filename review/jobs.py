"""Review's periodic jobs (run by `manage.py run_periodic`; the contract is directory.periodic)."""

import datetime as dt

from directory.periodic import Job


def refresh_freshness(*, now):
    from review.trust.store import recompute

    recompute(now=now)


def send_due_reminders(*, now):
    from review.trust.due import send_reminders

    send_reminders(now=now)


def send_queue_digests(*, now):
    from review.queue.digest import send_digests

    send_digests(now=now)


def scan_queue(*, now):
    from review.queue.scan import scan

    scan(now=now)


JOBS = [
    Job("review.queue_digest", dt.timedelta(hours=1), send_queue_digests),
    Job("review.freshness", dt.timedelta(days=1), refresh_freshness),
    Job("review.due_reminders", dt.timedelta(days=7), send_due_reminders),
    Job("review.scan", dt.timedelta(minutes=15), scan_queue),
]

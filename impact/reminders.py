"""Impact's periodic jobs (run by `manage.py run_periodic`)."""

import datetime as dt

from directory.periodic import Job


def remind_referrals(*, now):
    from impact.referrals import send_follow_up_reminders

    send_follow_up_reminders(now=now)


def periodic_jobs():
    return [Job("impact.referral_reminders", dt.timedelta(hours=1), remind_referrals)]

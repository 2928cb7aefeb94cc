"""Impact's periodic jobs (run by `manage.py run_periodic`)."""

import datetime as dt

from directory.periodic import Job


def remind_referrals(*, now):
    from impact.referrals import send_follow_up_reminders

    send_follow_up_reminders(now=now)


def ask_sms_follow_ups(*, now):
    from impact.sms.followups import send_follow_up_questions

    send_follow_up_questions(now=now)


def periodic_jobs():
    return [
        Job("impact.referral_reminders", dt.timedelta(hours=1), remind_referrals),
        Job("impact.sms_follow_ups", dt.timedelta(minutes=15), ask_sms_follow_ups),
    ]

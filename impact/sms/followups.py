"""The follow-up question, sent by `run_periodic` when it falls due."""

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from directory.translations import localized
from impact.models import SmsContact, SmsFollowUp
from impact.sms import backends, privacy, quiet
from impact.sms.segments import fit

# An asked question with no answer after this long is closed (and counts nothing).
ANSWER_WINDOW = dt.timedelta(days=14)
BATCH = 500


def send_follow_up_questions(*, now):
    """Ask each due follow-up once, then erase its number. Idempotent: an asked
    follow-up is never in a later batch."""
    from django.conf import settings

    stopped = set(SmsContact.objects.filter(stopped=True).values_list("number_hash", flat=True))
    sent = 0
    due = SmsFollowUp.objects.select_related("service").filter(
        asked_at__isnull=True, closed_at__isnull=True, ask_at__lte=now
    )
    for follow_up in due[:BATCH]:
        zone = quiet.service_zone(follow_up.service)
        if quiet.is_quiet(now, zone):
            # Due at night (a late run): it waits for the morning.
            follow_up.ask_at = quiet.next_allowed(now, zone)
            follow_up.save(update_fields=["ask_at"])
            continue
        number = privacy.decrypt_number(follow_up.number_encrypted)
        if follow_up.number_hash in stopped or not number:
            follow_up.closed_at = now
        else:
            with translation.override(follow_up.language):
                body = _("Did you get help at %(name)s? Reply YES or NO (like NO CLOSED).") % {
                    "name": localized(follow_up.service, "title").text[:60]
                }
            backends.send(to=number, body=fit(body, settings.STEWARD_SMS["MAX_SEGMENTS"]))
            follow_up.asked_at = now
            sent += 1
        follow_up.number_encrypted = ""
        follow_up.save(update_fields=["asked_at", "closed_at", "number_encrypted"])
    SmsFollowUp.objects.filter(asked_at__lte=now - ANSWER_WINDOW, closed_at__isnull=True).update(
        closed_at=now
    )
    return sent

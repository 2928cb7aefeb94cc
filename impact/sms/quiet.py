"""Quiet hours: a text message Steward starts (the follow-up question) is never
sent at night in the service's local time; it waits for the morning. Replies
to an inbound message are not held: they go back at once in the TwiML answer.

The window is STEWARD_SMS["QUIET_HOURS"], ("21:00", "08:00") by default: from the
first time to the second, local. None sends at any hour.
"""

import datetime as dt

from django.conf import settings

from directory.querysets import zone_or_default


def window():
    """(start, end) as times, or None when there are no quiet hours."""
    hours = settings.STEWARD_SMS.get("QUIET_HOURS")
    if not hours:
        return None
    start, end = (dt.time.fromisoformat(value) for value in hours)
    return start, end


def service_zone(service):
    """The time zone of the service's first place, else the directory's."""
    link = (
        service.service_at_locations.select_related("location").order_by("sort_order", "pk").first()
    )
    return zone_or_default(link.location.timezone if link else None)


def is_quiet(moment, zone):
    hours = window()
    if hours is None:
        return False
    start, end = hours
    local = moment.astimezone(zone).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def next_allowed(moment, zone):
    """`moment`, or the end of the quiet hours it falls in (the morning)."""
    if not is_quiet(moment, zone):
        return moment
    end = window()[1]
    local = moment.astimezone(zone)
    day = local.date() if local.time() < end else local.date() + dt.timedelta(days=1)
    # From the wall clock, so a daylight-saving change overnight still gives 08:00.
    return dt.datetime.combine(day, end, tzinfo=zone).astimezone(dt.UTC)

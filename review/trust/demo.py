"""Demo verifications, so `make serve` shows the freshness badges' whole range.

Run by directory's `seed_demo` through the hook `steward_seed_demo`; idempotent
(it does nothing once any verification exists). Verifications go through
`review.trust.actions.verify_service`, as a professional's click does.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from directory.models import ServicePage

# Days ago, per service in page order: fresh, recent, a month, half a year, overdue.
AGES = (3, 12, 40, 200, 400)


def verify_demo_listings(now=None):
    from review.models import Verification
    from review.trust.actions import verify_service

    if Verification.objects.exists():
        return 0
    now = now or timezone.now()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["professional", "orgadmin"])
    }
    if len(users) < 2:
        return 0
    made = 0
    for index, service in enumerate(ServicePage.objects.live().order_by("path")):
        when = now - dt.timedelta(days=AGES[index % len(AGES)])
        verify_service(service=service, user=users["professional"], now=when)
        made += 1
        if index % 2 == 0:
            verify_service(service=service, user=users["orgadmin"], now=when)
            made += 1
    return made

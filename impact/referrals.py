"""Referrals: a professional sends a client to a service and follows up."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from directory.accounts import mail
from directory.links import public_url
from directory.members import acting_organization
from impact import notify, tokens
from impact.counts import increment
from impact.models import Referral


def create_referral(
    *, professional, service, client_reference="", note="", follow_up_on, request=None
):
    """Returns (referral, token); the follow-up token is shown once, never stored."""
    token = tokens.new_token()
    with transaction.atomic():
        referral = Referral.objects.create(
            professional=professional,
            organization=acting_organization(professional, request),
            service=service,
            client_reference=client_reference,
            note=note,
            follow_up_on=follow_up_on,
            token_hash=tokens.digest(token, tokens.FOLLOW_UP),
        )
        increment(service.pk, "referral")
    return referral, token


def new_follow_up_link(referral):
    """Replace the referral's follow-up link (the old one stops working)."""
    token = tokens.new_token()
    referral.token_hash = tokens.digest(token, tokens.FOLLOW_UP)
    referral.save(update_fields=["token_hash"])
    return token


def find_referral(token):
    if not tokens.looks_like_token(token):
        return None
    return (
        Referral.objects.select_related("service")
        .filter(token_hash=tokens.digest(token, tokens.FOLLOW_UP))
        .first()
    )


def referrals_for(user, *, today=None):
    """A professional's referrals: open and due first (oldest due first), then open
    and upcoming, then closed (latest first)."""
    today = today or timezone.localdate()
    return (
        Referral.objects.filter(professional=user)
        .select_related("service")
        .annotate(
            bucket=Case(
                When(Q(closed_at__isnull=True, follow_up_on__lte=today), then=Value(0)),
                When(closed_at__isnull=True, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("bucket", "follow_up_on", "-closed_at", "pk")
    )


def due_referrals(*, today):
    return Referral.objects.filter(closed_at__isnull=True, follow_up_on__lte=today)


def send_follow_up_reminders(*, now):
    """Email each professional once about their referrals that fell due.

    Idempotent: a referral is marked reminded when its reminder is sent, and a
    reminded referral is never in a later batch. No client reference or note
    goes into the email; it links to the workspace.
    """
    today = timezone.localdate(now)
    pending = (
        due_referrals(today=today)
        .filter(reminded_at__isnull=True)
        .select_related("professional", "service")
        .order_by("professional_id", "follow_up_on", "pk")
    )
    by_professional = defaultdict(list)
    for referral in pending[:2000]:
        by_professional[referral.professional].append(referral)
    link = public_url(reverse("impact_referrals:index"))
    sent = 0
    for professional, referrals in by_professional.items():
        if professional.email and professional.is_active:
            subject, body = mail.render(
                "impact/email/referrals_due",
                {
                    "count": len(referrals),
                    "referrals": [
                        {"title": r.service.title, "on": r.follow_up_on} for r in referrals
                    ],
                    "link": link,
                },
                mail.language_of(professional),
            )
            notify.send("email", to=professional.email, subject=subject, body=body)
            sent += 1
        for referral in referrals:
            referral.reminded_at = now
            referral.save(update_fields=["reminded_at"])
    return sent

"""The reviewers' digest: each reviewer and moderator (not only the superuser
Wagtail mails) hears of the suggestions and reports waiting that they may act
on. Idempotent: an item is in one person's digest once (QueueDigestEntry), so
running the job again sends nothing until something new waits. Each digest is in
its reader's language (directory.accounts.mail); an item's reason is stored text,
as the scan wrote it."""

from django.contrib.auth import get_user_model
from django.core.mail import mailers
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from directory.accounts import mail
from directory.links import public_url
from review.models import QueueDigestEntry, ReviewItem
from review.policy import MODERATORS_GROUP, can_act_on_item, is_reviewer

# What the digest announces: suggestions (edits waiting) and reported problems.
DIGEST_KINDS = (ReviewItem.Kind.PENDING_EDIT, ReviewItem.Kind.DISPUTED)


def candidates():
    """Active people with an email who could be reviewers: moderators, superusers,
    and professionals (is_reviewer decides on points)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(groups__name=MODERATORS_GROUP)
            | Q(groups__permissions__codename="access_admin")
        )
        .distinct()
        .order_by("pk")
    )


def send_digests(*, now=None):
    """Mail each reviewer the open items they have not been told of. Returns the
    number of emails sent."""
    now = now or timezone.now()
    items = list(
        ReviewItem.objects.open()
        .filter(kind__in=DIGEST_KINDS)
        .select_related("page")
        .order_by("-priority", "created_at", "pk")
    )
    if not items:
        return 0
    told = set(QueueDigestEntry.objects.filter(item__in=items).values_list("user_id", "item_id"))
    messages, records = [], []
    for user in candidates():
        if not is_reviewer(user):
            continue
        new = [
            item for item in items if (user.pk, item.pk) not in told and can_act_on_item(user, item)
        ]
        if not new:
            continue
        messages.append(
            mail.message(
                user,
                "review/email/digest",
                {
                    "count": len(new),
                    "items": [
                        {
                            "title": item.page.title,
                            "reason": item.reason,
                            "link": public_url(reverse("review_queue:item", args=[item.pk])),
                        }
                        for item in new[:50]
                    ],
                    "more": max(len(new) - 50, 0),
                    "queue": public_url(reverse("review_queue:index")),
                },
            )
        )
        records.extend(QueueDigestEntry(user=user, item=item, sent_at=now) for item in new)
    if not messages:
        return 0
    with transaction.atomic():
        QueueDigestEntry.objects.bulk_create(records, ignore_conflicts=True)
        mailers.default.send_messages(messages)
    return len(messages)

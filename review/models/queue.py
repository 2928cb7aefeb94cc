from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords


class ReviewItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReviewItem.Status.OPEN)

    def by_priority(self):
        return self.order_by("-priority", "created_at", "pk")


class ReviewItem(models.Model):
    """Something about a listing that a reviewer should look at (DESIGN.md §4).

    Made and closed by `review.queue.scan.scan`, idempotently: at most one open item
    per listing and kind, enforced by the database. `priority` is stored so the
    queue can be ordered and paginated in the database; the scan refreshes it.
    """

    class Kind(models.TextChoices):
        PENDING_EDIT = "pending_edit", _("Pending edit")
        STALE = "stale", _("Stale")
        DISPUTED = "disputed", _("Disputed")
        CONFLICT = "conflict", _("Conflict")
        POSSIBLE_CONFIDENTIAL = "possible_confidential", _("Possible confidential address")
        TRANSLATION_OUTDATED = "translation_outdated", _("Translation out of date")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    kind = models.CharField(max_length=32, choices=Kind.choices)
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(help_text="Why the item is in the queue, in words.")
    data = models.JSONField(default=dict, blank=True, help_text="The trigger's details.")
    report_ids = models.JSONField(default=list, blank=True)
    revision_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    priority = models.FloatField(default=0.0)

    history = HistoricalRecords()

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "kind"],
                condition=models.Q(status="open"),
                name="review_item_one_open_per_page_and_kind",
            )
        ]
        indexes = [models.Index(fields=["status", "-priority"], name="review_item_queue_order")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.reason}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class QueueDigestEntry(models.Model):
    """A queue item a reviewer or moderator was told of in the digest email
    (review.queue.digest): an item is in one person's digest once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], name="review_digest_once_per_item")
        ]

    def __str__(self):
        return f"Digest of item {self.item_id} to user {self.user_id}"

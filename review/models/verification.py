from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords


class Verification(models.Model):
    """Someone confirmed that fields of a listing are still accurate, at a time.

    Not an edit: it needs no approval and changes nothing on the page. An approved
    edit also counts as one, for the fields it changed (kind "edit"). `fields` are
    the keys of review.conf HALF_LIVES (phone, hours, eligibility, ...).
    """

    class Kind(models.TextChoices):
        VERIFICATION = "verification", _("verified still accurate")
        EDIT = "edit", _("approved edit")

    page = models.ForeignKey(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="verifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verifications",
    )
    organization = models.ForeignKey(
        "directory.OrganizationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verifications_made",
        help_text="The organization the user acted for.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.VERIFICATION)
    fields = models.JSONField(default=list)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For an approved edit: who accepted it.",
    )
    verified_at = models.DateTimeField(default=timezone.now, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-verified_at", "-pk"]
        indexes = [models.Index(fields=["page", "verified_at"], name="verification_page_time")]

    def __str__(self):
        return f"{self.page_id}: {', '.join(self.fields)} @ {self.verified_at:%Y-%m-%d}"


class FieldFreshness(models.Model):
    """F_f and confidence of one field of one listing, as of `computed_at`.

    Derived state, recomputed from verifications (never edited by hand): that is
    why it keeps no history of its own; the verifications it comes from do.
    """

    page = models.ForeignKey(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="field_freshness"
    )
    field = models.CharField(max_length=16)
    last_verified_at = models.DateTimeField(null=True, blank=True)
    freshness = models.FloatField(default=0.0)
    confidence = models.FloatField(default=0.0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "field"], name="field_freshness_unique")
        ]

    def __str__(self):
        return f"{self.page_id}.{self.field}: {self.freshness:.2f}"


class ListingFreshness(models.Model):
    """A listing's freshness F and what the badge and the due list read.

    Derived state like FieldFreshness. `organization` is the listing's
    organization (its parent page), kept here so "due for my organization" is one
    query. `due_at` is when the listing falls due and `stale_at` when it turns
    stale (both null: never fully verified, due and stale now), so both read true
    at any moment between two recomputations.
    """

    page = models.OneToOneField(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="listing_freshness"
    )
    organization = models.ForeignKey(
        "directory.OrganizationPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.FloatField(default=0.0)
    last_verified_at = models.DateTimeField(null=True, blank=True)
    last_full_verification_at = models.DateTimeField(null=True, blank=True)
    # The trust fields of the latest verification when it did not cover the whole
    # listing (empty when it did): the badge says what was checked then.
    partly_checked_fields = models.JSONField(default=list, blank=True)
    verifying_organizations_count = models.PositiveIntegerField(default=0)
    imported_from = models.CharField(max_length=255, blank=True)
    source_verified_on = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    stale_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "listing freshness"

    def __str__(self):
        return f"{self.page_id}: F={self.score:.2f}"

    def is_due(self, now):
        return self.due_at is None or self.due_at <= now

    def is_stale(self, now):
        return self.stale_at is None or self.stale_at <= now


class DueReminder(models.Model):
    """A reminder sent to an organization about one listing falling due.

    One row per reminder: the first of a due period, then one every
    DUE_REMIND_AGAIN_DAYS while the listing stays due. `period` is the due date the
    reminder was about ("never" for a listing never verified), with "#2", "#3", ...
    for the reminders after the first.
    """

    organization = models.ForeignKey(
        "directory.OrganizationPage", on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey("directory.ServicePage", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=40)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "page", "period"], name="due_reminder_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.organization_id}/{self.page_id} due {self.period}"

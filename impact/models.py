"""Member success (DESIGN.md §5): saved plans, outcome reports, referrals, daily counts.

No client personal data lives here. Plans and follow-up links are reached by a
random token of which only a SHA-256 digest is stored (`impact.tokens`); outcome
reports carry no name, contact, IP address or user agent; referrals carry an
opaque client reference that the form refuses when it looks like an email, a
phone number or a name.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords


class Plan(models.Model):
    """A person's list of services, reached through a private link (no account).

    Not history-tracked on purpose: removing a service from one's plan must
    really remove it, not keep a copy of what the person once looked at.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Plan {self.pk}"


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="plan_items"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "service"], name="impact_plan_item_unique")
        ]


class Referral(models.Model):
    """A professional referred a client to a service and will follow up.

    Seen only by the referring professional and moderators (impact.permissions).
    The client reports through the follow-up link (`token_hash`), without an account.
    """

    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals"
    )
    organization = models.ForeignKey(
        "directory.OrganizationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organization the professional acted for.",
    )
    service = models.ForeignKey(
        "directory.ServicePage", on_delete=models.PROTECT, related_name="referrals"
    )
    client_reference = models.CharField(
        max_length=40,
        blank=True,
        help_text="Your own case number or initials code. Never a name, email or phone.",
    )
    note = models.TextField(blank=True, max_length=1000)
    follow_up_on = models.DateField()
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["follow_up_on", "pk"]
        indexes = [models.Index(fields=["professional", "closed_at", "follow_up_on"])]

    def __str__(self):
        return f"Referral {self.pk} to {self.service_id}"

    @property
    def is_open(self):
        return self.closed_at is None


class Result(models.TextChoices):
    GOT_HELP = "got_help", _("Yes, I got help")
    COULD_NOT = "could_not", _("No, I couldn’t get help")
    DID_NOT_TRY = "did_not_try", _("I didn’t try")


class Reason(models.TextChoices):
    CLOSED = "closed", _("It was closed")
    NO_ANSWER = "no_answer", _("Nobody answered")
    NOT_ELIGIBLE = "not_eligible", _("I wasn’t eligible")
    WAITLIST = "waitlist", _("There was a waitlist")
    COST = "cost", _("It cost too much")
    TOO_FAR = "too_far", _("It was too far")
    OTHER = "other", _("Something else")


# Reasons that say the listing itself may be wrong: they become reports in the
# review queue (DESIGN.md §5). The others are counted but are not the listing's fault.
FORWARDED_REASONS = (Reason.CLOSED, Reason.NO_ANSWER, Reason.NOT_ELIGIBLE)


class SmsContact(models.Model):
    """One phone number that texted Steward, known only by its keyed hash
    (impact.sms.privacy): its language and whether it said STOP. No number, no text."""

    number_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(max_length=8, default="en")
    stopped = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"SMS contact {self.pk}"


class SmsFollowUp(models.Model):
    """The person asked to be asked, by text, whether they got help at `service`.

    The number is kept encrypted only until the question is sent (or the person
    says STOP), then erased; the answer is matched by the number's hash.
    """

    number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    number_encrypted = models.TextField(blank=True, editable=False)
    service = models.ForeignKey(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="sms_follow_ups"
    )
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField()
    ask_at = models.DateTimeField(db_index=True)
    asked_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["ask_at", "pk"]

    def __str__(self):
        return f"SMS follow-up {self.pk} at {self.service_id}"


class Source(models.TextChoices):
    PLAN = "plan", _("Saved plan")
    REFERRAL = "referral", _("Referral follow-up link")
    PROFESSIONAL = "professional", _("Recorded by the professional")
    SMS = "sms", _("Text message follow-up")


class Outcome(models.Model):
    """Did the person get help at this service? One per plan entry or per referral.

    A later answer for the same plan entry or referral changes this row through
    `.save()`; its history keeps the earlier answer. No personal data: no name,
    contact, IP address or user agent. `comment` is free text from the person and
    is shown only to analysts and moderators, never publicly or in the CSV.
    """

    COMMENT_MAX = 500

    service = models.ForeignKey(
        "directory.ServicePage", on_delete=models.PROTECT, related_name="outcomes"
    )
    result = models.CharField(max_length=16, choices=Result.choices)
    reason = models.CharField(max_length=16, choices=Reason.choices, blank=True)
    comment = models.CharField(max_length=COMMENT_MAX, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    sms_follow_up = models.ForeignKey(
        SmsFollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    forwarded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["service", "result", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "service"],
                condition=Q(plan__isnull=False),
                name="impact_outcome_one_per_plan_entry",
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(referral__isnull=False),
                name="impact_outcome_one_per_referral",
            ),
            models.UniqueConstraint(
                fields=["sms_follow_up"],
                condition=Q(sms_follow_up__isnull=False),
                name="impact_outcome_one_per_sms_follow_up",
            ),
            models.CheckConstraint(
                condition=Q(result="could_not") | Q(reason=""),
                name="impact_outcome_reason_only_when_not_helped",
            ),
        ]

    def __str__(self):
        return f"{self.get_result_display()} at {self.service_id}"

    @property
    def is_forwardable(self):
        return self.result == Result.COULD_NOT and self.reason in FORWARDED_REASONS


class CountKind(models.TextChoices):
    VIEW = "view", _("Viewed")
    CALL = "call", _("Call")
    DIRECTIONS = "directions", _("Directions")
    WEBSITE = "website", _("Website")
    SHARE = "share", _("Share")
    SAVE = "save", _("Saved to a plan")
    REFERRAL = "referral", _("Referred")


CONTACT_KINDS = tuple(kind for kind in CountKind.values if kind != CountKind.VIEW)
BEACON_KINDS = ("call", "directions", "website", "share")


class DailyCount(models.Model):
    """How often a listing was viewed or contacted on one day: an aggregate counter.

    Not history-tracked and incremented with `F("count") + n` (impact.counts):
    a counter has no content to version, and one row per event is exactly what we
    decided not to keep.
    """

    page = models.ForeignKey(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="daily_counts"
    )
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=CountKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "date", "kind"], name="impact_daily_count_key")
        ]
        indexes = [models.Index(fields=["date", "kind"])]

    def __str__(self):
        return f"{self.page_id} {self.date} {self.kind}: {self.count}"

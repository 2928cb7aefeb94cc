from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords


class Report(models.Model):
    """Someone says a listing is wrong: "the phone is wrong", "it has closed".

    Anyone may report, signed in or not. Nothing here identifies an anonymous
    reporter: `client_key` is a keyed hash of the client that changes every day
    (directory.throttle.client_fingerprint), kept only to rate-limit and to tell two
    reporters apart; the IP address is never stored.
    """

    class Reason(models.TextChoices):
        WRONG_PHONE = "wrong_phone", _("The phone number is wrong")
        WRONG_HOURS = "wrong_hours", _("The hours are wrong")
        WRONG_ADDRESS = "wrong_address", _("The address is wrong")
        CLOSED = "closed", _("It has closed")
        ELIGIBILITY_WRONG = "eligibility_wrong", _("Who can get it is wrong")
        OTHER = "other", _("Something else")
        # Outcome reports (impact): a person could not get help because…
        NO_ANSWER = "no_answer", _("Nobody answered")
        NOT_ELIGIBLE = "not_eligible", _("Turned away as not eligible")

    # What the public form offers; the outcome reasons arrive from impact.
    FORM_REASONS = (
        Reason.WRONG_PHONE,
        Reason.WRONG_HOURS,
        Reason.WRONG_ADDRESS,
        Reason.CLOSED,
        Reason.ELIGIBILITY_WRONG,
        Reason.OTHER,
    )
    OUTCOME_REASONS = (Reason.CLOSED, Reason.NO_ANSWER, Reason.NOT_ELIGIBLE)

    class Source(models.TextChoices):
        PUBLIC = "public", _("The public")
        MEMBER = "member", _("A member of an organization")
        OUTCOME = "outcome", _("An outcome report")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DECLINED = "declined", _("Declined")

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=32, choices=Reason.choices)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.PUBLIC)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problem_reports",
    )
    organization = models.ForeignKey(
        "directory.OrganizationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organization the reporter acted for.",
    )
    client_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["page", "status"], name="review_report_page_status")]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.get_status_display().lower()})"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def reporter_identity(self):
        """Who reported, as far as telling two reporters apart goes."""
        if self.user_id:
            return ("user", self.user_id)
        if self.client_key:
            return ("client", self.client_key)
        return ("report", self.pk)

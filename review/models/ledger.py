from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review.conf import TRUST_DEFAULTS


class ImmutableError(Exception):
    """A ledger row was about to be changed or removed."""


class LedgerEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("Ledger events are never updated.")

    def delete(self):
        raise ImmutableError("Ledger events are never deleted.")


# The ledger's event kinds in words (the keys of TRUST_DEFAULTS["POINTS"]).
KIND_LABELS = {
    "edit_accepted": _("edit accepted"),
    "edit_reverified": _("edit reverified"),
    "report_upheld": _("report upheld"),
    "report_declined": _("report declined"),
    "verification_shown_wrong": _("verification shown wrong"),
    "edit_reverted": _("edit reverted"),
    "spam": _("spam"),
    "value_confirmed": _("value confirmed"),
    "value_contradicted": _("value contradicted"),
}
KIND_CHOICES = [
    (kind, KIND_LABELS.get(kind, kind.replace("_", " "))) for kind in TRUST_DEFAULTS["POINTS"]
]


class LedgerEvent(models.Model):
    """One entry of a user's reputation ledger (DESIGN.md §4).

    Reputation is never a counter: totals are replayed from these rows
    (review.trust.standing). A row is written once and never changed or removed; a
    mistake is corrected by a new event. `points` keeps the value at the time,
    so tuning the table later never rewrites anyone's past. `judgment` marks the
    events that count toward reliability: "good" (someone else accepted the
    user's edit, another organization confirmed the user's value) or "bad"
    (reverted or contradicted as wrong).
    """

    class Judgment(models.TextChoices):
        NONE = "", _("not judged")
        GOOD = "good", _("good")
        BAD = "bad", _("bad")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ledger_events"
    )
    kind = models.CharField(max_length=32, choices=KIND_CHOICES)
    points = models.IntegerField()
    judgment = models.CharField(max_length=4, choices=Judgment.choices, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        "directory.OrganizationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    related_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related_id = models.CharField(max_length=64, blank=True)
    note = models.TextField(blank=True, help_text="Internal; never shown publicly.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = LedgerEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["user", "created_at"], name="ledger_user_time")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.points:+d} @ {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("Ledger events are never updated; record a new event.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Ledger events are never deleted.")

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords


class LockReason(models.TextChoices):
    CRISIS_LINE = "crisis_line", _("Crisis line")
    SHELTER = "shelter", _("Shelter")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence service")
    VANDALISM = "vandalism", _("Repeated vandalism")
    OTHER = "other", _("Other")


class ListingLock(models.Model):
    """A listing only moderators may edit (DESIGN.md §2, §4).

    Its own row, never a page field: a revert must not lift or restore a lock.
    Unlocking deletes the row; simple_history keeps who locked and unlocked when.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="steward_lock"
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=32, choices=LockReason.choices)
    note = models.TextField(blank=True, help_text="Internal: seen by moderators only.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "listing lock"

    def __str__(self):
        return f"{self.page_id} locked ({self.get_reason_display()})"

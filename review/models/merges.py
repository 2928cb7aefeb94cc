from django.conf import settings
from django.db import models

from simple_history.models import HistoricalRecords


class MergeRecord(models.Model):
    """One duplicate listing merged into its survivor.

    The duplicate page is never deleted (it is retired and redirects), so both
    ids stay valid and both histories stay readable.
    """

    survivor = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.PROTECT, related_name="steward_merged_into"
    )
    duplicate = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.PROTECT, related_name="steward_merge"
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "merge of duplicate listings"

    def __str__(self):
        return f"{self.duplicate_id} merged into {self.survivor_id}"

from django.db import models

from simple_history.models import HistoricalRecords


class SourceRecord(models.Model):
    """Where an object came from: the source's own id beside our stable UUID.

    Re-imports find their objects here (by source and source id) and compare the
    digest of the row to skip unchanged data, so importing the same file twice
    writes no new revisions. The source's own last-verified date (HSDS
    `assured_date`) is kept for the trust engine; it is machine state, not page
    content, so it lives here rather than on the page.
    """

    source = models.CharField(max_length=255, help_text="A name for the data source.")
    kind = models.CharField(max_length=32)
    source_id = models.CharField(max_length=255)
    object_uuid = models.UUIDField(db_index=True)
    digest = models.CharField(max_length=64, blank=True)
    assured_date = models.DateField(null=True, blank=True)
    source_file = models.CharField(max_length=1024, blank=True)
    last_modified = models.DateField(
        null=True, blank=True, help_text="When the source last changed this record, as it says."
    )
    raw = models.JSONField(
        default=dict,
        blank=True,
        help_text="The source's row as it came, before cleaning (machine state, never shown).",
    )
    first_imported_at = models.DateTimeField(auto_now_add=True)
    last_imported_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="source_record_unique"
            )
        ]

    def __str__(self):
        return f"{self.source}:{self.kind}:{self.source_id}"


class SourceRowsDigest(models.Model):
    """The content hash of one unit of a source's rows (an organization, its
    services and places, and every row that points at them), as last imported.

    A re-import leaves a unit whose hash is the same out before planning
    (directory/hsds/unchanged.py). Machine state: `contents` names the unit's
    members (the source ids that make it one unit), its objects' source ids by kind
    and how many of each it made.
    """

    source = models.CharField(max_length=255)
    key = models.CharField(max_length=255, help_text="The unit's first member.")
    digest = models.CharField(max_length=64)
    contents = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="source_rows_digest_unique")
        ]

    def __str__(self):
        return f"{self.source}:{self.key}"

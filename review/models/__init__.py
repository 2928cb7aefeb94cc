"""Review's own tables: never fields of a page, so revisions stay content-only."""

from .ledger import LedgerEvent
from .locks import ListingLock
from .merges import MergeRecord
from .queue import QueueDigestEntry, ReviewItem
from .reports import Report
from .verification import DueReminder, FieldFreshness, ListingFreshness, Verification
from .workflow import PendingChangesTask, ReviewDecision

__all__ = [
    "DueReminder",
    "FieldFreshness",
    "LedgerEvent",
    "ListingFreshness",
    "PendingChangesTask",
    "QueueDigestEntry",
    "Report",
    "ReviewDecision",
    "ReviewItem",
    "ListingLock",
    "MergeRecord",
    "Verification",
]

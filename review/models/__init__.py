"""Review's own tables: never fields of a page, so revisions stay content-only."""

from .ledger import LedgerEvent
from .locks import ListingLock
from .merges import MergeRecord
from .verification import DueReminder, FieldFreshness, ListingFreshness, Verification

__all__ = [
    "DueReminder",
    "FieldFreshness",
    "LedgerEvent",
    "ListingFreshness",
    "ListingLock",
    "MergeRecord",
    "Verification",
]

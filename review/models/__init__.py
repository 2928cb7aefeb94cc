"""Review's own tables. They point at listings; they are never page fields."""

from .locks import ListingLock
from .merges import MergeRecord

__all__ = ["ListingLock", "MergeRecord"]

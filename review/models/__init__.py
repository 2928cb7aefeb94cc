from .queue import ReviewItem
from .reports import Report

__all__ = ["Report", "ReviewItem"]

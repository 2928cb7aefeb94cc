"""The data-quality panel: how true the directory is kept (DESIGN.md §4).

Reads review's own models (verifications from the trust engine, the review
queue's items); "verified within" is review's yearly cycle (review.conf
STALE_AFTER_DAYS), the same window that makes a listing stale.
"""

import statistics
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from directory.models import ServicePage
from directory.models.pages import ServiceStatus
from review.conf import review_days, review_setting

MEDIAN_SAMPLE = 5000


@dataclass
class Quality:
    active: int = 0
    verified_days: int = 0
    verified_recently: int = 0
    median_review_hours: float | None = None
    reviewed_count: int = 0
    open_by_kind: dict | None = None

    @property
    def verified_share(self):
        if not self.active:
            return None
        return self.verified_recently / self.active


def data_quality(*, now=None):
    """The data-quality panel's figures, read from review's own models."""
    Verification = apps.get_model("review", "Verification")
    ReviewItem = apps.get_model("review", "ReviewItem")
    now = now or timezone.now()
    quality = Quality(verified_days=review_setting("STALE_AFTER_DAYS"))
    active = ServicePage.objects.live().filter(status=ServiceStatus.ACTIVE)
    quality.active = active.count()
    recent = Verification.objects.filter(
        page_id=OuterRef("pk"), verified_at__gte=now - review_days("STALE_AFTER_DAYS")
    )
    quality.verified_recently = active.filter(Exists(recent)).count()
    # The latest resolved items (bounded), their time from opening to decision.
    pairs = (
        ReviewItem.objects.filter(resolved_at__isnull=False)
        .order_by("-resolved_at")
        .values_list("created_at", "resolved_at")[:MEDIAN_SAMPLE]
    )
    hours = [(done - opened).total_seconds() / 3600 for opened, done in pairs]
    quality.reviewed_count = len(hours)
    quality.median_review_hours = statistics.median(hours) if hours else None
    quality.open_by_kind = dict(
        ReviewItem.objects.open().values_list("kind").annotate(n=Count("pk")).order_by("kind")
    )
    return quality

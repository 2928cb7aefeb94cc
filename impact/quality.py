"""The data-quality panel: how true the directory is kept (DESIGN.md §4).

Reads review's tables when they exist (verifications from the trust engine, the
review queue's items); each figure says when its source is not installed yet.
"""

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from directory.models import ServicePage
from directory.models.pages import ServiceStatus

MEDIAN_SAMPLE = 5000


@dataclass
class Quality:
    active: int = 0
    verified_365: int | None = None
    median_review_hours: float | None = None
    reviewed_count: int = 0
    open_by_kind: dict | None = None
    queue_installed: bool = False
    missing: list = field(default_factory=list)

    @property
    def verified_share(self):
        if self.verified_365 is None or not self.active:
            return None
        return self.verified_365 / self.active


def _model(app_label, name):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def data_quality(*, now=None):
    now = now or timezone.now()
    quality = Quality()
    active = ServicePage.objects.live().filter(status=ServiceStatus.ACTIVE)
    quality.active = active.count()

    Verification = _model("review", "Verification")
    if Verification is None:
        quality.missing.append("verifications (the trust engine)")
    else:
        recent = Verification.objects.filter(
            page_id=OuterRef("pk"), verified_at__gte=now - dt.timedelta(days=365)
        )
        quality.verified_365 = active.filter(Exists(recent)).count()

    ReviewItem = _model("review", "ReviewItem")
    if ReviewItem is None:
        quality.missing.append("the review queue")
        return quality
    quality.queue_installed = True
    names = {f.name for f in ReviewItem._meta.get_fields()}
    created = next((n for n in ("created_at", "opened_at") if n in names), None)
    resolved = next((n for n in ("resolved_at", "closed_at", "decided_at") if n in names), None)
    if created and resolved:
        # The latest resolved items (bounded), their time from opening to decision.
        pairs = (
            ReviewItem.objects.filter(**{f"{resolved}__isnull": False})
            .order_by(f"-{resolved}")
            .values_list(created, resolved)[:MEDIAN_SAMPLE]
        )
        hours = [(done - opened).total_seconds() / 3600 for opened, done in pairs]
        quality.reviewed_count = len(hours)
        quality.median_review_hours = statistics.median(hours) if hours else None
        if "status" in names:
            open_items = ReviewItem.objects.filter(status="open")
        else:
            open_items = ReviewItem.objects.filter(**{f"{resolved}__isnull": True})
    else:
        quality.missing.append("review times (the queue's items have no decision time)")
        open_items = ReviewItem.objects.all()
    if "kind" in names:
        quality.open_by_kind = dict(
            open_items.values_list("kind").annotate(n=Count("pk")).order_by("kind")
        )
    return quality

"""Review's verbs change what public pages show: invalidate those pages.

Receivers on review's own models, connected in review/apps.py ready(), calling
directory's one invalidation API (directory/pagecache.py). A verification
(the badge: "Verified today by 3 organizations"), an upheld report, a lock or
unlock, a merge (both listings). The daily freshness recompute writes in bulk
(no signals): pages expire by midnight anyway (the badge counts days).
"""

from directory.pagecache import invalidate_listing


def _listing_of(instance):
    page_id = getattr(instance, "page_id", None)
    if page_id:
        invalidate_listing(page_id)


def verification_saved(sender, instance, **kwargs):
    _listing_of(instance)


def report_saved(sender, instance, **kwargs):
    if instance.status == instance.Status.UPHELD:
        _listing_of(instance)


def lock_changed(sender, instance, **kwargs):
    _listing_of(instance)


def merge_saved(sender, instance, **kwargs):
    for page_id in (instance.survivor_id, instance.duplicate_id):
        if page_id:
            invalidate_listing(page_id)


def connect():
    from django.db.models.signals import post_delete, post_save

    from review.models import ListingLock, MergeRecord, Report, Verification

    receivers = [
        (post_save, Verification, verification_saved),
        (post_delete, Verification, verification_saved),
        (post_save, Report, report_saved),
        (post_save, ListingLock, lock_changed),
        (post_delete, ListingLock, lock_changed),
        (post_save, MergeRecord, merge_saved),
    ]
    for signal, model, receiver in receivers:
        signal.connect(
            receiver, sender=model, dispatch_uid=f"steward-pagecache-{model.__name__}-{signal}"
        )

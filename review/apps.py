from django.apps import AppConfig


def _refresh_queue_after_decision(sender, instance, **kwargs):
    """An approval or rejection made anywhere (the queue, Wagtail's own workflow
    screens) takes the listing's items out of the queue at once."""
    from review.queue.scan import refresh_listings

    try:
        page_id = int(instance.object_id)
    except (TypeError, ValueError):
        return
    refresh_listings([page_id])


class ReviewConfig(AppConfig):
    name = "review"

    def ready(self):
        from wagtail.signals import workflow_approved, workflow_cancelled, workflow_rejected

        for signal in (workflow_approved, workflow_rejected, workflow_cancelled):
            signal.connect(_refresh_queue_after_decision, dispatch_uid=f"steward-queue-{signal}")

        # Public pages in the page cache follow review's verbs (verify, upheld
        # report, lock, merge): review/cache_hooks.py.
        from review import cache_hooks

        cache_hooks.connect()

"""Moderation's workspace URLs: pending changes, locks and merges (registered by
review/wagtail_hooks.py)."""

from django.urls import include, path

from review.moderation import guard_views
from review.moderation import views as pending_views

guard_urls = (
    [
        path("locks/", guard_views.locks_index, name="locks"),
        path("pages/<int:page_id>/lock/", guard_views.lock_view, name="lock"),
        path("pages/<int:page_id>/unlock/", guard_views.unlock_view, name="unlock"),
        path("pages/<int:page_id>/merge/", guard_views.merge_view, name="merge"),
    ],
    "steward_guards",
)

admin_urlpatterns = [
    path("review/pending/", pending_views.pending_list, name="steward_review_pending_list"),
    path("review/pending/<int:page_id>/", pending_views.review_page, name="steward_review_page"),
    path("steward/", include(guard_urls)),
]

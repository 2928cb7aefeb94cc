"""The queue's URLs: the review queue in the workspace (namespace review_queue,
registered by review/wagtail_hooks.py) and the public "Report a problem" pages
(in review.urls)."""

from django.urls import include, path

import directory.ids  # noqa: F401 - registers the `id` converter
from review.queue import report_views
from review.queue import views as queue_views

urlpatterns = [
    path("", queue_views.index, name="index"),
    path("<int:pk>/", queue_views.item_detail, name="item"),
    path("<int:pk>/act/", queue_views.item_action, name="act"),
]

admin_urlpatterns = [
    path("review-queue/", include((urlpatterns, "review_queue"), namespace="review_queue")),
]

public_urlpatterns = [
    path("report/<id:page_id>/", report_views.report_problem, name="report_problem"),
    path("report/<id:page_id>/thanks/", report_views.report_thanks, name="report_thanks"),
]

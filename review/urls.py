"""Public and signed-in URLs of `review` (admin views register through wagtail_hooks)."""

from django.urls import path

import directory.ids  # noqa: F401 - registers the `id` converter
from review.queue import report_views
from review.trust import views

app_name = "review"

urlpatterns = [
    path("review/verify/<id:page_id>/", views.verify_listing, name="verify"),
    path("report/<id:page_id>/", report_views.report_problem, name="report_problem"),
    path("report/<id:page_id>/thanks/", report_views.report_thanks, name="report_thanks"),
]

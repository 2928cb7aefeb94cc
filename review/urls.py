"""Public and signed-in URLs of `review` (admin views register through wagtail_hooks)."""

from django.urls import path

from review import report_views, views

app_name = "review"

urlpatterns = [
    path("review/verify/<int:page_id>/", views.verify_listing, name="verify"),
    path("report/<int:page_id>/", report_views.report_problem, name="report_problem"),
    path("report/<int:page_id>/thanks/", report_views.report_thanks, name="report_thanks"),
]

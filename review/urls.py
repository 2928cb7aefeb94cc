"""Public and signed-in URLs of `review` (admin views register through wagtail_hooks)."""

from django.urls import path

from review import views

app_name = "review"

urlpatterns = [
    path("report/<int:page_id>/", views.report_problem, name="report_problem"),
    path("report/<int:page_id>/thanks/", views.report_thanks, name="report_thanks"),
]

"""Admin URLs of `history`, mounted under /admin/history/ by wagtail_hooks."""

from django.urls import path

from . import reports, views

app_name = "history_admin"

urlpatterns = [
    path("audit/", reports.AuditLogView.as_view(), name="audit"),
    path(
        "audit/results/",
        reports.AuditLogView.as_view(results_only=True),
        name="audit_results",
    ),
    path("<int:page_id>/", views.admin_timeline, name="timeline"),
    path("<int:page_id>/revert/<int:revision_id>/", views.revert_view, name="revert"),
    path("<int:page_id>/rollback/<int:user_id>/", views.rollback_view, name="rollback"),
]

"""Public URLs of `history` (admin views register through wagtail_hooks)."""

from django.urls import path

import directory.ids  # noqa: F401 - registers the `id` converter

from . import views

app_name = "history"

urlpatterns = [
    path("history/<id:page_id>/", views.public_history, name="listing"),
]

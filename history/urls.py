"""Public URLs of `history` (admin views register through wagtail_hooks)."""

from django.urls import path

from . import views

app_name = "history"

urlpatterns = [
    path("history/<int:page_id>/", views.public_history, name="listing"),
]

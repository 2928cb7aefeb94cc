"""Public and signed-in URLs of `review` (admin views register through wagtail_hooks)."""

from django.urls import path

from review import views

app_name = "review"

urlpatterns = [
    path("review/verify/<int:page_id>/", views.verify_listing, name="verify"),
]

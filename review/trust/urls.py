"""Trust's URLs: the public "Still accurate" button (in review.urls) and the
workspace's verify, due and reputation pages (registered by review/wagtail_hooks.py)."""

from django.urls import path

import directory.ids  # noqa: F401 - registers the `id` converter
from review.trust import admin_views, views

urlpatterns = [
    path("review/verify/<id:page_id>/", views.verify_listing, name="verify"),
]

admin_urlpatterns = [
    path("review/verify/<int:page_id>/", admin_views.verify, name="review_verify"),
    path("review/due/", admin_views.due, name="review_due"),
    path("review/reputation/", admin_views.my_reputation, name="review_reputation"),
]

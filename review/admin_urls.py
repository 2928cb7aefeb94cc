from django.urls import path

from review import admin_views

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<int:pk>/", admin_views.item_detail, name="item"),
    path("<int:pk>/act/", admin_views.item_action, name="act"),
]

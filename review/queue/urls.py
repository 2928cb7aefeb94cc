from django.urls import path

from review.queue import views as queue_views

urlpatterns = [
    path("", queue_views.index, name="index"),
    path("<int:pk>/", queue_views.item_detail, name="item"),
    path("<int:pk>/act/", queue_views.item_action, name="act"),
]

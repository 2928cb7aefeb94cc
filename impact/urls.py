"""Public URLs of `impact` (admin views register through wagtail_hooks)."""

from django.urls import path

from impact import views
from impact.sms import views as sms_views

app_name = "impact"

urlpatterns = [
    path("plan/save/", views.save, name="save"),
    path("plan/<str:token>/", views.plan, name="plan"),
    path("plan/<str:token>/remove/", views.plan_remove, name="plan_remove"),
    path("plan/<str:token>/outcome/", views.plan_outcome, name="plan_outcome"),
    path("plan/<str:token>/device/", views.plan_device, name="plan_device"),
    path("plan/<str:token>/send/", views.plan_send, name="plan_send"),
    path("followup/<str:token>/", views.follow_up, name="follow_up"),
    path("beacon/", views.beacon, name="beacon"),
    path("sms/inbound/", sms_views.inbound, name="sms_inbound"),
]

from django.urls import path

from impact import admin_views

referral_patterns = (
    [
        path("", admin_views.referral_index, name="index"),
        path("new/", admin_views.referral_create, name="create"),
        path("<int:pk>/", admin_views.referral_detail, name="detail"),
        path("<int:pk>/outcome/", admin_views.referral_outcome, name="outcome"),
        path("<int:pk>/link/", admin_views.referral_new_link, name="new_link"),
    ],
    "impact_referrals",
)

dashboard_patterns = (
    [
        path("", admin_views.dashboard_index, name="index"),
        path("export.csv", admin_views.dashboard_csv, name="csv"),
    ],
    "impact_dashboard",
)

"""Sign-up, email confirmation and membership requests (issue 3)."""

from django.urls import path

from directory.accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_done, name="signup_done"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]

"""Sign-up, email confirmation and membership requests (issue 3)."""

app_name = "accounts"

urlpatterns = []

"""Public and signed-in URLs of `review` (admin views register through wagtail_hooks)."""

app_name = "review"

urlpatterns = []

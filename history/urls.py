"""Public and signed-in URLs of `history` (admin views register through wagtail_hooks)."""

app_name = "history"

urlpatterns = []

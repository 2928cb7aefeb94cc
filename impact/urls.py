"""Public and signed-in URLs of `impact` (admin views register through wagtail_hooks)."""

app_name = "impact"

urlpatterns = []

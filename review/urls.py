"""Public and signed-in URLs of `review` (namespace review): each wing's own
(admin views register through wagtail_hooks)."""

from review.queue import urls as queue_urls
from review.trust import urls as trust_urls

app_name = "review"

urlpatterns = [*trust_urls.urlpatterns, *queue_urls.public_urlpatterns]

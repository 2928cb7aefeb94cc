from wagtail.snippets.models import register_snippet

from directory.viewsets import LocationViewSet

register_snippet(LocationViewSet)

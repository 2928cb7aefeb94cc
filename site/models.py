from django.db import models
from django.utils.translation import gettext, gettext_noop

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

# The home page's intro until an editor writes one; shown in the reader's language.
DEFAULT_INTRO = gettext_noop("Find food, housing, legal help, health care and more near you.")


class HomePage(Page):
    """The front door: one search box, category shortcuts, "near me"."""

    intro = models.CharField(max_length=255, blank=True, default=DEFAULT_INTRO)

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["directory.OrganizationPage"]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    @property
    def intro_text(self):
        """The intro as written; the untouched default is translated."""
        return gettext(DEFAULT_INTRO) if self.intro == DEFAULT_INTRO else self.intro

    def route(self, request, path_components):
        """An organization (/org/) or a service (/org/service/) in one query
        instead of Wagtail's two per level (directory.routing.find_listing);
        anything else goes Wagtail's way."""
        from wagtail.url_routing import RouteResult

        from directory.routing import find_listing

        page = find_listing(self, path_components)
        if page is not None:
            return RouteResult(page)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from directory.selectors import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context())
        return context


class PeriodicJobRun(models.Model):
    """When each periodic job last ran; `run_periodic` reads it to decide what is due."""

    name = models.CharField(max_length=128, unique=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

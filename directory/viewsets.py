from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from directory.models import Language, Location, TaxonomyTerm
from directory.policy import may_publish


class LocationEditView(EditView):
    """Publishing a location follows the listing rule: those who may publish its
    organization's listings publish it (directory.policy); everyone else's edit
    is a draft to submit to the "Pending changes" workflow."""

    def _publishes(self):
        location = getattr(self, "object", None)
        if location is None or not location.organization_id:
            return False
        return may_publish(self.request.user, location.organization)

    def user_has_permission(self, permission):
        if permission == "publish" and self._publishes():
            return True
        return super().user_has_permission(permission)

    def get_available_actions(self):
        actions = list(super().get_available_actions())
        if (
            self.request.method == "POST"
            and self.draftstate_enabled
            and "publish" not in actions
            and self._publishes()
        ):
            actions.append("publish")
        return actions


class LocationViewSet(SnippetViewSet):
    model = Location
    edit_view_class = LocationEditView
    icon = "site"
    menu_label = _("Locations")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "organization", "city", "postal_code", "address_is_public"]
    list_filter = ["address_is_public", "coordinates_approximate"]
    search_fields = ["name", "city"]


class TaxonomyTermViewSet(SnippetViewSet):
    model = TaxonomyTerm
    icon = "tag"
    menu_label = _("Categories")
    list_display = ["name", "code", "parent", "taxonomy"]
    list_filter = ["taxonomy"]
    search_fields = ["name"]
    ordering = ["tree_path"]
    panels = [
        FieldPanel("taxonomy"),
        FieldPanel("parent"),
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("description"),
    ]


class LanguageViewSet(SnippetViewSet):
    model = Language
    icon = "globe"
    menu_label = _("Languages")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class VocabularyGroup(SnippetViewSetGroup):
    menu_label = _("Vocabularies")
    menu_icon = "list-ul"
    menu_order = 210
    items = (TaxonomyTermViewSet, LanguageViewSet)

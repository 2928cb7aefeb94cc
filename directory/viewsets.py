from wagtail.snippets.views.snippets import SnippetViewSet

from directory.models import Location


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    menu_label = "Locations"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "organization", "city", "postal_code", "address_is_public"]
    list_filter = ["address_is_public", "coordinates_approximate"]
    search_fields = ["name", "city"]

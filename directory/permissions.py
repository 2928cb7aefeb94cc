"""What a user may do with a listing page in the Wagtail admin (DESIGN.md §2, §4).

The wiki rule: every signed-in professional edits any listing and adds services
under any organization; whether the edit goes live at once or waits for review
is the publish policy's answer (directory.policy.may_publish). Hard delete is a
superuser's alone; for publishers "Delete" becomes "Remove" (directory.wagtail_hooks).
"""

from functools import cached_property

from wagtail.models import PagePermissionTester

from directory.policy import is_professional, may_publish


class ListingPermissionTester(PagePermissionTester):
    @cached_property
    def publishes(self):
        return may_publish(self.user, self.page)

    @cached_property
    def professional(self):
        return is_professional(self.user)

    def can_edit(self):
        if not self.user.is_active or self.page_is_root:
            return False
        return self.professional or super().can_edit()

    def can_add_subpage(self):
        if not self.user.is_active:
            return False
        specific_class = self.page.specific_class
        if specific_class is None or not any(
            model.can_create_at(self.page) for model in specific_class.creatable_subpage_models()
        ):
            return False
        return self.user.is_superuser or self.professional or "add" in self.permissions

    def can_publish(self):
        if not self.user.is_active or self.page_is_root:
            return False
        return self.publishes

    def can_publish_subpage(self):
        if not self.user.is_active:
            return False
        specific_class = self.page.specific_class
        if specific_class is None or not specific_class.creatable_subpage_models():
            return False
        return self.publishes

    def can_unpublish(self):
        if not self.user.is_active or not self.page.live or self.page_is_root:
            return False
        if self.page_locked():
            return False
        return self.publishes

    def can_delete(self, ignore_bulk=False):
        """Superusers delete; publishers reach the delete view, which removes
        (unpublishes and marks defunct) instead of deleting."""
        if not self.user.is_active or self.page_is_root:
            return False
        if self.user.is_superuser:
            return True
        return self.can_unpublish()

    def can_move(self):
        if not self.user.is_active:
            return False
        return self.user.is_superuser or (self.publishes and "publish" in self.permissions)

    def can_reorder_children(self):
        return self.user.is_active and self.publishes

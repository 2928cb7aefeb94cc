"""What a professional who may not publish a listing is told in its editor.

Their save is a suggestion: the editor says so before they save, names who
reviews it, and makes "submit for review" the main button ("Save draft" moves
into the menu); for those who publish, Publish is the main button. Who may
publish stays the listing's permission tester (the publish policy); this
module only reads it.
"""

from django.utils.translation import gettext

from wagtail.admin.action_menu import SubmitForModerationMenuItem

from directory.members import organization_of
from review.moderation.locks import can_edit_locked, is_locked

SUBMIT_ITEM = "action-submit"
PUBLISH_ITEM = "action-publish"


def publishes(user, page):
    return page.permissions_for_user(user).can_publish()


def review_notice(user, page):
    """The sentence shown above the editor, or None when the user publishes."""
    if publishes(user, page):
        return None
    if is_locked(page) and not can_edit_locked(user, page):
        return None  # the lock's own message says why they cannot edit
    organization = organization_of(page)
    how = gettext(
        "“Submit for review” sends it to them; “Save draft” keeps it to yourself for now."
    )
    if organization:
        who = gettext(
            "Your change will be reviewed by a moderator or a member of %(organization)s "
            "before it goes live."
        ) % {"organization": organization.title}
    else:
        who = gettext("Your change will be reviewed by a moderator before it goes live.")
    return f"{who} {how}"


class SubmitForReviewMenuItem(SubmitForModerationMenuItem):
    """Wagtail's submit item, in the words the notice uses."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        state = getattr(context.get("page"), "current_workflow_state", None)
        if not (state and state.status == state.STATUS_NEEDS_CHANGES):
            context["label"] = gettext("Submit for review")
        return context


def main_action_first(menu_items):
    """Put the action that takes the change live first (Wagtail renders the first
    item as the main button, "Save draft" otherwise): Publish for those who may
    publish, "Submit for review" for everyone else."""
    names = [getattr(item, "name", None) for item in menu_items]
    if PUBLISH_ITEM in names:
        menu_items.insert(0, menu_items.pop(names.index(PUBLISH_ITEM)))
    elif SUBMIT_ITEM in names:
        submit = menu_items.pop(names.index(SUBMIT_ITEM))
        menu_items.insert(0, SubmitForReviewMenuItem(order=submit.order))

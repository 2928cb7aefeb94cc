"""The queue's hooks (registered by review/wagtail_hooks.py): report log entries,
the "Report a problem" link and the review-queue menu."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem

from directory.models import ServicePage
from review.policy import is_reviewer


def register_report_actions(actions):
    actions.register_action("steward.report", "Report", "Someone reported a problem")
    actions.register_action("steward.report.uphold", "Report upheld", "A report was upheld")
    actions.register_action("steward.report.decline", "Report declined", "A report was declined")
    actions.register_action(
        "steward.queue.resolve", "Review item resolved", "A review-queue item was resolved"
    )


def report_problem_link(request, page, slot):
    if slot != "footer" or not isinstance(page, ServicePage):
        return None
    return render_to_string("review/report_link.html", {"page": page}, request=request)


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return is_reviewer(request.user)


def review_queue_menu_item():
    return ReviewQueueMenuItem(
        _("Review queue"), reverse("review_queue:index"), icon_name="tasks", order=250
    )

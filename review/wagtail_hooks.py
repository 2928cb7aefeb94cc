from django.template.loader import render_to_string
from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from directory.models import ServicePage
from review import queue_urls
from review.decisions import is_reviewer


@hooks.register("register_log_actions")
def register_report_actions(actions):
    actions.register_action("steward.report", "Report", "Someone reported a problem")
    actions.register_action("steward.report.uphold", "Report upheld", "A report was upheld")
    actions.register_action("steward.report.decline", "Report declined", "A report was declined")
    actions.register_action(
        "steward.queue.resolve", "Review item resolved", "A review-queue item was resolved"
    )


@hooks.register("steward_listing_parts")
def report_problem_link(request, page, slot):
    if slot != "footer" or not isinstance(page, ServicePage):
        return None
    return render_to_string("review/report_link.html", {"page": page}, request=request)


@hooks.register("steward_periodic_jobs")
def review_jobs():
    import datetime as dt

    from review.queue import scan
    from steward.periodic import Job

    return [Job("review.scan", dt.timedelta(minutes=15), lambda *, now: scan(now=now))]


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return is_reviewer(request.user)


@hooks.register("register_admin_urls")
def review_queue_urls():
    return [path("review-queue/", include((queue_urls, "review_queue"), namespace="review_queue"))]


@hooks.register("register_admin_menu_item")
def review_queue_menu_item():
    return ReviewQueueMenuItem(
        "Review queue", reverse("review_queue:index"), icon_name="tasks", order=250
    )

from django.template.loader import render_to_string

from wagtail import hooks

from directory.models import ServicePage


@hooks.register("register_log_actions")
def register_report_actions(actions):
    actions.register_action("steward.report", "Report", "Someone reported a problem")
    actions.register_action("steward.report.uphold", "Report upheld", "A report was upheld")
    actions.register_action("steward.report.decline", "Report declined", "A report was declined")


@hooks.register("steward_listing_parts")
def report_problem_link(request, page, slot):
    if slot != "footer" or not isinstance(page, ServicePage):
        return None
    return render_to_string("review/report_link.html", {"page": page}, request=request)

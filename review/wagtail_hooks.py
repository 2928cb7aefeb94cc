from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from review import jobs
from review.actions import VERIFY_ACTION
from review.fields import LABELS


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    @actions.register_action(VERIFY_ACTION)
    class VerifyFormatter(LogFormatter):
        label = _("Verify still accurate")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            names = ", ".join(LABELS.get(f, f) for f in data.get("fields", [])).lower()
            organization = (data.get("organization") or {}).get("title")
            if organization:
                return _("Verified as still accurate for %(organization)s: %(fields)s") % {
                    "organization": organization,
                    "fields": names,
                }
            return _("Verified as still accurate: %(fields)s") % {"fields": names}


@hooks.register("steward_periodic_jobs")
def review_periodic_jobs():
    return jobs.JOBS

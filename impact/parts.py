"""What impact adds to a listing page, through directory's `steward_listing_parts`."""

import datetime as dt

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

from directory.icons import icon
from impact.models import Outcome, PlanItem, Result
from impact.permissions import can_refer
from impact.plans import PLAN_COOKIE, find_plan

# Aggregates with fewer reports are never shown (DESIGN.md §5).
MIN_REPORTS = 5


def helped_in_last_year(service_id, *, now=None):
    now = now or timezone.now()
    return Outcome.objects.filter(
        service_id=service_id, result=Result.GOT_HELP, created_at__gte=now - dt.timedelta(days=365)
    ).count()


def status_part(request, page):
    helped = helped_in_last_year(page.pk)
    if helped < MIN_REPORTS:
        return None
    return format_html(
        '<p class="impact-helped">{} {}</p>',
        icon("check"),
        ngettext(
            "%(count)d person reported getting help here in the last year",
            "%(count)d people reported getting help here in the last year",
            helped,
        )
        % {"count": helped},
    )


def actions_part(request, page):
    plan = None
    if request is not None and PLAN_COOKIE in request.COOKIES:
        plan = find_plan(request.COOKIES[PLAN_COOKIE])
    if plan is not None and PlanItem.objects.filter(plan=plan, service_id=page.pk).exists():
        save = format_html(
            '<p class="impact-saved">{} {} <a href="{}">{}</a></p>',
            icon("check"),
            gettext("In your plan."),
            reverse("impact:plan", args=[request.COOKIES[PLAN_COOKIE]]),
            gettext("Open your plan"),
        )
    else:
        save = format_html(
            '<form class="impact-save" method="post" action="{}">'
            '<input type="hidden" name="service" value="{}">'
            '<button type="submit" class="button button-secondary">{} {}</button>'
            '<span class="small muted"> {}</span></form>',
            reverse("impact:save"),
            page.pk,
            icon("plus"),
            gettext("Save to my plan"),
            gettext("No account needed."),
        )
    refer = ""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and can_refer(user):
        refer = format_html(
            '<p class="impact-refer small"><a href="{}?service={}">{}</a></p>',
            reverse("impact_referrals:create"),
            page.pk,
            gettext("Refer a client here"),
        )
    return format_html('<div class="impact-actions no-print-buttons">{}{}</div>', save, refer)


def footer_part(request, page):
    """The beacon script: counts call / directions / website / share clicks."""
    return format_html(
        '<script src="{}" defer data-page="{}" data-beacon="{}"></script>',
        static("js/impact.js"),
        page.pk,
        reverse("impact:beacon"),
    )

"""Review's views in the professionals' workspace (the Wagtail admin).

The admin already requires a signed-in user with admin access; each view checks
again what it needs (a professional, a member of the organization shown).
"""

import math

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from wagtail.admin.ui.components import Component

from directory.members import acting_organization, current_organizations
from directory.models import ServicePage
from review import policy
from review.conf import review_setting, trust_setting
from review.trust import store
from review.trust.actions import verify_service
from review.trust.badges import badges_for
from review.trust.due import describe_due, due_listings
from review.trust.fields import LABELS, present_fields_for
from review.trust.forms import VerifyForm
from review.trust.standing import standing_for
from review.trust.views import verified_summary


def _professional_or_403(request):
    if not policy.is_professional(request.user):
        raise PermissionDenied


def verify(request, page_id):
    """ "Still accurate" from the admin: a confirmation form, then the verb."""
    _professional_or_403(request)
    service = get_object_or_404(ServicePage, pk=page_id)
    present = present_fields_for([service])[service.pk]
    form = VerifyForm(request.POST or None, present=present)
    if request.method == "POST" and form.is_valid():
        fields = form.chosen_fields()
        try:
            verify_service(service=service, user=request.user, fields=fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                gettext("Recorded: %(what)s of “%(title)s” is accurate.")
                % {"what": verified_summary(fields), "title": service.title},
            )
            return redirect("wagtailadmin_pages:edit", service.pk)
    return TemplateResponse(
        request,
        "review/admin/verify.html",
        {
            "page": service,
            "form": form,
            "organization": acting_organization(request.user, request),
            "badge": badges_for([service])[service.pk],
            "page_title": gettext("Still accurate: %(title)s") % {"title": service.title},
        },
        status=400 if form.errors else 200,
    )


def due(request):
    """The listings of the user's organizations that are due for verification."""
    _professional_or_403(request)
    now = timezone.now()
    organizations = list(current_organizations(request.user))
    chosen = request.GET.get("organization", "")
    shown = organizations
    error = ""
    if chosen:
        shown = [o for o in organizations if str(o.pk) == chosen]
        if not shown:
            error = gettext("You are not a member of that organization; showing all of yours.")
            shown = organizations
    paginator = Paginator(due_listings(shown, now=now), 50)
    page = paginator.get_page(request.GET.get("p"))
    rows = [
        {"row": row, "why": describe_due(row, now=now), "overdue": row.is_stale(now)}
        for row in page.object_list
    ]
    return TemplateResponse(
        request,
        "review/admin/due.html",
        {
            "organizations": organizations,
            "chosen": chosen if not error else "",
            "error": error,
            "rows": rows,
            "page_obj": page,
            "rules": {
                "due_after_days": review_setting("DUE_AFTER_DAYS"),
                "stale_after_days": review_setting("STALE_AFTER_DAYS"),
                "key_fields": ", ".join(
                    str(label) for name, label in LABELS.items() if store.is_key_field(name)
                ),
                "freshness": round(100 * review_setting("STALE_FIELD_FRESHNESS")),
            },
            "page_title": gettext("Due for verification"),
        },
    )


def _signed(points):
    """+5, −1: points as the ledger counts them (a true minus sign)."""
    return f"+{points}" if points >= 0 else f"\u2212{-points}"


def _points_phrase(points):
    return ngettext("%(points)s point", "%(points)s points", points) % {
        "points": number_format(points, force_grouping=True)
    }


def _confidence(z):
    """The two-sided confidence of a normal quantile: 1.96 gives 95%."""
    return round(100 * math.erf(z / math.sqrt(2)))


def my_reputation(request):
    """Points, the judged record, the ledger and the privileges reached. Every
    number the page states is read from review.conf."""
    _professional_or_403(request)
    from review.models import LedgerEvent

    user = request.user
    standing = standing_for(user)
    wilson = standing.wilson
    judged = trust_setting("WILSON_MIN_JUDGED")
    gates = [
        (gettext("Review others’ suggestions"), trust_setting("REVIEW_POINTS"), None),
        (
            gettext("Publish edits to any listing without review"),
            trust_setting("PUBLISH_ANYWHERE_POINTS"),
            trust_setting("PUBLISH_ANYWHERE_WILSON"),
        ),
        (
            gettext("Roll back a run of edits"),
            trust_setting("ROLLBACK_POINTS"),
            trust_setting("ROLLBACK_WILSON"),
        ),
    ]
    privileges_rows = []
    for label, points, bound in gates:
        reached = standing.points >= points and (
            bound is None or (wilson is not None and wilson >= bound)
        )
        need = _points_phrase(points)
        if bound is not None:
            need = ngettext(
                "%(points)s and a record of at least %(share)s%% good "
                "(after %(judged)s judged item)",
                "%(points)s and a record of at least %(share)s%% good "
                "(after %(judged)s judged items)",
                judged,
            ) % {"points": need, "share": round(bound * 100), "judged": judged}
        privileges_rows.append({"label": label, "reached": reached, "need": need})
    values = trust_setting("POINTS")
    earning = {
        kind: _signed(values[kind])
        for kind in (
            "edit_accepted",
            "edit_reverified",
            "report_upheld",
            "report_declined",
            "verification_shown_wrong",
            "edit_reverted",
            "spam",
        )
    }
    events = Paginator(
        LedgerEvent.objects.filter(user=user).select_related("page").order_by("-created_at", "-pk"),
        50,
    ).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "review/admin/reputation.html",
        {
            "standing": standing,
            "wilson": wilson,
            "privileges": privileges_rows,
            "is_moderator": policy.is_moderator(user),
            "events": events,
            "rules": {
                "points": earning,
                "reverified_after_days": review_setting("REVERIFIED_AFTER_DAYS"),
                "shown_wrong_within_days": review_setting("SHOWN_WRONG_WITHIN_DAYS"),
                "daily_gain_cap": trust_setting("DAILY_GAIN_CAP"),
                "floor": trust_setting("REPUTATION_FLOOR"),
                "min_judged": judged,
                "confidence": _confidence(trust_setting("WILSON_Z")),
            },
            "page_title": gettext("My reputation"),
        },
    )


class DuePanel(Component):
    """The dashboard's "Due for verification" for the user's organizations."""

    name = "steward_due"
    order = 90
    template_name = "review/admin/due_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        now = timezone.now()
        organizations = current_organizations(self.request.user)
        limit = review_setting("DUE_PANEL_LIMIT")
        rows = list(due_listings(organizations, now=now)[: limit + 1])
        return {
            "rows": [{"row": r, "why": describe_due(r, now=now)} for r in rows[:limit]],
            "more": len(rows) > limit,
            "due_url": reverse("review_due"),
        }

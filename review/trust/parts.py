"""What review adds to listing pages and result cards (through directory's
parts hooks): the freshness badge, and "Still accurate" for professionals."""

from django.template.loader import render_to_string
from django.utils.html import format_html

from directory.icons import icon
from directory.members import acting_organization
from directory.models import ServicePage
from review.policy import is_professional
from review.trust.badges import DUE, FRESH, badges_for
from review.trust.fields import LABELS, present_fields_for

ICONS = {FRESH: "check", DUE: "alert"}


def badge_html(badge, *, short=False):
    if short:
        return format_html(
            '<p class="trust-badge trust-{}">{} {}</p>',
            badge.tone,
            icon(ICONS.get(badge.tone, "alert")),
            badge.short,
        )
    return format_html(
        '<p class="trust-badge trust-{}" id="trust">{} {}</p>',
        badge.tone,
        icon(ICONS.get(badge.tone, "alert")),
        badge.text,
    )


def listing_part(request, page, slot):
    if not isinstance(page, ServicePage):
        return None
    if slot == "status":
        return badge_html(badges_for([page])[page.pk])
    if slot == "actions":
        user = getattr(request, "user", None)
        if not is_professional(user):
            return None
        present = present_fields_for([page])[page.pk]
        return render_to_string(
            "review/parts/verify_form.html",
            {
                "page": page,
                "choices": [(name, LABELS[name]) for name in present],
                "organization": acting_organization(user, request),
                "thanked": request.GET.get("verified") == "1",
            },
            request=request,
        )
    return None


def card_parts(request, pages):
    services = [page for page in pages if isinstance(page, ServicePage)]
    return {pk: badge_html(badge, short=True) for pk, badge in badges_for(services).items()}

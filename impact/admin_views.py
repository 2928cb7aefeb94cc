"""Workspace views: referrals for professionals, the impact dashboard for analysts.

Every view checks its permission on the server, for GET and POST alike. A
referral is visible only to its professional and to moderators; anyone else gets
404, as if it did not exist.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

import segno

from directory.links import public_url
from directory.models import ServicePage
from directory.selectors import service_cards
from impact import charts, dashboard
from impact.forms import OutcomeForm, ReferralForm
from impact.models import Referral, Source
from impact.outcomes import OutcomeError, record_outcome
from impact.permissions import can_refer, can_see_dashboard, can_see_referral
from impact.quality import data_quality
from impact.referrals import create_referral, new_follow_up_link, referrals_for
from impact.simulation import latest_simulation
from review.policy import is_moderator


def _admin(page_title, **context):
    return {"page_title": page_title, "header_title": page_title, **context}


def _require_referrer(user):
    if not can_refer(user):
        raise PermissionDenied


def _referral_for(user, pk):
    _require_referrer(user)
    referral = Referral.objects.select_related("service", "professional").filter(pk=pk).first()
    if referral is None or not can_see_referral(user, referral):
        raise Http404("No such referral.")
    return referral


@require_safe
def referral_index(request):
    _require_referrer(request.user)
    today = timezone.localdate()
    show_all = request.GET.get("all") == "1" and is_moderator(request.user)
    if show_all:
        referrals = Referral.objects.select_related("service", "professional").order_by(
            "closed_at", "follow_up_on", "pk"
        )
    else:
        referrals = referrals_for(request.user, today=today)
    page = Paginator(referrals, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "impact/admin/referral_index.html",
        _admin(
            gettext("All referrals") if show_all else gettext("My referrals"),
            header_icon="link",
            page_obj=page,
            today=today,
            show_all=show_all,
            can_show_all=is_moderator(request.user),
        ),
    )


def _follow_up_page(request, referral, token, *, title):
    """The follow-up link, its QR code and the printable slip (shown once)."""
    url = public_url(reverse("impact:follow_up", args=[token]), request)
    qr = segno.make(url, error="m").svg_inline(scale=4, title=gettext("Follow-up link"))
    cards = service_cards(ServicePage.objects.filter(pk=referral.service_id), request=request)
    response = TemplateResponse(
        request,
        "impact/admin/referral_link.html",
        _admin(
            title,
            header_icon="link",
            referral=referral,
            url=url,
            qr=qr,
            card=cards[0] if cards else None,
            service_url=public_url(cards[0].url, request) if cards else "",
        ),
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def referral_create(request):
    _require_referrer(request.user)
    if request.method == "POST":
        form = ReferralForm(request.POST)
        if form.is_valid():
            referral, token = create_referral(
                professional=request.user, request=request, **form.cleaned_data
            )
            return _follow_up_page(request, referral, token, title=gettext("Referral made"))
        status = 400
    else:
        initial = {}
        service_id = request.GET.get("service", "")
        if service_id.isdigit():
            service = ServicePage.objects.listed().filter(pk=int(service_id)).first()
            if service is not None:
                initial["service"] = service
        form = ReferralForm(initial=initial)
        status = 200
    return TemplateResponse(
        request,
        "impact/admin/referral_form.html",
        _admin(gettext("Refer a client"), header_icon="link", form=form),
        status=status,
    )


@require_safe
def referral_detail(request, pk):
    referral = _referral_for(request.user, pk)
    return _detail(request, referral, OutcomeForm(prefix_id=referral.pk))


def _detail(request, referral, form, status=200):
    return TemplateResponse(
        request,
        "impact/admin/referral_detail.html",
        _admin(
            gettext("Referral to %(service)s") % {"service": referral.service.title},
            header_icon="link",
            referral=referral,
            outcome=referral.outcomes.first(),
            form=form,
            today=timezone.localdate(),
        ),
        status=status,
    )


@require_POST
def referral_outcome(request, pk):
    referral = _referral_for(request.user, pk)
    form = OutcomeForm(request.POST, prefix_id=referral.pk)
    if not form.is_valid():
        return _detail(request, referral, form, status=400)
    try:
        record_outcome(
            service=referral.service,
            referral=referral,
            source=Source.PROFESSIONAL,
            **form.cleaned_data,
        )
    except OutcomeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("Outcome recorded."))
    return redirect("impact_referrals:detail", referral.pk)


@require_POST
def referral_new_link(request, pk):
    referral = _referral_for(request.user, pk)
    token = new_follow_up_link(referral)
    return _follow_up_page(request, referral, token, title=gettext("New follow-up link"))


# --- dashboard -------------------------------------------------------------------


def _require_analyst(user):
    if not can_see_dashboard(user):
        raise PermissionDenied


class PeriodError(ValueError):
    pass


def _period(request):
    """(start, end, problems) from ?start=YYYY-MM-DD&end=YYYY-MM-DD; defaults otherwise."""
    import datetime as dt

    start, end = dashboard.default_period()
    problems = []
    values = {}
    for name in ("start", "end"):
        raw = request.GET.get(name, "").strip()
        if not raw:
            continue
        try:
            values[name] = dt.date.fromisoformat(raw[:10])
        except ValueError:
            problems.append(f"“{raw[:20]}” is not a date (use YYYY-MM-DD); showing the last year.")
    start, end = values.get("start", start), values.get("end", end)
    if start > end:
        problems.append("The start is after the end; showing the last year.")
        start, end = dashboard.default_period()
    if (end - start).days > 3 * 366:
        problems.append("Choose at most three years; showing the three years up to the end date.")
        start = end - dt.timedelta(days=3 * 365)
    return start, end, problems


def _breakdown(request):
    by = request.GET.get("by", "organization")
    return by if by in dashboard.BREAKDOWNS else "organization"


@require_safe
def dashboard_index(request):
    _require_analyst(request.user)
    start, end, problems = _period(request)
    by = _breakdown(request)
    report = dashboard.impact_report(by=by, start=start, end=end)
    overall = report.overall
    funnel = (
        charts.funnel_svg(
            [
                ("Found", overall.found),
                ("Contacted", overall.contacted),
                ("Utilized", overall.utilized),
            ],
            title=gettext("Found, contacted, utilized"),
        )
        if not overall.suppressed
        else ""
    )
    return TemplateResponse(
        request,
        "impact/admin/dashboard.html",
        _admin(
            gettext("Impact"),
            header_icon="table",
            report=report,
            overall=overall,
            funnel_chart=funnel,
            rates_chart=charts.rates_svg(
                report.groups,
                title=gettext("Success rate by %(breakdown)s")
                % {"breakdown": str(dashboard.BREAKDOWNS[by]).lower()},
            ),
            breakdowns=dashboard.BREAKDOWNS.items(),
            by_label=dashboard.BREAKDOWNS[by],
            problems=problems,
            minimum=dashboard.MIN_REPORTS,
            quality=data_quality(),
            simulation=latest_simulation(),
            csv_query=request.GET.urlencode(),
        ),
    )


CSV_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def csv_safe(value):
    """Text a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(CSV_DANGEROUS):
        return "'" + value
    return value


def _pct(value):
    return "" if value is None else f"{100 * value:.1f}"


@require_safe
def dashboard_csv(request):
    _require_analyst(request.user)
    start, end, _ = _period(request)
    by = _breakdown(request)
    report = dashboard.impact_report(by=by, start=start, end=end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="steward-impact-{by}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            dashboard.BREAKDOWNS[by].lower(),
            "found",
            "contacted",
            "utilized",
            "outcome reports",
            "got help",
            "could not get help",
            "did not try",
            "success rate %",
            "95% interval low %",
            "95% interval high %",
        ]
    )
    rows = ([] if report.overall.suppressed else [report.overall]) + report.groups
    for figures in rows:
        interval = figures.interval or (None, None)
        writer.writerow(
            [
                csv_safe(figures.label),
                figures.found,
                figures.contacted,
                figures.utilized,
                figures.reports,
                figures.got_help,
                figures.could_not,
                figures.did_not_try,
                _pct(figures.success_rate),
                _pct(interval[0]),
                _pct(interval[1]),
            ]
        )
    return response

"""Public views: save to a plan, the plan page, follow-up links, the beacon.

The plan and follow-up pages are reached by their private token, which is the
secret that authorizes their forms (no CSRF cookie is needed or set on public
listing pages). "Save to my plan" acts on the plan cookie, so it accepts only
same-origin posts.
"""

from urllib.parse import quote, urlsplit

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from directory import throttle
from directory.links import public_url
from directory.models import ServicePage
from directory.selectors import service_cards
from directory.translations import localized
from impact import notify
from impact.counts import increment, is_bot
from impact.forms import OutcomeForm, SendPlanForm
from impact.models import BEACON_KINDS, Outcome, Source
from impact.outcomes import OutcomeError, record_outcome
from impact.plans import (
    PLAN_COOKIE,
    PlanFull,
    create_plan,
    find_plan,
    remove_from_plan,
    save_to_plan,
    saveable_service,
)
from impact.referrals import find_referral

COOKIE_AGE = 365 * 24 * 3600
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _private(response):
    """Pages behind a token: never cached, never leak the token in a Referer."""
    for header, value in PRIVATE.items():
        response[header] = value
    response["X-Robots-Tag"] = "noindex"
    return response


def _same_origin(request):
    """Whether a post came from a page of this site.

    "Save to my plan" needs no CSRF token (public pages set no cookie), so the
    browser's own headers decide: Sec-Fetch-Site when sent, else Origin, else
    Referer. A post that shows none of them is refused: a cross-site form can
    strip the Referer, and every browser in use sends Origin or Sec-Fetch-Site.
    """
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site:
        return fetch_site in ("same-origin", "none")
    origin = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER")
    if not origin or origin == "null":
        return False
    return urlsplit(origin).netloc == request.get_host()


def _plan_url(request, token):
    return public_url(reverse("impact:plan", args=[token]), request)


def _set_plan_cookie(response, request, token):
    response.set_cookie(
        PLAN_COOKIE,
        token,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Strict",
        secure=request.is_secure(),
    )


@csrf_exempt
@require_POST
def save(request):
    """Save a service to this device's plan, making the plan on the first save."""
    if not _same_origin(request):
        return HttpResponseForbidden(
            "This request did not come from a page of this site, so nothing was saved. "
            "Open the listing on this site and press “Save to my plan” there."
        )
    service = saveable_service(request.POST.get("service"))
    if service is None:
        return HttpResponseBadRequest("That service is not listed.")
    token = request.COOKIES.get(PLAN_COOKIE, "")
    plan = find_plan(token)
    new = plan is None
    if new:
        if not throttle.hit_named("plan_create", throttle.client_fingerprint(request)).allowed:
            return HttpResponse(
                gettext("Too many new plans from this connection. Try again in an hour."),
                status=429,
            )
        plan, token = create_plan()
    try:
        added = save_to_plan(plan=plan, service=service)
    except PlanFull as exc:
        messages.error(request, str(exc))
        added = False
    else:
        name = localized(service, "title").text
        if added:
            messages.success(request, gettext("Saved “%(name)s” to your plan.") % {"name": name})
        else:
            messages.info(request, gettext("“%(name)s” is already in your plan.") % {"name": name})
    response = redirect(reverse("impact:plan", args=[token]) + ("?new=1" if new else ""))
    response.status_code = 303
    _set_plan_cookie(response, request, token)
    return response


def _plan_or_404(token):
    plan = find_plan(token)
    if plan is None:
        raise Http404(gettext("No plan at this link."))
    return plan


def plan_context(request, plan, token, *, forms=None):
    """Everything the plan page shows: three queries for the plan, seven for the cards."""
    forms = forms or {}
    service_ids = list(plan.items.values_list("service_id", flat=True))
    listed = ServicePage.objects.listed().filter(pk__in=service_ids)
    by_pk = {card.pk: card for card in service_cards(listed, request=request)}
    outcomes = {o.service_id: o for o in Outcome.objects.filter(plan=plan)}
    entries = []
    for service_id in service_ids:
        card = by_pk.get(service_id)
        if card is None:
            continue
        outcome = outcomes.get(service_id)
        entries.append(
            {
                "card": card,
                "outcome": outcome,
                "form": forms.get(service_id) or OutcomeForm(prefix_id=service_id),
            }
        )
    url = _plan_url(request, token)
    body = gettext("My plan on Steward: %(url)s") % {"url": url}
    return {
        "plan": plan,
        "token": token,
        "entries": entries,
        "gone": len(service_ids) - len(entries),
        "plan_url": url,
        "sms_url": f"sms:?body={quote(body)}",
        "mailto_url": f"mailto:?subject={quote(gettext('My plan on Steward'))}&body={quote(body)}",
        "on_this_device": request.COOKIES.get(PLAN_COOKIE) == token,
        "send_form": SendPlanForm(),
        "confidential_shown": any(entry["card"].confidential for entry in entries),
    }


@never_cache
@require_safe
def plan(request, token):
    plan = _plan_or_404(token)
    context = plan_context(request, plan, token)
    context["is_new"] = request.GET.get("new") == "1"
    return _private(TemplateResponse(request, "impact/plan.html", context))


@csrf_exempt
@require_POST
def plan_remove(request, token):
    plan = _plan_or_404(token)
    try:
        service_id = int(request.POST.get("service", ""))
    except ValueError:
        return HttpResponseBadRequest(gettext("Choose a service to remove."))
    if remove_from_plan(plan=plan, service_id=service_id):
        messages.success(request, gettext("Removed from your plan."))
    return _private(redirect("impact:plan", token))


@csrf_exempt
@require_POST
def plan_outcome(request, token):
    plan = _plan_or_404(token)
    try:
        service_id = int(request.POST.get("service", ""))
    except ValueError:
        return HttpResponseBadRequest(gettext("Choose a service."))
    item = plan.items.select_related("service").filter(service_id=service_id).first()
    if item is None:
        return HttpResponseBadRequest(gettext("That service is not in this plan."))
    form = OutcomeForm(request.POST, prefix_id=service_id)
    if not form.is_valid():
        context = plan_context(request, plan, token, forms={service_id: form})
        return _private(TemplateResponse(request, "impact/plan.html", context, status=400))
    if not throttle.hit_named("outcome", throttle.client_fingerprint(request)).allowed:
        messages.error(
            request, gettext("Too many answers from this connection. Try again in an hour.")
        )
        return _private(redirect("impact:plan", token))
    try:
        record_outcome(
            service=item.service,
            plan=plan,
            source=Source.PLAN,
            client_key=throttle.client_fingerprint(request),
            **form.cleaned_data,
        )
    except OutcomeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("Thank you. Your answer helps keep this directory true."))
    return _private(redirect(reverse("impact:plan", args=[token]) + f"#service-{service_id}"))


@csrf_exempt
@require_POST
def plan_device(request, token):
    """Remember this plan on this device (so saves add to it), or forget it here."""
    _plan_or_404(token)
    response = _private(redirect("impact:plan", token))
    if request.POST.get("action") == "forget":
        response.delete_cookie(PLAN_COOKIE, samesite="Strict")
        messages.success(
            request, gettext("This device no longer remembers your plan. The link still works.")
        )
    else:
        _set_plan_cookie(response, request, token)
        messages.success(
            request, gettext("New services you save on this device go into this plan.")
        )
    return response


@csrf_exempt
@require_POST
def plan_send(request, token):
    """Email the plan's link to the person. The address is used once, never stored."""
    plan = _plan_or_404(token)
    form = SendPlanForm(request.POST)
    if not form.is_valid():
        context = plan_context(request, plan, token)
        context["send_form"] = form
        return _private(TemplateResponse(request, "impact/plan.html", context, status=400))
    if not throttle.hit_named("plan_send", throttle.client_fingerprint(request)).allowed:
        messages.error(
            request, gettext("Too many emails from this connection. Try again in an hour.")
        )
        return _private(redirect("impact:plan", token))
    notify.send(
        "email",
        to=form.cleaned_data["email"],
        subject=gettext("Your plan on Steward"),
        body=gettext(
            "Here is the private link to your plan. Anyone with the link can see it, "
            "so keep it to yourself:\n\n%(url)s\n"
        )
        % {"url": _plan_url(request, token)},
    )
    messages.success(request, gettext("We sent the link. We did not keep your email address."))
    return _private(redirect("impact:plan", token))


def _referral_or_404(token):
    referral = find_referral(token)
    if referral is None:
        raise Http404(gettext("No follow-up at this link."))
    return referral


@never_cache
@csrf_exempt
def follow_up(request, token):
    """The client's follow-up link from a referral slip: "Did you get help?"."""
    referral = _referral_or_404(token)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    cards = service_cards(ServicePage.objects.filter(pk=referral.service_id), request=request)
    outcome = referral.outcomes.first()
    status = 200
    if request.method == "POST":
        form = OutcomeForm(request.POST, prefix_id=referral.service_id)
        if not form.is_valid():
            status = 400
        elif not throttle.hit_named("outcome", throttle.client_fingerprint(request)).allowed:
            messages.error(
                request, gettext("Too many answers from this connection. Try again in an hour.")
            )
            return _private(redirect("impact:follow_up", token))
        else:
            record_outcome(
                service=referral.service,
                referral=referral,
                source=Source.REFERRAL,
                client_key=throttle.client_fingerprint(request),
                **form.cleaned_data,
            )
            messages.success(
                request, gettext("Thank you. Your answer helps people find help that works.")
            )
            return _private(redirect("impact:follow_up", token))
    else:
        form = OutcomeForm(prefix_id=referral.service_id)
    context = {
        "card": cards[0] if cards else None,
        "outcome": outcome,
        "form": form,
        "confidential_shown": any(card.confidential for card in cards),
    }
    return _private(TemplateResponse(request, "impact/follow_up.html", context, status=status))


@csrf_exempt
def beacon(request):
    """`POST /beacon/` page=<id>&action=call|directions|website|share: one count.

    Sent by static/js/impact.js with navigator.sendBeacon. Stores no IP, sets no
    cookie; a client's repeat of the same action on the same listing within an
    hour counts once. Bad input gets 400, never 500.
    """
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    action = request.POST.get("action", "")
    raw_page = request.POST.get("page", "")
    if action not in BEACON_KINDS:
        return HttpResponseBadRequest("Unknown action.")
    if not raw_page.isdigit() or len(raw_page) > 12:
        return HttpResponseBadRequest("Unknown page.")
    page_id = int(raw_page)
    if not ServicePage.objects.listed().filter(pk=page_id).exists():
        return HttpResponseBadRequest("Unknown page.")
    if not is_bot(request.META.get("HTTP_USER_AGENT")) and throttle.once(
        f"{action}:{page_id}", throttle.client_fingerprint(request)
    ):
        increment(page_id, action)
    return HttpResponse(status=204)

"""Public views of `review`: "Report a problem" on a listing."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from directory.members import acting_organization
from directory.models import ServicePage
from directory.throttle import client_fingerprint
from review.queue import actions
from review.queue.report_forms import ReportForm


def _listing(page_id):
    try:
        return ServicePage.objects.live().public().get(pk=page_id)
    except ServicePage.DoesNotExist:
        raise Http404("No such listing") from None


@require_http_methods(["GET", "POST"])
def report_problem(request, page_id):
    service = _listing(page_id)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_bot:
            # Say thank you and keep nothing: a bot learns nothing from the answer.
            return redirect("review:report_thanks", page_id=service.pk)
        if form.is_valid():
            user = request.user if request.user.is_authenticated else None
            try:
                actions.report_problem(
                    service=service,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    user=user,
                    organization=acting_organization(user, request) if user else None,
                    client_key=client_fingerprint(request),
                )
            except actions.ReportRateLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                return redirect("review:report_thanks", page_id=service.pk)
        else:
            status = 400
    return TemplateResponse(
        request, "review/report_form.html", {"service": service, "form": form}, status=status
    )


def report_thanks(request, page_id):
    service = _listing(page_id)
    return TemplateResponse(request, "review/report_thanks.html", {"service": service})

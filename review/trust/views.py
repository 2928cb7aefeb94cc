"""Review's public and signed-in views. Permissions are checked here, on the
server, for every request; the verbs in review.trust.actions check them again."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from directory.models import ServicePage
from review.policy import is_professional
from review.trust.actions import verify_service
from review.trust.fields import LABELS, all_fields, present_fields_for
from review.trust.forms import VerifyForm


def verified_summary(fields):
    if fields is None or set(fields) >= set(all_fields()):
        return gettext("everything on this listing")
    return ", ".join(LABELS[name].lower() for name in fields)


@require_POST
def verify_listing(request, page_id):
    """The public page's one-click "Still accurate" (no JavaScript needed)."""
    if not is_professional(request.user):
        raise PermissionDenied(gettext("Only signed-in professionals verify listings."))
    service = get_object_or_404(ServicePage.objects.live(), pk=page_id)
    present = present_fields_for([service])[service.pk]
    form = VerifyForm(request.POST, present=present)
    if form.is_valid():
        try:
            verify_service(service=service, user=request.user, fields=form.chosen_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return HttpResponseRedirect(f"{service.url}?verified=1#trust")
    errors = [message for messages in form.errors.values() for message in messages]
    return TemplateResponse(
        request,
        "review/verify_public.html",
        {"page": service, "form": form, "errors": errors},
        status=400,
    )

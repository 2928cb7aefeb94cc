"""Public account pages: sign up and confirm the work email.

Signing in stays Wagtail's admin login; these pages only make the account.
"""

import logging

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from directory import throttle
from directory.accounts.forms import ConfirmForm, SignUpForm
from directory.accounts.signup import ConfirmationError, confirm_email, read_token, sign_up

logger = logging.getLogger(__name__)

# Sign-ups per client: directory.throttle's "signup" limit (STEWARD["RATE_LIMITS"]).


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("wagtailadmin_home")
    # Without JavaScript the organization is found first: ?org_q= narrows the list
    # the form offers. ?new=1 registers an organization that is not listed.
    org_query = request.GET.get("org_q", "").strip()[:200]
    new_organization = request.GET.get("new") == "1"
    form = SignUpForm(request.POST or None, org_query=org_query, new_organization=new_organization)
    limited = False
    if request.method == "POST":
        limited = not throttle.hit_named("signup", throttle.client_fingerprint(request)).allowed
        if limited:
            form.add_error(
                None,
                "Too many sign-ups from this connection. Wait an hour and try again, or ask "
                "a moderator for help.",
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                sign_up(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    password=data["password1"],
                    organization=data.get("organization"),
                    new_organization={
                        "name": data["new_organization_name"],
                        "website": data["new_organization_website"],
                    }
                    if new_organization
                    else None,
                    account=form.unconfirmed_account,
                    request=request,
                )
            except OSError:
                logger.exception("Could not send a sign-up confirmation")
                form.add_error(
                    None,
                    "We could not send the confirmation email just now, so nothing was "
                    "saved. Please try again in a few minutes.",
                )
            else:
                request.session["steward_signup_email"] = data["email"]
                return redirect("accounts:signup_done")
    status = 429 if limited else (400 if form.errors else 200)
    matches = None if new_organization else form.fields["organization"].queryset
    return TemplateResponse(
        request,
        "directory/accounts/signup.html",
        {
            "form": form,
            "org_query": org_query,
            "new_organization": new_organization,
            "match_count": matches.count() if org_query and matches is not None else None,
        },
        status=status,
    )


def signup_done(request):
    return TemplateResponse(
        request,
        "directory/accounts/signup_done.html",
        {"email": request.session.get("steward_signup_email", "")},
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows what confirming does; POST confirms (a GET never changes anything,
    so mail scanners that open links confirm nothing)."""
    try:
        user, organization = read_token(token)
    except ConfirmationError as error:
        return TemplateResponse(
            request, "directory/accounts/confirm.html", {"error": str(error)}, status=400
        )
    if getattr(getattr(user, "professional", None), "email_confirmed_at", None):
        return TemplateResponse(request, "directory/accounts/confirm.html", {"already": True})
    # The password chosen at sign-up proves the person confirming is the one who
    # signed up: someone who signs up with another person's address gains nothing
    # when that person clicks the link.
    form = ConfirmForm(request.POST or None, account=user)
    context = {"account": user, "organization": organization, "form": form}
    if request.method == "POST" and form.is_valid():
        context["confirmation"] = confirm_email(user=user, organization=organization)
    status = 400 if form.errors else 200
    return TemplateResponse(request, "directory/accounts/confirm.html", context, status=status)

"""The workspace's membership screens (Wagtail admin).

Every view checks its right on the server, for GET and POST alike; the menus
only hide what a person could not open anyway. Changes go through
directory.accounts.actions.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory.accounts import actions, permissions
from directory.accounts.forms import (
    ActingOrganizationForm,
    ClaimForm,
    DomainForm,
    JoinForm,
    OrganizationPickForm,
    RoleForm,
)
from directory.members import acting_organization
from directory.models import Membership, MembershipRequest, OrganizationDomain, OrganizationPage

ENDED_SHOWN = 20


def _back(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _members_url(organization_id):
    return reverse("steward_accounts:members", args=[organization_id])


def _run(http_request, fn, success, /, **kwargs):
    """Call an action; its refusal becomes an error message, never a 500."""
    try:
        result = fn(**kwargs)
    except actions.MembershipError as error:
        messages.error(http_request, str(error))
        return None
    messages.success(http_request, success)
    return result


# My organizations ---------------------------------------------------------


def _my_context(request, **forms):
    user = request.user
    memberships = list(
        Membership.objects.current()
        .filter(user=user)
        .select_related("organization")
        .order_by("organization__title")
    )
    manages = permissions.organizations_with_members_screen(
        user, [m.organization for m in memberships]
    )
    pending = list(
        MembershipRequest.objects.pending()
        .filter(user=user)
        .select_related("organization")
        .order_by("created_at")
    )
    acting = acting_organization(user, request)
    return {
        "page_title": gettext("My organizations"),
        "header_icon": "group",
        "memberships": [(m, m.organization_id in manages) for m in memberships],
        "pending": pending,
        "acting": acting,
        "acting_form": forms.get("acting_form")
        or ActingOrganizationForm(user=user, initial={"organization": acting}),
        "join_form": forms.get("join_form") or JoinForm(),
        "claim_form": forms.get("claim_form") or OrganizationPickForm(prefix="claim"),
        "moderator": permissions.decides_everywhere(user),
    }


@require_GET
def my_organizations(request):
    return TemplateResponse(
        request, "directory/accounts/admin/my_organizations.html", _my_context(request)
    )


@require_POST
def join(request):
    form = JoinForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "directory/accounts/admin/my_organizations.html",
            _my_context(request, join_form=form),
            status=400,
        )
    organization = form.cleaned_data["organization"]
    _run(
        request,
        actions.request_membership,
        gettext("You asked to join %(organization)s. Its admins or a moderator will decide.")
        % {"organization": organization.title},
        user=request.user,
        organization=organization,
        note=form.cleaned_data["note"],
    )
    return redirect("steward_accounts:mine")


@require_POST
def act_for(request):
    form = ActingOrganizationForm(request.POST, user=request.user)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "directory/accounts/admin/my_organizations.html",
            _my_context(request, acting_form=form),
            status=400,
        )
    organization = form.cleaned_data["organization"]
    _run(
        request,
        actions.choose_acting_organization,
        gettext("You now act for %(organization)s.") % {"organization": organization.title},
        user=request.user,
        organization=organization,
        request=request,
    )
    return _back(request, reverse("steward_accounts:mine"))


@require_POST
def withdraw(request, pk):
    membership_request = get_object_or_404(MembershipRequest, pk=pk)
    _run(
        request,
        actions.withdraw_request,
        gettext("Your request was withdrawn."),
        membership_request=membership_request,
        by=request.user,
    )
    return redirect("steward_accounts:mine")


# Claiming an organization that has no admin -------------------------------


def _claim_target(request):
    form = OrganizationPickForm(request.GET or None, prefix="claim")
    if not form.is_valid():
        return None, form
    return form.cleaned_data["organization"], form


@require_GET
def claim_pick(request):
    """The "claim" form on My organizations submits here (GET, no JavaScript)."""
    organization, form = _claim_target(request)
    if organization is None:
        return TemplateResponse(
            request,
            "directory/accounts/admin/my_organizations.html",
            _my_context(request, claim_form=form),
            status=400,
        )
    return redirect("steward_accounts:claim", organization.pk)


@require_http_methods(["GET", "POST"])
def claim(request, organization_id):
    organization = get_object_or_404(OrganizationPage, pk=organization_id)
    if not permissions.can_claim(request.user, organization):
        raise PermissionDenied
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            actions.claim_organization,
            gettext("You asked to become the admin of %(organization)s. A moderator will decide.")
            % {"organization": organization.title},
            user=request.user,
            organization=organization,
            note=form.cleaned_data["note"],
        )
        if done is not None:
            return redirect("steward_accounts:mine")
    return TemplateResponse(
        request,
        "directory/accounts/admin/claim.html",
        {
            "page_title": gettext("Claim %(organization)s") % {"organization": organization.title},
            "header_icon": "group",
            "organization": organization,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# Members of one organization ----------------------------------------------


def _organization_for(request, organization_id):
    organization = get_object_or_404(OrganizationPage, pk=organization_id)
    rights = permissions.organization_rights(request.user, organization)
    if not rights & {
        permissions.MANAGE_MEMBERS,
        permissions.APPROVE_REQUESTS,
        permissions.REGISTER_DOMAINS,
    }:
        raise PermissionDenied
    return organization, rights


@require_GET
def members(request, organization_id):
    organization, rights = _organization_for(request, organization_id)
    current = list(
        Membership.objects.current()
        .filter(organization=organization)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "pk")
    )
    current_ids = {m.pk for m in current}
    ended = list(
        Membership.objects.filter(organization=organization, until__isnull=False)
        .exclude(pk__in=current_ids)
        .select_related("user")
        .order_by("-until")[:ENDED_SHOWN]
    )
    pending = list(
        MembershipRequest.objects.pending()
        .filter(organization=organization)
        .select_related("user")
        .order_by("created_at")
    )
    domains = list(OrganizationDomain.objects.filter(organization=organization))
    return TemplateResponse(
        request,
        "directory/accounts/admin/members.html",
        {
            "page_title": gettext("Members"),
            "page_subtitle": organization.title,
            "header_icon": "group",
            "organization": organization,
            "current": current,
            "ended": ended,
            "pending": pending,
            "domains": domains,
            "domain_form": DomainForm(),
            "can_manage": permissions.MANAGE_MEMBERS in rights,
            "can_approve": permissions.APPROVE_REQUESTS in rights,
            "can_register": permissions.REGISTER_DOMAINS in rights,
            "admin_role": Membership.Role.ADMIN,
            "member_role": Membership.Role.MEMBER,
            "here": request.get_full_path(),
        },
    )


@require_POST
def decide(request, pk, decision):
    membership_request = get_object_or_404(
        MembershipRequest.objects.select_related("organization", "user"), pk=pk
    )
    who = membership_request.user.get_full_name() or membership_request.user.username
    org = membership_request.organization.title
    if decision == "approve":
        _run(
            request,
            actions.approve_request,
            (
                gettext("%(person)s is now a member of %(organization)s.")
                if membership_request.kind == MembershipRequest.Kind.JOIN
                else gettext("%(person)s is now the admin of %(organization)s.")
            )
            % {"person": who, "organization": org},
            membership_request=membership_request,
            by=request.user,
        )
    else:
        _run(
            request,
            actions.decline_request,
            gettext("The request of %(person)s to %(organization)s was declined.")
            % {"person": who, "organization": org},
            membership_request=membership_request,
            by=request.user,
        )
    return _back(request, _members_url(membership_request.organization_id))


@require_POST
def end(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organization", "user"), pk=pk)
    _run(
        request,
        actions.end_membership,
        gettext(
            "%(person)s is no longer a member of %(organization)s. Their editing rights ended now."
        )
        % {
            "person": membership.user.get_full_name() or membership.user.username,
            "organization": membership.organization.title,
        },
        membership=membership,
        by=request.user,
    )
    return _back(request, _members_url(membership.organization_id))


@require_POST
def role(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organization", "user"), pk=pk)
    if not permissions.can_manage_members(request.user, membership.organization):
        raise PermissionDenied
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose a role: member or organization admin."))
    else:
        new_role = form.cleaned_data["role"]
        _run(
            request,
            actions.set_role,
            gettext("%(person)s is now %(role)s.")
            % {
                "person": membership.user.get_full_name() or membership.user.username,
                "role": str(Membership.Role(new_role).label).lower(),
            },
            membership=membership,
            role=new_role,
            by=request.user,
        )
    return _back(request, _members_url(membership.organization_id))


@require_POST
def add_domain(request, organization_id):
    organization = get_object_or_404(OrganizationPage, pk=organization_id)
    if not permissions.can_register_domains(request.user, organization):
        raise PermissionDenied
    form = DomainForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Enter a domain, e.g. example.org."))
    else:
        _run(
            request,
            actions.add_domain,
            gettext(
                "The domain was registered. Confirmed addresses there now join without approval."
            ),
            organization=organization,
            domain=form.cleaned_data["domain"],
            by=request.user,
        )
    return redirect(_members_url(organization.pk))


@require_POST
def remove_domain(request, pk):
    domain = get_object_or_404(OrganizationDomain.objects.select_related("organization"), pk=pk)
    organization_id = domain.organization_id
    _run(
        request,
        actions.remove_domain,
        gettext("%(domain)s is no longer registered. Members who joined through it stay members.")
        % {"domain": domain.domain},
        domain=domain,
        by=request.user,
    )
    return redirect(_members_url(organization_id))


# Moderators: requests across organizations --------------------------------

REQUESTS_PER_PAGE = 50


@require_GET
def all_requests(request):
    if not permissions.decides_everywhere(request.user):
        raise PermissionDenied
    pick = OrganizationPickForm(request.GET or None)
    if request.GET.get("organization") and pick.is_valid():
        return redirect(_members_url(pick.cleaned_data["organization"].pk))
    pending = (
        MembershipRequest.objects.pending()
        .select_related("user", "organization")
        .order_by("created_at", "pk")
    )
    page = Paginator(pending, REQUESTS_PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "directory/accounts/admin/requests.html",
        {
            "page_title": gettext("Membership requests"),
            "header_icon": "group",
            "page_obj": page,
            "pick_form": pick,
            "here": request.get_full_path(),
        },
        status=400 if pick.errors else 200,
    )

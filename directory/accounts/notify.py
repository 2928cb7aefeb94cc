"""Membership emails: an organization's admins hear of a request to join (a
moderator, when it has none or it is a claim), and the person hears when they
were approved. Each in its recipient's language (directory.accounts.mail);
every link uses the public base URL (directory.links)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from directory.accounts import mail
from directory.accounts.groups import MODERATORS
from directory.links import public_url
from directory.models import Membership, MembershipRequest


def _moderators():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(Q(is_superuser=True) | Q(groups__name=MODERATORS)).distinct()


def _admins(organization, *, now=None):
    admin_ids = (
        Membership.objects.current(now=now)
        .filter(organization=organization, role=Membership.Role.ADMIN)
        .values("user_id")
    )
    return get_user_model().objects.filter(pk__in=admin_ids, is_active=True).exclude(email="")


def request_recipient_users(membership_request):
    if membership_request.kind == MembershipRequest.Kind.CLAIM:
        users = list(_moderators())
    else:
        users = list(_admins(membership_request.organization)) or list(_moderators())
    applicant = membership_request.user.email
    by_email = {user.email: user for user in users if user.email != applicant}
    return [by_email[email] for email in sorted(by_email)]


def request_recipients(membership_request):
    return [user.email for user in request_recipient_users(membership_request)]


def tell_of_request(membership_request):
    """Mail the people who decide on this request. Returns how many were told."""
    claim = membership_request.kind == MembershipRequest.Kind.CLAIM
    if claim:
        link = public_url(reverse("steward_accounts:requests"))
    else:
        link = public_url(
            reverse("steward_accounts:members", args=[membership_request.organization_id])
        )
    applicant = membership_request.user
    return mail.send(
        request_recipient_users(membership_request),
        "directory/accounts/email/request",
        {
            "claim": claim,
            "person": applicant.get_full_name() or applicant.email,
            "email": applicant.email,
            "organization": membership_request.organization.title,
            "link": link,
        },
    )


def tell_approved(membership_request):
    return mail.send(
        [membership_request.user],
        "directory/accounts/email/approved",
        {
            "organization": membership_request.organization.title,
            "link": public_url(reverse("steward_accounts:mine")),
        },
    )

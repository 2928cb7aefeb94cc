"""Membership emails: an organization's admins hear of a request to join (a
moderator, when it has none or it is a claim), and the person hears when they
were approved. Every link uses the public base URL (directory.links)."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse

from directory.accounts.groups import MODERATORS
from directory.links import public_url
from directory.models import Membership, MembershipRequest


def _moderator_emails():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return set(
        users.filter(Q(is_superuser=True) | Q(groups__name=MODERATORS)).values_list(
            "email", flat=True
        )
    )


def _admin_emails(organization, *, now=None):
    return set(
        Membership.objects.current(now=now)
        .filter(organization=organization, role=Membership.Role.ADMIN, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def request_recipients(membership_request):
    if membership_request.kind == MembershipRequest.Kind.CLAIM:
        recipients = _moderator_emails()
    else:
        recipients = _admin_emails(membership_request.organization) or _moderator_emails()
    recipients.discard(membership_request.user.email)
    return sorted(recipients)


def tell_of_request(membership_request):
    """Mail the people who decide on this request. Returns how many were told."""
    recipients = request_recipients(membership_request)
    if not recipients:
        return 0
    person = membership_request.user.get_full_name() or membership_request.user.email
    organization = membership_request.organization.title
    asks = (
        f"asks to become the admin of {organization}"
        if membership_request.kind == MembershipRequest.Kind.CLAIM
        else f"asks to join {organization}"
    )
    if membership_request.kind == MembershipRequest.Kind.CLAIM:
        link = public_url(reverse("steward_accounts:requests"))
    else:
        link = public_url(
            reverse("steward_accounts:members", args=[membership_request.organization_id])
        )
    send_mail(
        f"{person} {asks}",
        f"{person} ({membership_request.user.email}) {asks} on Steward.\n\n"
        f"Approve or decline the request:\n{link}\n",
        None,
        recipients,
    )
    return len(recipients)


def tell_approved(membership_request):
    user = membership_request.user
    if not user.email:
        return 0
    organization = membership_request.organization.title
    link = public_url(reverse("steward_accounts:mine"))
    send_mail(
        f"You are now a member of {organization}",
        f"Your request to join {organization} on Steward was approved. You can now "
        f"edit and verify its listings.\n\nYour organizations:\n{link}\n",
        None,
        [user.email],
    )
    return 1

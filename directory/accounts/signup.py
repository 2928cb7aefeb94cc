"""Sign-up and email confirmation for professionals.

An account is made inactive, so it cannot sign in, and a link is mailed to the
work address. The link carries a signed, expiring token naming the account, its
address and the organization chosen; confirming it activates the account, adds
it to "Professionals" (workspace access), and either makes it a member at once
(the address is at a domain that organization registered, and not a public mail
service) or opens a membership request for the organization's admins.

An organization not yet listed is registered at sign-up as a draft page (never
live); confirming opens a "new organization" request that a moderator decides:
approving publishes the organization and makes the person its admin.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from directory.accounts import actions, mail
from directory.accounts.domains import email_domain, is_public_mail_domain
from directory.accounts.groups import PROFESSIONALS, ensure_role_groups
from directory.links import public_url
from directory.models import MembershipRequest, OrganizationDomain, OrganizationPage, Professional

TOKEN_SALT = "steward.accounts.confirm-email"  # noqa: S105 (a salt, not a secret)
TOKEN_MAX_AGE = dt.timedelta(days=3)


class ConfirmationError(Exception):
    """A confirmation link that cannot be used, with a message for the person."""


@dataclass
class Confirmation:
    user: object
    organization: object
    outcome: str  # "member" | "requested" | "registered" | "already confirmed"
    membership_request: object = None


def make_token(user, organization):
    return signing.dumps(
        {"user": user.pk, "email": user.email.lower(), "organization": organization.pk},
        salt=TOKEN_SALT,
        compress=True,
    )


def read_token(token, *, max_age=TOKEN_MAX_AGE):
    """(user, organization) for a valid token; ConfirmationError otherwise."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ConfirmationError(
            gettext("This confirmation link has expired. Sign up again to get a new one.")
        ) from error
    except signing.BadSignature as error:
        raise ConfirmationError(
            gettext("This confirmation link is not valid. Check that you copied the whole link.")
        ) from error
    User = get_user_model()
    user = User.objects.filter(pk=payload.get("user")).first()
    organization = OrganizationPage.objects.filter(pk=payload.get("organization")).first()
    if user is None or organization is None or user.email.lower() != payload.get("email"):
        raise ConfirmationError(gettext("This confirmation link no longer matches an account."))
    return user, organization


def draft_organization(*, name, website):
    """A new organization's page, saved as a draft under the home page: nobody sees
    it until a moderator approves the registration."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    parent = site.root_page if site else None
    if parent is None:
        raise ConfirmationError(gettext("The directory has no home page to add organizations to."))
    page = OrganizationPage(title=name.strip(), website=website.strip(), live=False)
    parent.add_child(instance=page)
    page.save_revision(log_action=False)
    return page


@transaction.atomic
def sign_up(
    *,
    first_name,
    last_name,
    email,
    password,
    organization=None,
    new_organization=None,
    account=None,
    request=None,
    now=None,
):
    """Make the inactive account (or refresh `account`, one that never confirmed)
    and mail the confirmation link. The caller has validated the input
    (directory.accounts.forms.SignUpForm). `new_organization` ({"name", "website"})
    registers an organization not yet listed, as a draft. Raises OSError
    (smtplib's errors among them) when the mail cannot be sent; nothing is saved."""
    now = now or timezone.now()
    email = email.strip()
    user = account or get_user_model()(is_active=False)
    user.username, user.email = email.lower(), email
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.set_password(password)
    user.save()
    profile, _created = Professional.objects.get_or_create(user=user, defaults={"created_at": now})
    # Their emails follow the language they signed up in until they choose one.
    profile.language = translation.get_language() or ""
    profile.save(update_fields=["language"])
    if new_organization:
        organization = draft_organization(**new_organization)
    # Inside the transaction: if the mail cannot be sent, no account is left
    # behind that would block signing up again.
    send_confirmation(user, organization, request=request)
    return user


def confirmation_url(user, organization, request=None):
    path = reverse("accounts:confirm", args=[make_token(user, organization)])
    return public_url(path, request)


def send_confirmation(user, organization, *, request=None):
    context = {
        "user": user,
        "organization": organization,
        "url": confirmation_url(user, organization, request),
        "days": TOKEN_MAX_AGE.days,
    }
    mail.send([user], "directory/accounts/email/confirm", context)


@transaction.atomic
def confirm_email(*, user, organization, now=None):
    """Activate the account and join (by domain) or ask to join the organization.
    Confirming twice changes nothing the second time."""
    now = now or timezone.now()
    profile, _ = Professional.objects.select_for_update().get_or_create(user=user)
    if profile.email_confirmed_at is not None:
        return Confirmation(user, organization, "already confirmed")
    profile.email_confirmed_at = now
    profile.save()
    user.is_active = True
    user.save(update_fields=["is_active"])
    user.groups.add(ensure_role_groups()[PROFESSIONALS])

    if not organization.live:
        membership_request = actions.register_organization(
            user=user, organization=organization, now=now
        )
        return Confirmation(user, organization, "registered", membership_request)
    domain = email_domain(user.email)
    registered = (
        not is_public_mail_domain(domain)
        and OrganizationDomain.objects.filter(domain=domain, organization=organization).exists()
    )
    if registered:
        actions.start_membership(user=user, organization=organization, now=now, via="domain")
        return Confirmation(user, organization, "member")
    pending = MembershipRequest.objects.pending().filter(user=user, organization=organization)
    membership_request = pending.first() or actions.request_membership(
        user=user, organization=organization, now=now
    )
    return Confirmation(user, organization, "requested", membership_request)

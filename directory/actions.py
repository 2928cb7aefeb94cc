"""Domain verbs on listings. Each runs in one transaction and writes Wagtail's log."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from wagtail.actions.unpublish_page import UnpublishPageAction

from directory.models import OrganizationPage, ServicePage
from directory.models.pages import ServiceStatus


def can_hard_delete(user):
    """Only a superuser may really delete a listing: Wagtail deletes a page's
    revisions with it, and listings' history must never be lost."""
    return bool(user and user.is_active and user.is_superuser)


@transaction.atomic
def retire_service(*, service, user):
    """ "Remove" a service: mark it defunct in a new revision, then unpublish it.

    The new revision starts from the live version, so nobody's pending draft is
    published by accident; the drafts stay in the history.
    """
    service = ServicePage.objects.select_for_update().get(pk=service.pk)
    if not service.permissions_for_user(user).can_unpublish():
        raise PermissionDenied("You may not remove this listing.")
    if service.status != ServiceStatus.DEFUNCT:
        service.status = ServiceStatus.DEFUNCT
        revision = service.save_revision(user=user, log_action=True)
        revision.publish(user=user)
        service.refresh_from_db()
    if service.live:
        UnpublishPageAction(service, user=user).execute(skip_permission_checks=True)
    return service


@transaction.atomic
def retire_organization(*, organization, user):
    """Unpublish an organization and mark each of its services defunct."""
    organization = OrganizationPage.objects.get(pk=organization.pk)
    if not organization.permissions_for_user(user).can_unpublish():
        raise PermissionDenied("You may not remove this organization.")
    for service in ServicePage.objects.child_of(organization):
        retire_service(service=service, user=user)
    organization.refresh_from_db()
    if organization.live:
        UnpublishPageAction(organization, user=user, include_descendants=True).execute(
            skip_permission_checks=True
        )
    return organization


def retire_listing(*, page, user):
    page = page.specific
    if isinstance(page, ServicePage):
        return retire_service(service=page, user=user)
    if isinstance(page, OrganizationPage):
        return retire_organization(organization=page, user=user)
    raise TypeError(f"{type(page).__name__} is not a listing")

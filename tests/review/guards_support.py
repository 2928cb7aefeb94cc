"""Roles and form data shared by the guards' tests (locks, stale saves, merges,
deletion, rate limits, the admin crawl)."""

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from directory.accounts.groups import EDITOR_PERMISSIONS
from directory.accounts.groups import editors_group as organization_editors
from steward.models import HomePage
from tests.factories import UserFactory, membership


def _access_admin(group):
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


def professional(username="pro"):
    """Signed in with access to the workspace, member of no organization."""
    user = UserFactory(username=username)
    user.groups.add(_access_admin(Group.objects.get_or_create(name="Professionals")[0]))
    return user


def member_of(organization, username="member"):
    """A current member of `organization`, with its editors' page rights."""
    user = professional(username)
    membership(user, organization)
    user.groups.add(organization_editors(organization))
    return user


def moderator(username="mod"):
    user = UserFactory(username=username)
    group = _access_admin(Group.objects.get_or_create(name="Moderators")[0])
    home = HomePage.objects.get()
    for codename in EDITOR_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=home,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    user.groups.add(group)
    return user


def superuser(username="root"):
    return UserFactory(username=username, is_superuser=True, is_staff=True)


def service_form(service, **fields):
    """The service editor's POST data for `service` as it stands, with `fields` changed."""
    links = list(service.service_at_locations.all())
    data = {
        "title": service.title,
        "slug": service.slug,
        "status": service.status,
        "description": service.description,
        "service_at_locations": inline_formset(
            [{"id": link.pk, "location": link.location_id} for link in links],
            initial=len(links),
        ),
        "phones": inline_formset(
            [
                {"id": p.pk, "number": p.number, "type": p.type, "location": p.location_id or ""}
                for p in service.phones.all()
            ],
            initial=service.phones.count(),
        ),
        "additional_urls": inline_formset([]),
        "hours": inline_formset(
            [
                {
                    "id": h.pk,
                    "weekday": h.weekday,
                    "opens_at": h.opens_at.strftime("%H:%M") if h.opens_at else "",
                    "closes_at": h.closes_at.strftime("%H:%M") if h.closes_at else "",
                    "location": h.location_id or "",
                }
                for h in service.hours.all()
            ],
            initial=service.hours.count(),
        ),
        **fields,
    }
    return nested_form_data(data)


def loaded_from(page_or_location):
    """The hidden fields an editor's form carries: the revision it was loaded from."""
    revision = page_or_location.latest_revision
    return {
        "loaded_revision_id": str(revision.pk),
        "loaded_revision_created_at": revision.created_at.isoformat(),
    }

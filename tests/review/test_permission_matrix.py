"""Roles × actions (issue 3, "Permission matrix"), each cell through real requests
to the admin's URLs (GET and crafted POST), never only through the tester.

Roles: anonymous, signed in without an organization ("outsider"), member of A,
admin of A, member of B, a privileged user (≥ 1000 points, Wilson ≥ 0.8; member
of a third organization C), moderator, superuser. Locks and members' management
belong to the guards and accounts work and are tested there.
"""

import pytest

from directory.models import ServicePage
from review.models import ReviewDecision
from review.moderation import actions as moderation
from tests.factories import membership
from tests.once import built_once
from tests.review.editing import latest, make_world, service_form
from tests.roles import professional

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "member_a",
    "admin_a",
    "member_b",
    "privileged",
    "moderator",
    "superuser",
]
PROFESSIONALS = set(ROLES) - {"anonymous"}
PUBLISHERS_OF_A = {"member_a", "admin_a", "privileged", "moderator", "superuser"}


@built_once
def world():
    """The editing tests' world, built once for the module's ~90 cells: each cell's
    requests (edits, publishes, deletes) are rolled back before the next."""
    return make_world()


@pytest.fixture
def as_role(client, world):
    membership(world.users.privileged, world.org_c)

    def sign_in(role):
        if role != "anonymous":
            client.force_login(getattr(world.users, role))
        return client

    return sign_in


def refused(response):
    """Wagtail refuses with 403, or by redirecting to the sign-in page or the dashboard."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and (
        "/login/" in response.url or response.url.rstrip("/") == "/admin"
    )


def suggest(client, user, service, **changes):
    client.force_login(user)
    data = service_form(latest(service), **changes)
    data["action-submit"] = "1"
    assert client.post(f"/admin/pages/{service.pk}/edit/", data).status_code == 302
    client.logout()


@pytest.mark.parametrize("role", ROLES)
def test_view_live(as_role, world, role):
    assert as_role(role).get(world.service_a.url).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_view_draft_and_preview(as_role, world, role):
    service = world.service_a
    client = as_role(role)
    draft = client.get(f"/admin/pages/{service.pk}/view_draft/")
    preview = client.post(f"/admin/pages/{service.pk}/edit/preview/", service_form(service))
    if role in PROFESSIONALS:
        assert draft.status_code == 200 and b"Alpha pantry" in draft.content
        assert preview.status_code == 200 and preview.json()["is_valid"]
    else:
        assert refused(draft) and refused(preview)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["service_a", "service_b"])
def test_edit_any_service(as_role, world, role, which):
    service = getattr(world, which)
    client = as_role(role)
    before = service.revisions.count()
    page = client.get(f"/admin/pages/{service.pk}/edit/")
    data = service_form(service, alert="Edited")
    saved = client.post(f"/admin/pages/{service.pk}/edit/", data)
    if role in PROFESSIONALS:
        assert page.status_code == 200
        assert saved.status_code == 302
        assert service.revisions.count() == before + 1
    else:
        assert refused(page) and refused(saved)
        assert service.revisions.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_publish_a_service_of_a(as_role, world, role):
    service = world.service_a
    client = as_role(role)
    data = service_form(service, alert="Published?")
    data["action-publish"] = "1"
    client.post(f"/admin/pages/{service.pk}/edit/", data)
    live = ServicePage.objects.get(pk=service.pk)
    assert (live.alert == "Published?") == (role in PUBLISHERS_OF_A)
    if role in PROFESSIONALS - PUBLISHERS_OF_A:
        assert latest(live).alert == "Published?"  # kept as a draft to submit


@pytest.mark.parametrize("role", ROLES)
def test_publish_a_service_of_b_only_for_its_members_and_the_privileged(as_role, world, role):
    service = world.service_b
    client = as_role(role)
    data = service_form(service, alert="Published?")
    data["action-publish"] = "1"
    client.post(f"/admin/pages/{service.pk}/edit/", data)
    published = ServicePage.objects.get(pk=service.pk).alert == "Published?"
    assert published == (role in {"member_b", "privileged", "moderator", "superuser"})


@pytest.mark.parametrize("role", ROLES)
def test_create_a_service_under_a(as_role, world, role):
    org = world.org_a
    client = as_role(role)
    url = f"/admin/pages/add/directory/servicepage/{org.pk}/"
    form = client.get(url)
    data = service_form(ServicePage(title="New clinic", slug="new-clinic"))
    data["action-publish"] = "1"
    client.post(url, data)
    created = ServicePage.objects.filter(slug="new-clinic").first()
    if role in PROFESSIONALS:
        assert form.status_code == 200
        assert created is not None
        assert created.live == (role in PUBLISHERS_OF_A)
    else:
        assert refused(form) and created is None


@pytest.mark.parametrize("role", ROLES)
def test_delete(as_role, world, role):
    service = world.service_a
    client = as_role(role)
    confirm = client.get(f"/admin/pages/{service.pk}/delete/")
    client.post(f"/admin/pages/{service.pk}/delete/")
    remaining = ServicePage.objects.filter(pk=service.pk).first()
    if role == "superuser":
        assert remaining is None  # the only hard delete
    elif role in PUBLISHERS_OF_A:
        assert confirm.status_code == 200 and b"never deleted" in confirm.content
        assert (remaining.live, remaining.status) == (False, "defunct")  # removed, kept
    else:
        assert refused(confirm)
        assert (remaining.live, remaining.status) == (True, "active")


@pytest.mark.parametrize("role", ROLES)
def test_view_revisions_and_compare(as_role, world, role):
    service = world.service_a
    client = as_role(role)
    revision = service.revisions.order_by("-created_at").first()
    history = client.get(f"/admin/pages/{service.pk}/history/")
    compare = client.get(f"/admin/pages/{service.pk}/revisions/compare/live...{revision.pk}/")
    if role in PROFESSIONALS:
        assert history.status_code == 200 and compare.status_code == 200
    else:
        assert refused(history) and refused(compare)


def _approve(client, service):
    return client.post(f"/admin/review/pending/{service.pk}/", {"action": "approve"})


@pytest.mark.parametrize("role", ROLES)
def test_approve_own_pending_edit(as_role, client, world, role):
    """Nobody approves their own suggestion, not even a moderator or a superuser."""
    service = world.service_b
    if role != "anonymous":
        suggest(client, getattr(world.users, role), service, alert="Mine")
    if not moderation.has_pending_changes(service):
        return  # a publisher's own edit is published, never pending
    response = _approve(as_role(role), service)
    assert response.status_code == 403
    assert ServicePage.objects.get(pk=service.pk).alert == ""
    assert not ReviewDecision.objects.exists()


@pytest.mark.parametrize("role", ["member_a", "admin_a", "member_b", "privileged"])
def test_approve_own_organizations_pending_edit(as_role, client, world, role):
    """A colleague's suggestion (same organization) is never theirs to approve.
    (Only roles with an organization have colleagues.)"""
    service = world.service_b
    colleague = professional(
        username=f"colleague_of_{role}", first_name=f"colleague_of_{role}".capitalize()
    )
    membership(colleague, world.org_a if role != "member_b" else world.org_b)
    if role == "privileged":
        colleague.memberships.update(organization=world.org_c)
    suggest(client, colleague, service, alert="Colleague's")
    if not moderation.has_pending_changes(service):
        assert role == "member_b"  # a member of B publishes B's listing directly
        return
    response = _approve(as_role(role), service)
    assert response.status_code == 403
    assert not ReviewDecision.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_approve_anothers_pending_edit(as_role, client, world, role):
    service = world.service_b
    suggest(
        client,
        professional(username="someone_else", first_name="Someone_else"),
        service,
        alert="Someone else's",
    )
    response = _approve(as_role(role), service)
    user = getattr(world.users, role, None)
    decided = user is not None and ReviewDecision.objects.filter(user=user).exists()
    live_alert = ServicePage.objects.get(pk=service.pk).alert
    if role in {"moderator", "superuser"}:
        assert decided and live_alert == "Someone else's"
    elif role == "privileged":  # a reviewer: the first of two approvals
        assert decided and live_alert == ""
    else:
        assert refused(response) or response.status_code == 403
        assert not decided and live_alert == ""

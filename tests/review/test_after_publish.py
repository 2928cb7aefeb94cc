"""Every published change refreshes what it changed (issue 12): a member's direct
publish, an approval, a rollback and an import all pass through directory's
`steward_after_publish` hook, which review answers with one verb. Through the
real admin screens; reputation read from the real ledger."""

from django.contrib.auth.models import Group

import pytest

from directory.models import Membership
from review.models import FieldFreshness, LedgerEvent, Verification
from tests.factories import OrganizationFactory, make_service
from tests.review.editing import latest, service_form
from tests.roles import professional

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganizationFactory(title="Alpha Aid")


@pytest.fixture
def service(org):
    return make_service(organization=org, title="Alpha pantry", phones=("(312) 555-0101",))


@pytest.fixture
def member(org):
    return professional(
        org, role=Membership.Role.MEMBER, username="member_a", first_name="Member_a"
    )


@pytest.fixture
def outsider():
    return professional(username="outsider", first_name="Outsider")


@pytest.fixture
def moderator():
    user = professional(username="moderator", first_name="Moderator")
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


def edit(client, user, service, action, **changes):
    client.force_login(user)
    data = service_form(latest(service), **changes)
    data[action] = "1"
    return client.post(f"/admin/pages/{service.pk}/edit/", data)


def edits(service):
    return Verification.objects.filter(page=service, kind=Verification.Kind.EDIT)


def accepted(user):
    return LedgerEvent.objects.filter(user=user, kind="edit_accepted").count()


def test_a_members_direct_publish_refreshes_the_phone_at_once_and_earns_nothing(
    client, service, member
):
    assert not edits(service).exists()
    response = edit(client, member, service, "action-publish", phones=["(312) 555-0177"])
    assert response.status_code == 302
    (verification,) = edits(service)
    assert verification.user == member
    assert verification.approver == member
    assert "phone" in verification.fields
    assert FieldFreshness.objects.get(page=service, field="phone").freshness > 0.99
    assert accepted(member) == 0  # self-publishing earns no reputation


def test_an_approval_records_the_editors_change_and_credits_them(
    client, service, outsider, moderator
):
    edit(client, outsider, service, "action-submit", phones=["(312) 555-0188"])
    assert not edits(service).exists()  # waiting: nothing published yet
    client.force_login(moderator)
    response = client.post(f"/admin/review/pending/{service.pk}/", {"action": "approve"})
    assert response.status_code == 302
    (verification,) = edits(service)
    assert (verification.user, verification.approver) == (outsider, moderator)
    assert "phone" in verification.fields
    assert accepted(outsider) == 1


def test_a_rollback_refreshes_what_it_restored_and_credits_no_one(
    client, service, member, moderator
):
    edit(client, member, service, "action-publish", phones=["(312) 555-0666"])
    client.force_login(moderator)
    response = client.post(
        f"/admin/history/{service.pk}/rollback/{member.pk}/", {"listing": [service.pk]}
    )
    assert response.status_code == 302
    assert ServicePage_phone(service) == "(312) 555-0101"
    rolled_back = edits(service).order_by("verified_at", "pk").last()
    assert rolled_back.user == moderator
    assert "phone" in rolled_back.fields
    assert accepted(member) == 0 and accepted(moderator) == 0


def ServicePage_phone(service):  # noqa: N802
    from directory.models import ServicePage

    return ServicePage.objects.get(pk=service.pk).phones.first().display

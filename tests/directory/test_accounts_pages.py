"""The membership screens stay light however many members and requests there are."""

from django.urls import reverse

import pytest

from directory.accounts import actions
from directory.models import OrganizationDomain
from tests.directory.accounts_support import member
from tests.factories import OrganizationFactory
from tests.roles import moderator, professional

pytestmark = pytest.mark.django_db

# Wagtail's admin page itself (session, user, menu, its permission checks) costs
# most of these; ours is a fixed handful whatever the number of rows.
MEMBERS_PAGE_BUDGET = 18
MINE_PAGE_BUDGET = 22
REQUESTS_PAGE_BUDGET = 14


def crowd(organization, n, prefix):
    for i in range(n):
        member(f"{prefix}-member-{i}", organization)
        actions.request_membership(
            user=professional(username=f"{prefix}-applicant-{i}", confirmed=True),
            organization=organization,
        )


@pytest.mark.parametrize("rows", [2, 12])
def test_the_members_page_has_a_query_budget(client, django_assert_max_num_queries, rows):
    organization = OrganizationFactory(title="Busy organization")
    admin = member("admin", organization, role="admin")
    crowd(organization, rows, "busy")
    OrganizationDomain.objects.create(organization=organization, domain="busy.example.org")
    client.force_login(admin)
    client.get(reverse("steward_accounts:members", args=[organization.pk]))  # warm caches
    with django_assert_max_num_queries(MEMBERS_PAGE_BUDGET):
        response = client.get(reverse("steward_accounts:members", args=[organization.pk]))
    assert response.status_code == 200
    assert response.content.count(b"End membership") == rows + 1
    assert response.content.count(b">Approve<") == rows
    assert b"busy.example.org" in response.content


@pytest.mark.parametrize("rows", [2, 8])
def test_my_organizations_has_a_query_budget(client, django_assert_max_num_queries, rows):
    user = professional(username="worker", confirmed=True)
    for i in range(rows):
        organization = OrganizationFactory(title=f"Org {i}")
        actions.start_membership(user=user, organization=organization, role="admin")
        actions.request_membership(user=user, organization=OrganizationFactory(title=f"Ask {i}"))
    client.force_login(user)
    client.get(reverse("steward_accounts:mine"))
    with django_assert_max_num_queries(MINE_PAGE_BUDGET):
        response = client.get(reverse("steward_accounts:mine"))
    assert response.status_code == 200
    assert response.content.count(b">Withdraw<") == rows
    assert response.content.count(b">Members<") == rows


@pytest.mark.parametrize("rows", [2, 12])
def test_the_moderators_request_list_has_a_query_budget(
    client, django_assert_max_num_queries, rows
):
    crowd(OrganizationFactory(title="First"), rows, "first")
    client.force_login(moderator())
    client.get(reverse("steward_accounts:requests"))
    with django_assert_max_num_queries(REQUESTS_PAGE_BUDGET):
        response = client.get(reverse("steward_accounts:requests"))
    assert response.status_code == 200
    assert response.content.count(b">Approve<") == rows


def test_a_bad_organization_in_the_moderators_picker_is_a_message_not_an_error(client):
    client.force_login(moderator())
    response = client.get(reverse("steward_accounts:requests"), {"organization": "nope"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content

from unittest import mock

from django.contrib.auth.models import AnonymousUser, Group

import pytest

from review import policy
from review.trust.standing import Standing
from tests.factories import OrganizationFactory, UserFactory, make_service, membership
from tests.review.roles import professionals_group

pytestmark = pytest.mark.django_db


def standing(points, good=0, bad=0):
    return mock.patch.object(policy, "standing_for", return_value=Standing(points, good, bad))


def test_members_publish_their_organizations_listings_and_no_one_elses():
    service = make_service()
    other = make_service()
    user = UserFactory()
    membership(user, service.get_parent().specific)
    assert policy.can_publish(user, service)
    assert not policy.can_publish(user, other)
    assert not policy.can_publish(AnonymousUser(), service)


def test_a_moderator_publishes_reviews_and_rolls_back_anything():
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    service = make_service()
    assert policy.is_moderator(user)
    assert policy.can_publish(user, service)
    assert policy.can_review(user, service)
    assert policy.can_rollback(user, service)


def test_publishing_anywhere_needs_1000_points_and_a_wilson_bound_of_0_8():
    user, service = UserFactory(), make_service()
    with standing(1000, good=40, bad=0):
        assert policy.can_publish(user, service)
    with standing(999, good=40, bad=0):
        assert not policy.can_publish(user, service)
    with standing(5000, good=9, bad=0):  # fewer than 10 judged items
        assert not policy.can_publish(user, service)
    with standing(5000, good=12, bad=8):
        assert not policy.can_publish(user, service)


def test_reviewers_never_review_their_own_organization_or_its_suggestions():
    service = make_service()
    own_org = service.get_parent().specific
    reviewer, elsewhere = UserFactory(), OrganizationFactory()
    reviewer.groups.add(professionals_group())  # a reviewer is a professional (policy.is_reviewer)
    with standing(500):
        assert policy.can_review(reviewer, service)
        assert policy.can_review(reviewer, service, editor_organizations=[elsewhere])
        membership(reviewer, elsewhere)
        assert not policy.can_review(reviewer, service, editor_organizations=[elsewhere])
        membership(reviewer, own_org)
        assert not policy.can_review(reviewer, service)
    with standing(499):
        assert not policy.can_review(reviewer, make_service())
    with standing(5000):  # points alone do not make someone without the workspace a reviewer
        assert not policy.can_review(UserFactory(), service)


def test_rollback_needs_2000_points_and_a_wilson_bound_of_0_8():
    user, service = UserFactory(), make_service()
    with standing(2000, good=40):
        assert policy.can_rollback(user, service)
    with standing(1999, good=40):
        assert not policy.can_rollback(user, service)

"""The privilege gates of review.policy, with reputation earned through real ledger
events (tests.roles.earn / give_points); nothing patches standing_for."""

from django.contrib.auth.models import AnonymousUser

import pytest

from review import policy
from review.trust.standing import standing_for
from tests.factories import OrganizationFactory, make_service, membership
from tests.roles import earn, give_points, moderator, professional

pytestmark = pytest.mark.django_db


def test_members_publish_their_organizations_listings_and_no_one_elses():
    service = make_service()
    other = make_service()
    user = professional(service.get_parent().specific)
    assert policy.can_publish(user, service)
    assert not policy.can_publish(user, other)
    assert not policy.can_publish(AnonymousUser(), service)


def test_a_moderator_publishes_reviews_and_rolls_back_anything():
    user = moderator()
    service = make_service()
    assert policy.is_moderator(user)
    assert policy.can_publish(user, service)
    assert policy.can_review(user, service)
    assert policy.can_rollback(user, service)


def test_publishing_anywhere_needs_1000_points_and_a_wilson_bound_of_0_8():
    service = make_service()
    assert policy.can_publish(give_points(professional(), 1000), service)  # 100 good judgments
    almost = earn(professional(), points=999, good=40)
    assert standing_for(almost).points == 999
    assert not policy.can_publish(almost, service)
    too_few_judged = earn(professional(), points=1000, good=9)  # fewer than 10 judged items
    assert standing_for(too_few_judged).wilson is None
    assert not policy.can_publish(too_few_judged, service)
    unreliable = earn(professional(), points=1000, good=12, bad=8)
    assert not policy.can_publish(unreliable, service)


def test_reviewers_never_review_their_own_organization_or_its_suggestions():
    service = make_service()
    own_org = service.get_parent().specific
    elsewhere = OrganizationFactory()
    reviewer = give_points(professional(), 500)
    assert policy.can_review(reviewer, service)
    assert policy.can_review(reviewer, service, editor_organizations=[elsewhere])
    membership(reviewer, elsewhere)
    assert not policy.can_review(reviewer, service, editor_organizations=[elsewhere])
    membership(reviewer, own_org)
    assert not policy.can_review(reviewer, service)
    short = earn(professional(), points=499)
    assert standing_for(short).points == 499
    assert not policy.can_review(short, make_service())


def test_points_alone_do_not_make_someone_without_the_workspace_a_reviewer():
    from tests.factories import UserFactory

    outsider = give_points(UserFactory(), 600)  # no access to the workspace
    assert not policy.is_reviewer(outsider)
    assert not policy.can_review(outsider, make_service())


def test_rollback_needs_2000_points_and_a_wilson_bound_of_0_8():
    service = make_service()
    assert policy.can_rollback(give_points(professional(), 2000), service)
    almost = earn(professional(), points=1999, good=40)
    assert standing_for(almost).points == 1999
    assert not policy.can_rollback(almost, service)

"""The reputation ledger: written once, replayed into standing."""

import datetime as dt

from django.contrib.auth.models import Group

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review import policy
from review.models import LedgerEvent
from review.models.ledger import ImmutableError
from review.trust.ledger import record_event
from review.trust.standing import standing_for, standings_for
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db

DAY0 = dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC)


def test_an_event_keeps_the_points_of_its_kind_and_its_judgment():
    user = UserFactory()
    service = make_service()
    event = record_event(user=user, kind="edit_accepted", page=service, at=DAY0)
    event.refresh_from_db()
    assert (event.points, event.judgment, event.page_id) == (5, "good", service.pk)
    reverted = record_event(user=user, kind="edit_reverted", at=DAY0)
    assert (reverted.points, reverted.judgment) == (-10, "bad")
    assert record_event(user=user, kind="report_upheld", at=DAY0).judgment == ""


def test_an_unknown_kind_is_refused():
    with pytest.raises(KeyError):
        record_event(user=UserFactory(), kind="gift")
    assert not LedgerEvent.objects.exists()


def test_events_are_never_updated_or_deleted():
    event = record_event(user=UserFactory(), kind="edit_accepted", at=DAY0)
    event.points = 500
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        LedgerEvent.objects.filter(pk=event.pk).update(points=500)
    with pytest.raises(ImmutableError):
        LedgerEvent.objects.all().delete()
    assert LedgerEvent.objects.get().points == 5


def test_standing_replays_the_ledger_with_the_floor_and_the_daily_cap():
    user = UserFactory()
    assert standing_for(user).points == 1
    for minute in range(50):  # 250 points offered, 200 counted that day
        record_event(user=user, kind="edit_accepted", at=DAY0 + dt.timedelta(minutes=minute))
    record_event(user=user, kind="edit_reverted", at=DAY0 + dt.timedelta(days=1))
    standing = standing_for(user)
    assert standing.points == 1 + 200 - 10
    assert (standing.good, standing.bad, standing.judged) == (50, 1, 51)
    assert standing.reliability == pytest.approx((7 + 50) / (10 + 51))
    record_event(user=user, kind="spam", at=DAY0 + dt.timedelta(days=2))
    record_event(user=user, kind="spam", at=DAY0 + dt.timedelta(days=2))
    assert standing_for(user).points == 1  # never below the floor


def test_recomputing_gives_the_same_totals_and_the_batch_agrees():
    users = [UserFactory() for _ in range(3)]
    for n, user in enumerate(users):
        for day in range(n + 2):
            record_event(user=user, kind="edit_reverified", at=DAY0 + dt.timedelta(days=day))
        record_event(user=user, kind="report_declined", at=DAY0 + dt.timedelta(days=9))
    first = {user.pk: standing_for(user) for user in users}
    assert first == {user.pk: standing_for(user) for user in users}
    assert standings_for(users) == first
    assert first[users[2].pk].points == 1 + 4 * 10 - 1


def test_points_recorded_at_the_time_survive_a_change_of_the_table(settings):
    user = UserFactory()
    record_event(user=user, kind="edit_accepted", at=DAY0)
    settings.STEWARD = {**settings.STEWARD, "TRUST": {"POINTS": {"edit_accepted": 50}}}
    assert standing_for(user).points == 1 + 5


def test_standings_for_many_users_costs_one_query(django_assert_num_queries):
    users = [UserFactory() for _ in range(5)]
    for user in users:
        record_event(user=user, kind="edit_accepted", at=DAY0)
    with django_assert_num_queries(1):
        standings = standings_for(users)
    assert {s.points for s in standings.values()} == {6}


def test_rollback_opens_at_2000_points_with_a_wilson_bound_of_0_8():
    """Real ledger events, replayed: the privilege follows the ledger."""
    user = UserFactory()
    service = make_service()
    # 20 re-verified edits a day (+200, the cap) for 10 days: 1 + 2000 points, 200 good.
    for day in range(10):
        for n in range(20):
            record_event(
                user=user,
                kind="edit_reverified",
                at=DAY0 + dt.timedelta(days=day, minutes=n),
            )
    assert standing_for(user).points == 2001
    assert policy.can_rollback(user, service)
    # A run of reverted edits drags the Wilson bound under 0.8 (and points under 2000).
    for n in range(50):
        record_event(
            user=user, kind="value_contradicted", at=DAY0 + dt.timedelta(days=11, minutes=n)
        )
    standing = standing_for(user)
    assert standing.points == 2001 and standing.wilson < 0.8
    assert not policy.can_rollback(user, service)


def test_rollback_stays_closed_below_2000_points_even_with_a_clean_record():
    user = UserFactory()
    for day in range(9):
        for n in range(20):
            record_event(
                user=user, kind="edit_reverified", at=DAY0 + dt.timedelta(days=day, minutes=n)
            )
    record_event(user=user, kind="edit_accepted", at=DAY0 + dt.timedelta(days=9))
    assert standing_for(user).points == 1806
    assert not policy.can_rollback(user, make_service())
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    assert policy.can_rollback(moderator, make_service())


def test_a_self_published_edit_earns_nothing():
    from review.trust.actions import record_approved_edit

    service = make_service()
    editor = UserFactory()
    record_approved_edit(service=service, fields=["phone"], approver=editor, editor=editor)
    assert not LedgerEvent.objects.exists()
    assert standing_for(editor).points == 1


KINDS = st.sampled_from(
    [
        "edit_accepted",
        "edit_reverified",
        "report_upheld",
        "report_declined",
        "edit_reverted",
        "verification_shown_wrong",
        "spam",
        "value_confirmed",
    ]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=st.lists(st.tuples(KINDS, st.integers(0, 60 * 24 * 5)), max_size=40))
def test_replaying_stored_events_is_idempotent(events):
    user = UserFactory()
    for kind, minutes in events:
        record_event(user=user, kind=kind, at=DAY0 + dt.timedelta(minutes=minutes))
    once = standing_for(user)
    assert standing_for(user) == once
    assert standings_for([user])[user.pk] == once
    assert once.points >= 1
    assert once.judged == sum(
        1 for kind, _ in events if kind not in ("report_upheld", "report_declined")
    )

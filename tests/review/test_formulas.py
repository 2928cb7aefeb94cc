"""The trust formulas of DESIGN.md §4 with their default numbers (no database)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.queue.priority import priority, severity
from review.trust.freshness import Vote, confidence, field_freshness, listing_freshness
from review.trust.reputation import LedgerEvent, reliability, reputation, wilson_lower_bound

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def days_ago(n):
    return NOW - dt.timedelta(days=n)


class TestFreshness:
    def test_a_value_is_half_fresh_after_one_half_life(self):
        assert field_freshness("phone", days_ago(365), now=NOW) == pytest.approx(0.5)

    def test_hours_verified_two_years_ago_are_a_quarter_fresh(self):
        assert field_freshness("hours", days_ago(730), now=NOW) == pytest.approx(0.25)

    def test_status_verified_a_year_ago_is_0_707_fresh(self):
        assert field_freshness("status", days_ago(365), now=NOW) == pytest.approx(0.7071, abs=1e-4)

    def test_a_value_never_verified_has_no_freshness(self):
        assert field_freshness("phone", None, now=NOW) == 0.0

    def test_a_listings_freshness_weighs_its_fields(self):
        listing = {
            "phone": days_ago(365),
            "hours": days_ago(365),
            "eligibility": days_ago(365),
            "status": days_ago(365),
            "address": NOW,
            "name": NOW,
        }
        expected = (3 * 0.5 * 3 + 3 * 2**-0.5 + 2 + 1) / 15
        assert listing_freshness(listing, now=NOW) == pytest.approx(expected)
        assert round(listing_freshness(listing, now=NOW), 3) == 0.641

    @given(
        field=st.sampled_from(["hours", "status", "name", "address"]),
        age=st.floats(min_value=-10, max_value=20_000),
        older=st.floats(min_value=0, max_value=5_000),
    )
    def test_freshness_stays_between_0_and_1_and_never_rises_with_age(self, field, age, older):
        young = field_freshness(field, NOW - dt.timedelta(days=age), now=NOW)
        old = field_freshness(field, NOW - dt.timedelta(days=age + older), now=NOW)
        assert 0.0 <= old <= young <= 1.0


class TestConfidence:
    def test_two_independent_organizations_at_0_7_give_0_91(self):
        votes = [Vote(0.7, 1, NOW), Vote(0.7, 2, NOW)]
        c = confidence(votes, listing_organization_id=99, half_life_days=365, now=NOW)
        assert c == pytest.approx(0.91)

    def test_three_users_of_one_organization_count_as_one_vote(self):
        votes = [Vote(0.7, 1, NOW), Vote(0.7, 1, NOW), Vote(0.7, 1, NOW)]
        c = confidence(votes, listing_organization_id=99, half_life_days=365, now=NOW)
        assert c == pytest.approx(0.70)

    def test_the_listings_own_organization_counts_for_0_6(self):
        votes = [Vote(1.0, 5, NOW)]
        c = confidence(votes, listing_organization_id=5, half_life_days=365, now=NOW)
        assert c == pytest.approx(0.6)

    def test_an_old_verification_counts_for_less(self):
        votes = [Vote(1.0, 1, days_ago(365))]
        c = confidence(votes, listing_organization_id=99, half_life_days=365, now=NOW)
        assert c == pytest.approx(0.5)


class TestReliabilityAndGates:
    def test_a_new_user_starts_at_0_7(self):
        assert reliability(0, 0) == pytest.approx(0.7)

    def test_reliability_moves_with_judged_work(self):
        assert reliability(10, 0) == pytest.approx(17 / 20)
        assert reliability(0, 10) == pytest.approx(7 / 20)

    def test_the_wilson_gate_stays_shut_before_ten_judged_items(self):
        assert wilson_lower_bound(9, 0) is None
        assert wilson_lower_bound(10, 0) == pytest.approx(0.7225, abs=1e-4)

    def test_the_wilson_lower_bound_at_z_1_96(self):
        # 90 good of 100: the textbook interval is [0.8256, 0.9448].
        assert wilson_lower_bound(90, 10) == pytest.approx(0.8256, abs=1e-4)


class TestReputation:
    def test_events_add_their_points(self):
        events = [
            LedgerEvent("edit_accepted", NOW, 1),
            LedgerEvent("edit_reverified", NOW, 2),
            LedgerEvent("report_upheld", NOW, 3),
            LedgerEvent("report_declined", NOW, 4),
        ]
        assert reputation(events) == 1 + 5 + 10 + 2 - 1

    def test_gains_are_capped_at_200_a_day_but_losses_are_not(self):
        many = [LedgerEvent("edit_accepted", NOW + dt.timedelta(minutes=i), i) for i in range(50)]
        assert reputation(many) == 1 + 200
        next_day = [LedgerEvent("edit_accepted", NOW + dt.timedelta(days=1), 100)]
        assert reputation(many + next_day) == 1 + 200 + 5
        revert = [LedgerEvent("edit_reverted", NOW + dt.timedelta(hours=1), 200)]
        assert reputation(many + revert) == 1 + 200 - 10

    def test_reputation_never_falls_below_1(self):
        events = [LedgerEvent("spam", NOW, 1), LedgerEvent("edit_accepted", NOW, 2)]
        assert reputation(events) == 6  # floored at 1 by the spam, then +5
        assert reputation([LedgerEvent("spam", NOW, 1)]) == 1

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "edit_accepted",
                        "edit_reverified",
                        "report_upheld",
                        "report_declined",
                        "verification_shown_wrong",
                        "edit_reverted",
                        "spam",
                    ]
                ),
                st.integers(min_value=0, max_value=60 * 24 * 5),
            ),
            max_size=80,
        ),
        st.randoms(),
    )
    def test_replaying_the_ledger_gives_the_same_total_whatever_the_order(self, rows, rnd):
        events = [
            LedgerEvent(kind, NOW + dt.timedelta(minutes=m), i) for i, (kind, m) in enumerate(rows)
        ]
        shuffled = list(events)
        rnd.shuffle(shuffled)
        total = reputation(events)
        assert reputation(shuffled) == total == reputation(events)
        assert total >= 1


class TestPriority:
    def test_a_busy_stale_listing(self):
        p = priority(freshness=0.2, views_30_days=1022, severity=1, hours_waiting=0)
        assert p == pytest.approx(8.0)

    def test_a_half_stale_crisis_listing(self):
        s = severity(["crisis"])
        p = priority(freshness=0.5, views_30_days=30, severity=s, hours_waiting=0)
        assert p == pytest.approx(7.5)

    def test_waiting_adds_0_02_an_hour_and_disputes_count_as_half_stale(self):
        fresh = priority(freshness=1.0, views_30_days=0, severity=1, hours_waiting=50)
        assert fresh == pytest.approx(1.0)
        disputed = priority(
            freshness=1.0, views_30_days=0, severity=1, hours_waiting=0, disputed=True
        )
        assert disputed == pytest.approx(0.5)

    def test_severity_takes_the_highest_family(self):
        assert severity(["legal", "food"]) == 3
        assert severity(["health"]) == 2
        assert severity(["education"]) == 1
        assert severity([]) == 1

import pytest

from impact.stats import wilson_interval
from review.trust.reputation import wilson_lower_bound


def test_wilson_interval_for_8_of_10_matches_the_published_figures():
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)


def test_wilson_interval_at_the_extremes_stays_inside_0_and_1():
    low, high = wilson_interval(0, 5)
    assert low == 0.0
    assert high == pytest.approx(0.4345, abs=1e-4)
    low, high = wilson_interval(5, 5)
    assert low == pytest.approx(0.5655, abs=1e-4)
    assert high == 1.0


def test_wilson_interval_is_none_without_reports():
    assert wilson_interval(0, 0) is None


def test_the_lower_end_agrees_with_the_privilege_gates_lower_bound():
    low, _ = wilson_interval(37, 45, z=1.96)
    assert low == pytest.approx(wilson_lower_bound(37, 8, z=1.96, min_judged=0))


def test_wilson_interval_refuses_impossible_counts():
    with pytest.raises(ValueError):
        wilson_interval(6, 5)

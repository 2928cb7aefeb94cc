"""`make simulate`, small: 40 listings over 60 simulated days, run twice with one seed
as the real command (a new process, its own fresh SQLite database each time)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"verified_within_365d", "wrong_value_share", "median_hours_wrong_live", "vandal_edits_live"}


def simulate(folder, seed):
    out, chart = folder / "simulate.json", folder / "simulate.svg"
    subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [
            sys.executable,
            "bench/simulate.py",
            "--services=40",
            "--days=60",
            f"--seed={seed}",
            f"--output={out}",
            f"--chart={chart}",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return json.loads(out.read_text()), chart.read_text()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    return simulate(first, 7), simulate(second, 7)


def test_the_json_has_both_worlds_the_seed_the_parameters_and_a_series(runs):
    (result, _), _ = runs
    assert result["seed"] == 7 and result["services"] == 40 and result["days"] == 60
    assert result["parameters"]["change_rate_per_year"]["phone"] > 0
    for world in ("steward", "reimport_only"):
        assert set(result[world]) >= KEYS
        assert 0 <= result[world]["verified_within_365d"] <= 1
        assert 0 <= result[world]["wrong_value_share"] <= 1
    days = [row["day"] for row in result["series"]]
    assert days[0] == 0 and days[-1] == 59 and days == sorted(days)
    # The real verbs ran: reminders were answered with verifications, vandals suggested.
    counts = result["steward"]["counts"]
    assert counts["verifications"] > 0 and counts["periodic_runs"] > 0
    assert counts["vandal_suggestions"] > 0
    # The public values are re-read only where an action ran; the full read every
    # 28 days finds nothing the cache missed.
    assert counts.get("shown_cache_mismatches", 0) == 0
    # Every wrong spell is timed at the event that starts or ends it; the nightly
    # reading finds none that no event timed, and the whole-night count is kept.
    assert counts.get("spells_timed_at_night", 0) == 0
    steward = result["steward"]
    assert steward["wrong_spells"] > 0
    assert 0 <= steward["wrong_spells_under_7_days"] <= 1
    assert steward["median_hours_wrong_live_nightly"] % 12 == 0  # whole nights (or a half)
    assert set(result["steward"]["wrong_value_days_by_cause"]) <= {
        "changed",
        "closed",
        "careless",
        "vandal",
    }


def test_the_same_seed_gives_the_same_json_and_chart(runs):
    (first, first_chart), (second, second_chart) = runs
    assert first == second
    assert first_chart == second_chart
    assert first_chart.startswith("<svg") and "Steward" in first_chart


def test_no_vandal_edit_was_ever_live_without_review(runs):
    (result, _), _ = runs
    steward = result["steward"]
    assert steward["vandal_edits_attempted"] > 0
    assert steward["vandal_edits_live"] == 0
    assert steward["counts"].get("rejected", 0) > 0

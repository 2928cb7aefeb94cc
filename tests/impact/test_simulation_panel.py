"""The data-quality panel shows `make simulate`'s figures and chart when its JSON exists."""

import json

import pytest

pytestmark = pytest.mark.django_db

RESULT = {
    "seed": 12,
    "services": 2000,
    "days": 730,
    "steward": {"wrong_value_share": 0.0234, "verified_within_365d": 0.97},
    "reimport_only": {"wrong_value_share": 0.1875, "verified_within_365d": 0.6},
    "series": [
        {"day": 0, "steward": 0.0, "reimport_only": 0.0},
        {"day": 7, "steward": 0.02, "reimport_only": 0.05},
        {"day": 14, "steward": 0.03, "reimport_only": 0.1},
    ],
}


def dashboard(client, analyst):
    client.force_login(analyst)
    response = client.get("/admin/impact/")
    assert response.status_code == 200
    return response.content.decode()


def with_results(settings, path):
    settings.STEWARD = {**settings.STEWARD, "SIMULATION_RESULTS": path}


def test_the_panel_shows_the_simulation_figures_and_chart(client, analyst, settings, tmp_path):
    path = tmp_path / "simulate-latest.json"
    path.write_text(json.dumps(RESULT))
    with_results(settings, path)
    html = dashboard(client, analyst)
    assert "The two-year simulation" in html
    assert "Seed 12, 2000 listings, 730 simulated days" in html
    assert "Steward 2.3%, yearly re-import only 18.8%" in html
    assert '<figure data-chart="simulation"><svg' in html
    assert "<polyline" in html


def test_without_the_file_the_dashboard_still_works(client, analyst, settings, tmp_path):
    with_results(settings, tmp_path / "missing.json")
    html = dashboard(client, analyst)
    assert "Data quality" in html
    assert "The two-year simulation" not in html


def test_a_broken_file_is_not_an_error(client, analyst, settings, tmp_path):
    path = tmp_path / "simulate-latest.json"
    path.write_text("{not json")
    with_results(settings, path)
    html = dashboard(client, analyst)
    assert "Data quality" in html and "The two-year simulation" not in html

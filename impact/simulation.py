"""The simulation's figures on the data-quality panel (`make simulate`, bench/simulate.py).

Reads the JSON file named by settings.STEWARD["SIMULATION_RESULTS"] when it exists;
the dashboard works the same without it (nothing is shown).
"""

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from impact.charts import simulation_svg

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Simulation:
    seed: int
    services: int
    days: int
    steward: dict
    reimport_only: dict
    chart: str

    @property
    def steward_wrong(self):
        return f"{self.steward['wrong_value_share']:.1%}"

    @property
    def reimport_wrong(self):
        return f"{self.reimport_only['wrong_value_share']:.1%}"


def results_path():
    path = getattr(settings, "STEWARD", {}).get("SIMULATION_RESULTS")
    return Path(path) if path else None


def latest_simulation():
    """The last simulation's figures and chart, or None (no file, or unreadable)."""
    path = results_path()
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Simulation(
            seed=data["seed"],
            services=data["services"],
            days=data["days"],
            steward=data["steward"],
            reimport_only=data["reimport_only"],
            chart=simulation_svg(data),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("Simulation results %s not shown: %s", path, exc)
        return None

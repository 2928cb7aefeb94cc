"""The periodic-job contract every app plugs into (`steward_periodic_jobs` hook).

A hook returns a list of `Job`; the project's `manage.py run_periodic` runs those
that are due. Here, in directory, because every app may import directory and no
app may import the project package.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

PERIODIC_JOBS_HOOK = "steward_periodic_jobs"


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    run: Callable[..., object]  # called as run(now=now)

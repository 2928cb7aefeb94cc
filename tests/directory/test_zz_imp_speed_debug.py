"""Issue 10, part A: real 211 data imported faithfully. Repeated ids keep their
rows, debris is cleaned (raw kept), hours in words are kept, 211 codes land on the
browse categories, the source's dates drive the badges, bad rows are reported and
an organization lands whole or not at all. Through the import_hsds command and the
public pages, on the samples in ../shared/data."""

import datetime as dt
from pathlib import Path

import pytest

from directory.models import (
    ServiceSchedule,
)

SHARED = Path(__file__).parents[2].parent / "shared" / "data"
ILAO = SHARED / "ilao-legal-aid"
OHANA = SHARED / "ohana-sample"
ICAROL = SHARED / "icarol-sample" / "resources.csv"


@pytest.mark.django_db
def test_hours_in_words_are_kept_and_shown(home, client, tmp_path):
    folder = ilao_copy(tmp_path, "hours")
    services = named_services(folder)[:3]
    crisis, clinic, seasonal = services
    rows = [
        {"id": "", "service_id": crisis["id"], "weekday": "", "opens_at": "", "closes_at": "",
         "description": "Mobile crisis team answers 24/7, every day of the year"},
        {"id": "", "service_id": clinic["id"], "weekday": "", "opens_at": "", "closes_at": "",
         "description": "2nd and 4th Tuesday of the month, 9am-noon"},
        {"id": "", "service_id": seasonal["id"], "weekday": "Saturday", "opens_at": "10:00",
         "closes_at": "14:00", "description": "", "valid_from": "2026-06-01",
         "valid_to": "2026-09-30"},
    ]  # fmt: skip
    schedules = read(folder / "regular_schedules.csv")
    fields = [*schedules[0], "description", "valid_from", "valid_to"]
    write(folder / "regular_schedules.csv", schedules + rows, fields)
    write(
        folder / "holiday_schedules.csv",
        [{"id": "h1", "service_id": seasonal["id"], "start_date": "2026-12-24",
          "end_date": "2026-12-26", "closed": "true", "opens_at": "", "closes_at": ""}],
    )  # fmt: skip

    run(folder)

    page = service_for(crisis["id"])
    html = client.get(page.url).content.decode()
    for r in ServiceSchedule.objects.filter(service=page):
        print(
            "ROW",
            r.location_id,
            r.weekday,
            r.valid_from,
            r.valid_to,
            r.rule,
            repr(r.description),
            r.opens_at,
        )
    print("LINKS", list(page.service_at_locations.values_list("location_id", flat=True)))

    m = html[html.find('id="where-h"') : html.find('id="where-h"') + 3000]
    print("HTML", m)
    assert "Mobile crisis team answers 24/7, every day of the year" in html
    assert "Call for hours" not in html

    page = service_for(clinic["id"])
    row = ServiceSchedule.objects.get(service=page)
    assert row.rule == "FREQ=MONTHLY;BYDAY=2TU,4TU"
    assert (row.opens_at, row.closes_at) == (dt.time(9), dt.time(12))
    html = client.get(page.url).content.decode()
    assert "2nd and 4th Tuesday of the month, 9am–noon" in html.replace("9:00 am", "9am")

    page = service_for(seasonal["id"])
    rows = ServiceSchedule.objects.filter(service=page)
    weekly = rows.get(weekday=6)
    assert (weekly.valid_from, weekly.valid_to) == (dt.date(2026, 6, 1), dt.date(2026, 9, 30))
    closure = rows.get(weekday=None)
    assert (closure.valid_from, closure.valid_to, closure.closed) == (
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 26),
        True,
    )

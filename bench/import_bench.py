"""`make bench-import`: how fast `import_hsds` takes in a ~4,000-service package.

1. Builds the package under bench/.work/import-package/: ILAO's real HSDS 1.x
   export (../shared/data/ilao-legal-aid, 429 services) replicated --copies times
   (default 10: 4,290 services, 5,200 locations, 330 organizations), every id
   prefixed with its copy's number so each copy is new data, names suffixed so
   the listings differ.
2. Makes a fresh database (SQLite under bench/.work/, or PostgreSQL from
   BENCH_DATABASE_URL, whose name must contain "bench") and migrates it.
3. Times `manage.py import_hsds` end to end (a new process: reading, planning,
   writing, indexing), then the same package again (unchanged: nothing written).
4. Writes bench/results/<date>-import-<db>.json and prints services per second.
"""

import argparse
import csv
import datetime as dt
import json
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (  # noqa: E402 - bench/ is not a package
    PYTHON,
    RESULTS,
    ROOT,
    WORK,
    database_kind,
    database_url,
    database_version,
    fresh_database,
    log,
    manage,
    server_env,
)

SAMPLE = ROOT.parent / "shared" / "data" / "ilao-legal-aid"
ID_COLUMNS = re.compile(r"^(id|.*_id)$")


def build_package(copies, folder):
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    services = 0
    for source in sorted(SAMPLE.glob("*.csv")):
        with open(source, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            fields, rows = reader.fieldnames, list(reader)
        with open(folder / source.name, "w", encoding="utf-8", newline="") as f:
            out = csv.DictWriter(f, fieldnames=fields)
            out.writeheader()
            for copy in range(copies):
                for row in rows:
                    new = dict(row)
                    for column in fields:
                        if ID_COLUMNS.match(column) and new[column].strip():
                            new[column] = f"c{copy}-{new[column]}"
                    if copy and new.get("name", "").strip() and "name" in fields:
                        new["name"] = f"{new['name']} ({copy + 1})"
                    out.writerow(new)
                    if source.name == "services.csv" and new["name"].strip():
                        services += 1
    return services


def timed_import(env, folder):
    started = time.monotonic()
    out = subprocess.run(
        [str(PYTHON), "manage.py", "import_hsds", str(folder), "--source", "bench", "--show", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return time.monotonic() - started, out


def service_counts(output):
    match = re.search(r"service\s+(\d+) created, (\d+) updated, (\d+) unchanged", output)
    return tuple(int(n) for n in match.groups()) if match else (0, 0, 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    folder = WORK / "import-package"
    services = build_package(args.copies, folder)
    log(f"package: {services} services ({args.copies} copies of {SAMPLE.name})")
    url = database_url().replace("bench.sqlite3", "bench-import.sqlite3")
    kind = database_kind(url)
    fresh_database(url)
    env = server_env(url)
    manage(env, "migrate", "--noinput", "-v", "0")
    first, out1 = timed_import(env, folder)
    created = service_counts(out1)
    log(f"first import: {first:.1f} s, {services / first:.0f} services/s {created}")
    second, out2 = timed_import(env, folder)
    unchanged = service_counts(out2)
    log(f"unchanged re-import: {second:.1f} s, {services / second:.0f} services/s {unchanged}")
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": kind,
        "database_version": database_version(url),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "package": f"{SAMPLE.name} x{args.copies}, ids renumbered per copy",
        "services": services,
        "first_import": {
            "seconds": round(first, 2),
            "services_per_second": round(services / first, 1),
            "services_created_updated_unchanged": created,
        },
        "unchanged_reimport": {
            "seconds": round(second, 2),
            "services_per_second": round(services / second, 1),
            "services_created_updated_unchanged": unchanged,
        },
        "summary": out1.splitlines()[:12],
    }
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{stamp}-import-{kind}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""`make bench-import`: how fast `import_hsds` takes in a ~4,000-service package.

1. Builds the package under bench/.work/import-package/: ILAO's real HSDS 1.x
   export (../shared/data/ilao-legal-aid, 429 services) replicated --copies times
   (default 10: 4,290 services, 5,200 locations, 330 organizations), every id
   prefixed with its copy's number so each copy is new data, names suffixed so
   the listings differ.
2. For each database: SQLite (a fresh file under bench/.work/), then PostgreSQL
   when BENCH_DATABASE_URL is set (its name must contain "bench"; it is dropped
   and created afresh), migrated.
3. Times `manage.py import_hsds` end to end (a new process: start-up, reading,
   planning, writing, indexing), then the same package again (unchanged: every
   source unit's content hash is the same, so nothing is planned or written;
   directory/hsds/unchanged.py). Beside the wall time it records the process's CPU time and the
   machine's load average (2 cores shared with other work: wall time alone
   says as much about the neighbours as about the import), the import's own
   time (the figure import_hsds prints, without the interpreter and Django
   start-up) and, as the floor of any end-to-end run, the start-up alone
   (`manage.py check`) measured in the same run.
4. Writes bench/results/<date>-import-<db>.json and prints services per second
   against the goals (first import >= 200/s, unchanged re-import >= 2,000/s).

Options: --copies N (10), --only sqlite|postgresql.
"""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import resource
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
    database_version,
    fresh_database,
    log,
    manage,
    server_env,
)

SAMPLE = ROOT.parent / "shared" / "data" / "ilao-legal-aid"
ID_COLUMNS = re.compile(r"^(id|.*_id)$")
GOALS = {"first_import": 200, "unchanged_reimport": 2000}


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


def _timed(command, env):
    """(wall seconds, CPU seconds of the child, stdout, load average before)."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    out = subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out, load


def timed_import(env, folder):
    command = [str(PYTHON), "manage.py", "import_hsds", str(folder)]
    return _timed([*command, "--source", "bench", "--show", "0"], env)


def startup(env):
    return _timed([str(PYTHON), "manage.py", "check"], env)


def own_seconds(output):
    """The import's own time, as import_hsds reports it ("... in 12.3 s.")."""
    match = re.search(r" in ([0-9.]+) s\.", output)
    return float(match.group(1)) if match else None


def service_counts(output):
    match = re.search(r"service\s+(\d+) created, (\d+) updated, (\d+) unchanged", output)
    return tuple(int(n) for n in match.groups()) if match else (0, 0, 0)


def run(url, folder, services, copies):
    kind = database_kind(url)
    log(f"{kind}: fresh database, migrating")
    fresh_database(url)
    env = server_env(url)
    manage(env, "migrate", "--noinput", "-v", "0")
    start_wall, start_cpu, _, _ = startup(env)
    log(f"{kind}: start-up alone (manage.py check): {start_wall:.1f} s")
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": kind,
        "database_version": database_version(url),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "package": f"{SAMPLE.name} x{copies}, ids renumbered per copy",
        "services": services,
        "startup": {"seconds": round(start_wall, 2), "cpu_seconds": round(start_cpu, 2)},
    }
    outputs = []
    for name in ("first_import", "unchanged_reimport"):
        wall, cpu, out, load = timed_import(env, folder)
        outputs.append(out)
        own = own_seconds(out)
        rate = services / wall
        result[name] = {
            "seconds": round(wall, 2),
            "services_per_second": round(rate, 1),
            "cpu_seconds": round(cpu, 2),
            "services_per_cpu_second": round(services / cpu, 1) if cpu else None,
            "import_seconds_without_startup": own,
            "services_per_second_without_startup": round(services / own, 1) if own else None,
            "load_average_1min_before": round(load, 2),
            "goal_services_per_second": GOALS[name],
            "goal_met": rate >= GOALS[name],
            "services_created_updated_unchanged": service_counts(out),
        }
        log(
            f"{kind}: {name.replace('_', ' ')}: {wall:.1f} s, {rate:.0f} services/s "
            f"(goal {GOALS[name]}; CPU {cpu:.1f} s; without start-up "
            f"{services / own if own else 0:.0f}/s; load {load:.1f}) "
            f"{result[name]['services_created_updated_unchanged']}"
        )
    result["summary"] = outputs[0].splitlines()[:12]
    result["reimport_summary"] = [
        line for line in outputs[1].splitlines() if "unchanged" in line or "Imported" in line
    ][:12]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{stamp}-import-{kind}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {path.relative_to(ROOT)}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    folder = WORK / "import-package"
    services = build_package(args.copies, folder)
    log(f"package: {services} services ({args.copies} copies of {SAMPLE.name})")
    urls = [f"sqlite:///{WORK / 'bench-import.sqlite3'}"]
    if os.environ.get("BENCH_DATABASE_URL"):
        urls.append(os.environ["BENCH_DATABASE_URL"])
    else:
        log("PostgreSQL skipped: set BENCH_DATABASE_URL=postgres://.../steward_bench_import")
    for url in urls:
        if args.only in (None, database_kind(url)):
            run(url, folder, services, args.copies)


if __name__ == "__main__":
    main()

"""`make bench-api`: the HSDS API's `format=ndjson` stream at 10,000 and 100,000
services: time and memory, against a ceiling measured in the same run.

For each size (--sizes, default 10000,100000):

1. a fresh database (SQLite under bench/.work/, or PostgreSQL from
   BENCH_DATABASE_URL, whose name must contain "bench"), migrated, with
   `generate_listings --services N --seed 1`;
2. for each stream (the list shape `?format=ndjson` and the nested
   `?format=ndjson&full=true`), two new processes (bench/ndjson_probe.py) that GET
   it through Django's whole request path (production settings) and read every
   line: one for wall time and resident memory (VmRSS sampled while streaming),
   one for the Python heap's peak (tracemalloc);
3. the ceiling, timed in the same processes: the same services read by the same
   keyset loop as plain rows and written as JSON lines (no serializer, no HTTP).

Memory is flat when the peak at 100,000 is about the one at 10,000
(`heap_ratio_largest_to_smallest` near 1). Writes
bench/results/<date>-ndjson-<db>.json and prints a table.
"""

import argparse
import datetime as dt
import json
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
    git_commit,
    log,
    machine,
    manage,
    server_env,
)

STREAMS = {
    "list": "/api/hsds/services?format=ndjson",
    "full": "/api/hsds/services?format=ndjson&full=true",
}
SEED = 1


def bench_url():
    import os

    url = os.environ.get("BENCH_DATABASE_URL")
    return url or f"sqlite:///{WORK / 'api-bench.sqlite3'}"


def probe(env, path, mode):
    out = subprocess.run(
        [str(PYTHON), str(ROOT / "bench" / "ndjson_probe.py"), path, mode],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(size, streams, env, url):
    WORK.mkdir(parents=True, exist_ok=True)
    fresh_database(url)
    log(f"{size:,} services: migrating and generating (seed {SEED})…")
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "generate_listings", "--services", str(size), "--seed", str(SEED))
    row = {"services": size, "build_s": round(time.monotonic() - started, 1), "streams": {}}
    for name in streams:
        path = STREAMS[name]
        log(f"{size:,} services: streaming {path}…")
        timed = probe(env, path, "rss")
        traced = probe(env, path, "trace")
        if not timed["lines"] == traced["lines"] == timed["total_items"]:
            sys.exit(f"the stream did not give every service: {timed} {traced}")
        row["streams"][name] = {
            "path": path,
            "lines": timed["lines"],
            "megabytes": round(timed["bytes"] / 2**20, 1),
            "seconds": round(timed["seconds"], 2),
            "services_per_s": round(timed["lines"] / timed["seconds"]),
            "ceiling_s": round(timed["ceiling_s"], 2),
            "time_ratio_to_ceiling": round(timed["seconds"] / timed["ceiling_s"], 1),
            "rss_before_mb": round(timed["rss_before_mb"], 1),
            "rss_peak_mb": round(timed["rss_peak_mb"], 1),
            "rss_growth_mb": round(timed["rss_growth_mb"], 1),
            "heap_peak_mb": round(traced["heap_peak_mb"], 2),
        }
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--streams", default="list,full")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    streams = [s for s in args.streams.split(",") if s]
    url = bench_url()
    env = server_env(url)
    kind = database_kind(url)
    report = {
        "bench": "ndjson",
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": database_version(url) if kind == "postgresql" else kind,
        "machine": machine(),
        "sizes": [],
    }
    if kind == "sqlite":
        report["database"] = database_version(url)
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"{stamp}-ndjson-{kind}.json"
    for size in sizes:
        report["sizes"].append(measure(size, streams, env, url))
        # Written after each size, so a long run that is stopped keeps what it measured.
        out.write_text(json.dumps(report, indent=2) + "\n")
    first, last = report["sizes"][0], report["sizes"][-1]
    report["ratios_largest_to_smallest"] = {
        name: {
            "services": last["services"] / first["services"],
            "heap_peak": round(
                last["streams"][name]["heap_peak_mb"] / first["streams"][name]["heap_peak_mb"], 2
            ),
            "rss_peak": round(
                last["streams"][name]["rss_peak_mb"] / first["streams"][name]["rss_peak_mb"], 2
            ),
            "seconds_per_service": round(
                (last["streams"][name]["seconds"] / last["services"])
                / (first["streams"][name]["seconds"] / first["services"]),
                2,
            ),
        }
        for name in streams
    }
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"\n{'services':>9} {'stream':>6} {'s':>8} {'/s':>6} {'x ceil':>7} "
        f"{'heap MB':>8} {'RSS MB':>7} {'RSS +MB':>8}"
    )
    for row in report["sizes"]:
        for name, s in row["streams"].items():
            print(
                f"{row['services']:>9,} {name:>6} {s['seconds']:>8} {s['services_per_s']:>6} "
                f"{s['time_ratio_to_ceiling']:>7} {s['heap_peak_mb']:>8} {s['rss_peak_mb']:>7} "
                f"{s['rss_growth_mb']:>8}"
            )
    print(json.dumps(report["ratios_largest_to_smallest"], indent=2))
    log(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

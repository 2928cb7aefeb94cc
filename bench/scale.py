"""`make bench-scale`: Steward at 100,000 listings (or more) on PostgreSQL.

1. Drops and creates the PostgreSQL database named by BENCH_SCALE_DATABASE_URL
   (default postgres://postgres@127.0.0.1:5432/steward_bench_scale; the name must
   contain "bench"), migrates it and runs `generate_listings --services N --seed 1`
   (timed: `import_services_per_s`). `--reuse` keeps a database already built.
2. `trust_scan_s`: the periodic freshness recompute (review.jobs.refresh_freshness)
   plus the review scan (review.queue.scan) over every listing, as run_periodic
   runs them, timed together.
3. Single-client latency, in one process with Django's test client (production
   settings, no HTTP server, no page cache: every URL is asked for once, after a
   warm-up on other URLs), p50 and p95 for:
   - "search": keyword searches near Chicago ZIP codes (words, synonyms, Spanish);
   - "open-now search": the same with open_now=1;
   - "service page": random published services.
4. Writes bench/results/<stamp>-scale-postgresql.json (and .md) with the rows, the
   goals and whether each is met.

Options: --services N (100000), --requests R per row (200), --reuse.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/steward_bench_scale"

# Goals at 100,000 listings (issue 14); at 1,000,000 only search has one.
GOALS_100K = {
    "search_p50_ms": 50,
    "open_now_p50_ms": 50,
    "service_page_p50_ms": 30,
    "trust_scan_s": 60,
    "import_services_per_s": 200,
}
GOALS_1M = {"search_p50_ms": 150}

QUERIES = [
    "food",
    "food pantry",
    "pantries",
    "legal aid",
    "lawyer",
    "housing",
    "shelter",
    "rent help",
    "dentist",
    "job training",
    "clothing",
    "child care",
    "counseling",
    "comida",
    "vivienda",
    "abogado",
    "free meals",
    "tax help",
    "bus pass",
    "health clinic",
]
ZIPS = ["60601", "60612", "60640", "60623", "60615", "60647", "60201", "60302", "60453", "60004"]


def log(message):
    print(f"[bench-scale] {message}", flush=True)


def env_for(url):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "steward.settings.production",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "STEWARD_PUBLIC_URL": "https://bench.example.org",
            "DATABASE_URL": url,
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(BENCH / ".work" / "scale-static"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("REDIS_URL", None)
    return env


def fresh_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name) or "bench" not in name:
        sys.exit(f'The database "{name}" is dropped and recreated: use a name containing "bench".')
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(env, *args):
    command = [str(PYTHON), "manage.py", *args, "--skip-checks"]
    return subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def build(url, env, services):
    log("fresh database")
    fresh_database(url)
    log("migrate")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    log(f"generate_listings --services {services} --seed 1")
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    out = manage(env, "generate_listings", "--services", str(services), "--seed", "1")
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    log(out.strip().splitlines()[-1] if out.strip() else "generated")
    return {
        "generate_s": round(seconds, 1),
        "import_services_per_s": round(services / seconds, 1),
        # The generator's own CPU time (the database server's is not counted):
        # what the rate would be on an idle machine with a free core for it.
        "generate_cpu_s": round(cpu, 1),
        "import_services_per_cpu_s": round(services / cpu, 1) if cpu else None,
        "load_average_at_start": round(load, 1),
        "load_average_at_end": round(os.getloadavg()[0], 1),
    }


# --- measuring (runs inside Django: `scale.py --measure`) ----------------------


def percentiles(samples):
    ordered = sorted(samples)

    def at(q):
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "requests": len(ordered),
        "p50_ms": round(at(0.5) * 1000, 1),
        "p95_ms": round(at(0.95) * 1000, 1),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
    }


def timed_gets(client, urls):
    samples = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return samples


def _keep_partial(part, figures):
    """Each part's figures are also kept on their own as soon as it ends
    (bench/.work/scale-<part>.json), so a run cut short keeps what it measured."""
    work = BENCH / ".work"
    work.mkdir(exist_ok=True)
    stamped = {**figures, "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    stamped["load_average"] = round(os.getloadavg()[0], 1)
    (work / f"scale-{part}.json").write_text(json.dumps(stamped, indent=2) + "\n")


def measure(requests, part):
    import django

    django.setup()
    from django.test import Client
    from django.utils import timezone

    from directory.models import ServicePage
    from review.jobs import refresh_freshness
    from review.queue.scan import scan

    figures = {"services": ServicePage.objects.count()}
    if part == "ndjson" and (BENCH / ".work" / "scale-skip-ndjson").exists():
        # Left out on purpose for this run (the file says why).
        reason = (BENCH / ".work" / "scale-skip-ndjson").read_text().strip()
        print(json.dumps({"ndjson_export_s": None, "ndjson_skipped": reason}))
        return
    if part == "ndjson":
        # The whole HSDS API stream (format=ndjson: every listed service, keyset
        # paged, no offset), read line by line as a partner's bulk client would.
        import tracemalloc

        tracemalloc.start()
        start = time.perf_counter()
        response = Client().get("/api/hsds/services", {"format": "ndjson"})
        if response.status_code != 200:
            raise SystemExit(f"the ndjson stream answered {response.status_code}")
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        figures["ndjson_export_s"] = round(time.perf_counter() - start, 1)
        figures["ndjson_services"] = lines
        figures["ndjson_heap_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        print(json.dumps(figures))
        return
    if part == "trust":
        now = timezone.now()
        start, cpu = time.perf_counter(), time.process_time()
        refresh_freshness(now=now)
        freshness = time.perf_counter() - start
        freshness_cpu = time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        result = scan(now=now)
        review = time.perf_counter() - start
        review_cpu = time.process_time() - cpu
        figures["trust_scan_s"] = round(freshness + review, 1)
        figures["trust_scan_parts_s"] = {
            "freshness": round(freshness, 1),
            "review_scan": round(review, 1),
        }
        # This process's own CPU time (the database server's is not counted).
        figures["trust_scan_cpu_s"] = {
            "freshness": round(freshness_cpu, 1),
            "review_scan": round(review_cpu, 1),
        }
        figures["trust_scan_result"] = str(result)
        _keep_partial(part, figures)
        print(json.dumps(figures))
        return

    rng = random.Random(1)
    client = Client()
    combos = [(q, z) for q in QUERIES for z in ZIPS]
    rng.shuffle(combos)

    def search_urls(extra, count, offset):
        chosen = [combos[(offset + i) % len(combos)] for i in range(count)]
        return [f"/search/?{urlencode({'q': q, 'near': z, **extra})}" for q, z in chosen]

    ids = list(ServicePage.objects.live().values_list("pk", flat=True))
    sample = rng.sample(ids, min(len(ids), 2 * requests + 20))
    pages = {p.pk: p.url for p in ServicePage.objects.filter(pk__in=sample)}
    service_urls = [pages[pk] for pk in sample if pk in pages]

    rows = {}
    timed_gets(client, search_urls({}, 10, len(combos) // 2))  # warm-up: other URLs
    rows["search"] = percentiles(timed_gets(client, search_urls({}, requests, 0)))
    rows["open-now search"] = percentiles(
        timed_gets(client, search_urls({"open_now": "1"}, requests, 7))
    )
    timed_gets(client, service_urls[:10])
    rows["service page"] = percentiles(timed_gets(client, service_urls[10 : 10 + requests]))
    figures["rows"] = rows
    _keep_partial(part, figures)
    print(json.dumps(figures))


def markdown(report):
    lines = [
        f"# bench-scale, {report['services']:,} listings, PostgreSQL ({report['when']})",
        "",
        "| row | p50 ms | p95 ms | requests |",
        "|---|---|---|---|",
    ]
    for name, row in report["rows"].items():
        lines.append(f"| {name} | {row['p50_ms']} | {row['p95_ms']} | {row['requests']} |")
    lines += [
        "",
        f"- import_services_per_s: {report.get('import_services_per_s', 'n/a')} "
        f"(per CPU second of the generator: {report.get('import_services_per_cpu_s', 'n/a')}; "
        f"load average {report.get('load_average_at_start')} to "
        f"{report.get('load_average_at_end')})",
        f"- trust_scan_s: {report.get('trust_scan_s')} ({report.get('trust_scan_parts_s')})",
        f"- ndjson_export_s: {report.get('ndjson_export_s')} "
        f"({report.get('ndjson_services')} services, heap peak "
        f"{report.get('ndjson_heap_peak_mb')} MB)",
        "",
        "| goal | target | measured | met |",
        "|---|---|---|---|",
    ]
    for goal in report["goals"]:
        lines.append(f"| {goal['name']} | {goal['target']} | {goal['measured']} | {goal['met']} |")
    return "\n".join(lines) + "\n"


def goals(report):
    targets = GOALS_100K if report["services"] < 500_000 else GOALS_1M
    measured = {
        "search_p50_ms": report["rows"]["search"]["p50_ms"],
        "open_now_p50_ms": report["rows"]["open-now search"]["p50_ms"],
        "service_page_p50_ms": report["rows"]["service page"]["p50_ms"],
        "trust_scan_s": report.get("trust_scan_s"),
        "import_services_per_s": report.get("import_services_per_s"),
    }
    out = []
    for name, target in targets.items():
        value = measured[name]
        if value is None:
            met = "not measured"
        elif name == "import_services_per_s":
            met = value >= target
        else:
            met = value <= target
        out.append({"name": name, "target": target, "measured": value, "met": met})
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--measure", choices=["rows", "trust", "ndjson"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--trust-timeout", type=int, default=1800, help="Give up the trust scan after S seconds."
    )
    args = parser.parse_args(argv)
    if args.measure:
        sys.path.insert(0, str(ROOT))
        measure(args.requests, args.measure)
        return
    url = os.environ.get("BENCH_SCALE_DATABASE_URL", DEFAULT_URL)
    env = env_for(url)
    report = {"when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    if not args.reuse:
        report.update(build(url, env, args.services))
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")

    def run_part(part, timeout=None):
        report.setdefault("load_average_before", {})[part] = round(os.getloadavg()[0], 1)
        out = subprocess.run(
            [str(PYTHON), str(Path(__file__)), "--measure", part, "--requests", str(args.requests)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])

    log("measuring latency")
    report.update(run_part("rows"))
    log("measuring the trust scan")
    try:
        report.update(run_part("trust", timeout=args.trust_timeout))
    except subprocess.TimeoutExpired:
        report["trust_scan_s"] = None
        report["trust_scan_parts_s"] = f"did not finish within {args.trust_timeout} s"
    log("measuring the ndjson stream")
    try:
        report.update(run_part("ndjson", timeout=args.trust_timeout))
    except subprocess.TimeoutExpired:
        report["ndjson_export_s"] = None
    report["database"] = "postgresql"
    report["machine"] = {"platform": platform.platform(), "cpus": os.cpu_count()}
    report["goals"] = goals(report)
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{stamp}-scale-postgresql.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    path.with_suffix(".md").write_text(markdown(report))
    print(markdown(report))
    log(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

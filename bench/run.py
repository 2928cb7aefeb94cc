"""`make bench`: how fast Steward serves its public pages, against a ceiling.

1. Builds a fresh database under bench/.work/ (SQLite; or PostgreSQL from
   BENCH_DATABASE_URL) with `migrate` and `generate_listings --services N --seed 1`,
   and collects static files.
2. Serves Steward with gunicorn (production settings, 2 workers, loopback, a free
   port), and beside it bench/minimal_app.py, one Django view with no database,
   served the same way: the ceiling.
3. Warms each URL up, then measures requests per second and p50/p99 latency for
   the home page, a search, a service page and the ceiling, with wrk when it is
   installed (the script installs Debian's wrk when it runs as root), otherwise
   with a small threaded Python client (keep-alive, loopback only).
4. Writes JSON and a markdown table to bench/results/ and prints the ratios.

The load generator runs on the same machine as the server, so the numbers are
for comparing runs on one machine, not absolute capacity.

BENCH_REDIS_URL=redis://host:6379/N serves with Redis as the shared cache (as in
production); without it each worker caches pages in its own memory.

Options: --services N (10000), --duration S (10), --warmup S (3),
--connections C (8), --workers W (2), --reuse (keep an existing bench database).
PostgreSQL: BENCH_DATABASE_URL=postgres://user@host:5432/NAME; the database
is dropped and created afresh, so its NAME must contain "bench".
"""

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
RESULTS = BENCH / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SEED = 1


def log(message):
    print(f"[bench] {message}", flush=True)


# --- Set-up ---------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{WORK / 'bench.sqlite3'}"


def database_kind(url):
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def server_env(url):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "steward.settings.production",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Production refuses a local public URL; the bench only reads pages.
            "STEWARD_PUBLIC_URL": "https://bench.example.org",
            "DATABASE_URL": url,
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(WORK / "static"),
            "MEDIA_ROOT": str(WORK / "media"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("REDIS_URL", None)
    # The shared cache production uses (pages, view counts, rate limits); without
    # it each gunicorn worker has its own local-memory cache.
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    return env


def manage(env, *args, capture=False):
    command = [str(PYTHON), "manage.py", *args]
    if args[0] != "shell":
        # System checks are `make check`'s job; here they would only stop a measurement.
        command.append("--skip-checks")
    if capture:
        return subprocess.run(
            command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return ""


def fresh_database(url):
    """Remove the SQLite file, or drop and create the PostgreSQL database."""
    if database_kind(url) == "sqlite":
        path = Path(urlsplit(url).path)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name) or "bench" not in name:
        sys.exit(
            f'BENCH_DATABASE_URL names the database "{name}"; the benchmark drops and '
            'recreates it, so use a plain name (letters, digits, _) containing "bench" '
            "(or pass --reuse)."
        )
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_version(url):
    if database_kind(url) == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SHOW server_version").fetchone()[0].join(("PostgreSQL ", ""))


def build(url, env, services, reuse):
    timings = {}
    marker = WORK / f"database-{database_kind(url)}.json"
    wanted = {"url": url, "services": services, "seed": SEED}
    if reuse and marker.exists() and json.loads(marker.read_text()) == wanted:
        log("Reusing the existing bench database (--reuse).")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        return timings
    marker.unlink(missing_ok=True)
    fresh_database(url)
    started = time.monotonic()
    log("Migrating a fresh database…")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    timings["migrate_s"] = round(time.monotonic() - started, 1)
    log(f"Generating {services:,} listings (seed {SEED})…")
    started = time.monotonic()
    manage(env, "generate_listings", "--services", str(services), "--seed", str(SEED))
    timings["generate_s"] = round(time.monotonic() - started, 1)
    marker.write_text(json.dumps(wanted))
    return timings


SERVICE_URL_SCRIPT = """
from directory.models import ServicePage
pages = ServicePage.objects.live().filter(status="active").order_by("pk")
page = pages[pages.count() // 2]
print("SERVICE_URL=" + page.get_url())
"""


def service_url(env):
    out = manage(env, "shell", "--no-imports", "-c", SERVICE_URL_SCRIPT, capture=True)
    for line in out.splitlines():
        if line.startswith("SERVICE_URL="):
            url = line.split("=", 1)[1].strip()
            # get_url() is absolute when several sites exist; keep the path.
            return urlsplit(url).path or "/"
    raise RuntimeError(f"Could not find a service page URL in: {out!r}")


class Server:
    """A gunicorn process on a free loopback port, stopped by its own pid."""

    def __init__(self, name, app, env, workers, worker_class, chdir=ROOT):
        self.name = name
        self.port = free_port()
        self.log_path = WORK / f"gunicorn-{name}.log"
        command = [
            str(GUNICORN),
            app,
            "--chdir",
            str(chdir),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT
        )

    def wait_until_ready(self, path, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited; see {self.log_path}")
            try:
                status, _ = fetch(self.port, path)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} server not ready after {timeout} s; see {self.log_path}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def fetch(port, path, headers=()):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        extra = dict(header.split(": ", 1) for header in headers)
        conn.request("GET", path, headers={"Host": "localhost", **extra})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- Load -------------------------------------------------------------------------


def find_wrk(allow_install):
    found = shutil.which("wrk")
    if found or not allow_install:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk is missing; installing Debian's wrk (set BENCH_NO_INSTALL=1 to skip)…")
        result = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"], capture_output=True, text=True
        )
        if result.returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], capture_output=True)
        return shutil.which("wrk")
    return None


# A person's browser, not a robot (see run_wrk).
AGENT = "Mozilla/5.0 (X11; Linux x86_64) steward-bench"
UNCACHED_COOKIE = "Cookie: bench_uncached=1"
# Issue 14's goals, as shares of the ceiling measured in the same run.
GOALS = {"service page": 0.50, "service page (uncached)": 0.08, "search": 0.04}


def run_wrk(wrk, port, path, *, duration, connections, headers=()):
    threads = max(1, min(connections, os.cpu_count() or 1))
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "30s",
        "-H",
        "Host: localhost",
        # A person's browser, not a robot: impact counts views only for people, and
        # that count (an increment in the cache per service-page view) is measured.
        "-H",
        f"User-Agent: {AGENT}",
        *[arg for header in headers for arg in ("-H", header)],
        "-s",
        str(BENCH / "wrk_report.lua"),
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("WRK_JSON "):
            data = json.loads(line[len("WRK_JSON ") :])
            break
    else:
        raise RuntimeError(f"wrk printed no summary:\n{out}")
    seconds = data["duration_us"] / 1e6
    errors = data["errors"]
    return {
        "requests": data["requests"],
        "seconds": round(seconds, 2),
        "rps": round(data["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(data["latency_us"]["p50"] / 1000, 2),
        "p90_ms": round(data["latency_us"]["p90"] / 1000, 2),
        "p99_ms": round(data["latency_us"]["p99"] / 1000, 2),
        "max_ms": round(data["latency_us"]["max"] / 1000, 2),
        "non_2xx_3xx": errors["status"],
        "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
    }


def run_python_client(port, path, *, duration, connections, headers=(), max_requests=500_000):
    """Threads with keep-alive connections, for `duration` seconds (or max_requests)."""
    latencies, statuses, errors = [], {}, [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration
    budget = [max_requests]

    def worker():
        conn, mine, my_status = None, [], {}
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            try:
                extra = dict(header.split(": ", 1) for header in headers)
                conn.request(
                    "GET", path, headers={"Host": "localhost", "User-Agent": AGENT, **extra}
                )
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                conn.close()
                conn = None
                continue
            mine.append(time.perf_counter() - started)
            my_status[response.status] = my_status.get(response.status, 0) + 1
            if response.will_close:
                conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(mine)
            for status, count in my_status.items():
                statuses[status] = statuses.get(status, 0) + count

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    latencies.sort()

    def percentile(q):
        if not latencies:
            return 0.0
        return round(latencies[min(len(latencies) - 1, int(q / 100 * len(latencies)))] * 1000, 2)

    return {
        "requests": len(latencies),
        "seconds": round(seconds, 2),
        "rps": round(len(latencies) / seconds, 1) if seconds else 0.0,
        "p50_ms": percentile(50),
        "p90_ms": percentile(90),
        "p99_ms": percentile(99),
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else 0.0,
        "non_2xx_3xx": sum(c for s, c in statuses.items() if not 200 <= s < 400),
        "socket_errors": errors[0],
    }


def measure(tool, port, path, *, duration, warmup, connections, headers=()):
    def load(seconds):
        if tool:
            return run_wrk(
                tool, port, path, duration=seconds, connections=connections, headers=headers
            )
        return run_python_client(
            port, path, duration=seconds, connections=connections, headers=headers
        )

    if warmup > 0:
        load(warmup)
    return load(duration)


# --- Report -----------------------------------------------------------------------


def machine():
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        # Other work on the machine skews the numbers; this says how busy it was.
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def git_commit():
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += "-dirty"
    return commit


def markdown(report):
    lines = [
        f"# Steward benchmark, {report['date']}",
        "",
        f"- machine: {report['machine']['nproc']} CPUs, {report['machine']['cpu']}, "
        f"load average at start {report['machine']['load_average_at_start']}",
        f"- database: {report['database']}, {report['services']:,} generated services; "
        f"page cache: {report.get('cache', '?')}",
        f"- commit: {report['commit']}",
        f"- server: gunicorn, {report['workers']} {report['worker_class']} workers, "
        f"production settings; load: {report['load_tool']}, {report['connections']} "
        f"connections, {report['duration_s']} s per URL after {report['warmup_s']} s warm-up",
        "",
        "| page | URL | status | req/s | p50 ms | p99 ms | vs ceiling | errors |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in report["results"]:
        errors = row["non_2xx_3xx"] + row["socket_errors"]
        lines.append(
            f"| {row['name']} | `{row['path']}` | {row['status']} | {row['rps']:,.1f} | "
            f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['ratio']:.1%} | {errors} |"
        )
    if report.get("build"):
        lines += ["", f"Build: {json.dumps(report['build'])}"]
    lines.append("")
    return "\n".join(lines)


# --- Main -------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database")
    parser.add_argument("--python-client", action="store_true", help="don't use wrk")
    args = parser.parse_args(argv)

    WORK.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    host = machine()
    url = database_url()
    env = server_env(url)
    build_timings = build(url, env, args.services, args.reuse)
    log("Collecting static files…")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    service_path = service_url(env)

    tool = None if args.python_client else find_wrk(not os.environ.get("BENCH_NO_INSTALL"))
    tool_name = "wrk" if tool else "python threads (http.client)"
    log(f"Load generator: {tool_name}")

    # "service page" is what the public gets (from the page cache after the first
    # request); "(uncached)" sends a cookie the page cache does not know, which
    # makes every request render (directory/pagecache.py: NEUTRAL_COOKIES).
    pages = [
        ("home", "/", ()),
        ("search", "/search/?q=food&near=60601", ()),
        ("service page", service_path, ()),
        ("service page (uncached)", service_path, (UNCACHED_COOKIE,)),
    ]
    servers, results = [], []
    try:
        steward = Server(
            "steward", "steward.wsgi:application", env, args.workers, args.worker_class
        )
        servers.append(steward)
        ceiling = Server(
            "minimal", "minimal_app:application", env, args.workers, args.worker_class, chdir=BENCH
        )
        servers.append(ceiling)
        steward.wait_until_ready("/healthz")
        ceiling.wait_until_ready("/")
        targets = [("minimal Django view (ceiling)", ceiling, "/", ())] + [
            (name, steward, path, headers) for name, path, headers in pages
        ]
        for name, server, path, headers in targets:
            status, body = fetch(server.port, path, headers)
            if status != 200:
                log(f"warning: {name} {path} answered {status}; measuring it anyway")
            log(f"Measuring {name}: {path}")
            row = measure(
                tool,
                server.port,
                path,
                duration=args.duration,
                warmup=args.warmup,
                connections=args.connections,
                headers=headers,
            )
            row.update({"name": name, "path": path, "status": status, "bytes": len(body)})
            if headers:
                row["headers"] = list(headers)
            results.append(row)
    finally:
        for server in servers:
            server.stop()

    ceiling_rps = results[0]["rps"] or 1.0
    for row in results:
        row["ratio"] = round(row["rps"] / ceiling_rps, 4)

    now = dt.datetime.now(dt.UTC)
    report = {
        "date": now.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": host,
        "database": database_version(url),
        "cache": "Redis" if os.environ.get("BENCH_REDIS_URL") else "local memory per worker",
        "services": args.services,
        "seed": SEED,
        "commit": git_commit(),
        "workers": args.workers,
        "worker_class": args.worker_class,
        "load_tool": tool_name,
        "connections": args.connections,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "build": build_timings,
        "results": results,
    }
    stem = f"{now.strftime('%Y%m%d-%H%M%S')}-{database_kind(url)}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    table = markdown(report)
    (RESULTS / f"{stem}.md").write_text(table)
    print()
    print(table)
    for row in results[1:]:
        goal = GOALS.get(row["name"])
        verdict = ""
        if goal is not None:
            verdict = f" (goal {goal:.0%}: {'met' if row['ratio'] >= goal else 'MISSED'})"
        print(
            f"{row['name']}: {row['rps']:,.1f} req/s = {row['ratio']:.1%} of the ceiling{verdict}"
        )
    log(f"Wrote bench/results/{stem}.json and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())

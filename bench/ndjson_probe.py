"""One measurement for bench/api_bench.py, in its own process (production settings,
the bench database): stream GET PATH (format=ndjson) through Django's full request
path and report time, lines, bytes and memory as JSON on stdout.

    python bench/ndjson_probe.py PATH rss|trace

rss: wall time and the process's resident memory (VmRSS) sampled while streaming;
trace: the Python heap's peak during the stream (tracemalloc; slower, so its time
is not reported). Both also time the ceiling: the same services read by the same
keyset loop as plain rows (id, name, status) and written as JSON lines, with no
serializer, no prefetching and no HTTP: the least a stream of them can cost.
"""

import json
import os
import sys
import time
import tracemalloc

import django


def rss_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def stream(client, path, *, sample):
    response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200 or not response.streaming:
        sys.exit(f"GET {path}: {response.status_code}, streaming={response.streaming}")
    lines = size = 0
    peak = rss_mb()
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
        if sample and lines % 500 == 0:
            peak = max(peak, rss_mb())
    response.close()
    return lines, size, peak


def ceiling():
    from directory.hsds.serialize import listed_services

    ordered = listed_services().order_by("pk").values_list("pk", "uuid", "title", "status")
    last, lines = 0, 0
    started = time.perf_counter()
    while True:
        chunk = list(ordered.filter(pk__gt=last)[:200])
        if not chunk:
            break
        for _pk, uid, title, status in chunk:
            json.dumps({"id": str(uid), "name": title, "status": status})
            lines += 1
        last = chunk[-1][0]
    return time.perf_counter() - started, lines


def main():
    path, mode = sys.argv[1], sys.argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings.production")
    django.setup()
    from django.test import Client

    client = Client()
    warm = client.get("/api/hsds/services?per_page=1", HTTP_HOST="127.0.0.1")
    if warm.status_code != 200:
        sys.exit(f"GET /api/hsds/services: {warm.status_code}")
    total = json.loads(warm.content)["total_items"]
    ceiling_s, ceiling_lines = ceiling()
    result = {"path": path, "mode": mode, "total_items": total, "ceiling_s": ceiling_s}
    before = rss_mb()
    if mode == "trace":
        tracemalloc.start()
        lines, size, _ = stream(client, path, sample=False)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["heap_peak_mb"] = peak / 2**20
    else:
        started = time.perf_counter()
        lines, size, peak = stream(client, path, sample=True)
        result["seconds"] = time.perf_counter() - started
        result["rss_before_mb"] = before
        result["rss_peak_mb"] = peak
        result["rss_growth_mb"] = peak - before
    result.update({"lines": lines, "bytes": size, "ceiling_lines": ceiling_lines})
    print(json.dumps(result))


if __name__ == "__main__":
    main()

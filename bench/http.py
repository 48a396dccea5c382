"""The bench's own small HTTP clients: wrk for throughput, and what wrk cannot do.

- `wrk()`: closed-loop throughput and latency percentiles (bench/report.lua prints them).
- `steady()`: an open-loop client at a fixed rate (requests are due on a clock, and a late one
  counts from when it was due, so a slow server cannot hide its queue).
- `rush()`: N requests sent at the same instant over N open connections.
"""

from __future__ import annotations

import http.client
import json
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPORT_LUA = Path(__file__).with_name("report.lua")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation): p99 of 500 samples is the 495th."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int


def wrk(url: str, *, connections: int, seconds: int, headers: dict[str, str]) -> WrkResult:
    """One wrk run; the JSON line of report.lua, in requests per second and milliseconds."""
    command = [
        shutil.which("wrk") or "wrk",
        "-t",
        str(min(2, connections)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(REPORT_LUA),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    errors = data["non_2xx"] + data["connect_errors"] + data["read_errors"] + data["timeouts"]
    if data["requests"] == 0:
        # Not one answer within the run: its latency is at least the run, never a 0 that "meets".
        whole = seconds * 1000.0
        return WrkResult(rps=0.0, p50_ms=whole, p95_ms=whole, p99_ms=whole, requests=0, errors=1)
    return WrkResult(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        requests=data["requests"],
        errors=errors,
    )


class Connection:
    """A keep-alive connection that reconnects when the server closed it."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
                return response.status, dict(response.getheaders()), content
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


@dataclass
class SteadyResult:
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int


def steady(
    host: str,
    port: int,
    requests: list[tuple[str, dict[str, str]]],
    *,
    rate: float,
    seconds: float,
    clients: int = 16,
) -> SteadyResult:
    """`rate` requests per second for `seconds`, cycling through `requests` (path, headers).

    Latency is measured from the moment a request was due, not from when a free client sent it.
    """
    total = int(rate * seconds)
    due: queue.Queue = queue.Queue()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def client() -> None:
        connection = Connection(host, port)
        while True:
            item = due.get()
            if item is None:
                return
            index, due_at = item
            path, headers = requests[index % len(requests)]
            delay = due_at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            try:
                status, _, _ = connection.request("GET", path, headers)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - due_at) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    # Hand out each request shortly before it is due: a client busy with a slow answer leaves it
    # to another one.
    for index in range(total):
        due_at = start + index / rate
        wait = due_at - 0.05 - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        due.put((index, due_at))
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.join()
    return SteadyResult(
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        requests=len(latencies),
        errors=errors[0],
    )


@dataclass
class RushResult:
    seconds: float
    statuses: dict[int, int]
    latencies_ms: list[float]


def rush(
    host: str,
    port: int,
    warm: list[tuple[str, dict[str, str]]],
    send: list[tuple[str, dict[str, str], bytes]],
) -> RushResult:
    """Open one connection per request, warm it with a GET (so that the connection and the
    session are there), then send every POST at once. The time is from the release of the first
    request to the last answer."""
    barrier = threading.Barrier(len(send) + 1)
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    ends: list[float] = []
    lock = threading.Lock()
    released = [0.0]

    def one(index: int) -> None:
        connection = Connection(host, port)
        path, headers = warm[index]
        connection.request("GET", path, headers)
        post_path, post_headers, body = send[index]
        barrier.wait()
        sent = time.perf_counter()
        try:
            status, _, _ = connection.request("POST", post_path, post_headers, body)
        except OSError:
            status = 0
        end = time.perf_counter()
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append((end - sent) * 1000)
            ends.append(end)

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(len(send))]
    for thread in threads:
        thread.start()
    barrier.wait()
    released[0] = time.perf_counter()
    for thread in threads:
        thread.join()
    return RushResult(seconds=max(ends) - released[0], statuses=statuses, latencies_ms=latencies)

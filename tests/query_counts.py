"""Exact query-count baselines, kept in tests/query_counts.json and checked by one helper.

A page that runs 8 queries today and 14 tomorrow has grown an N+1 or lost a join: comparing
"few rows" with "many rows" alone lets both drift together, so every measurement is compared
with its recorded number, exactly. Record or refresh the numbers with

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest tests/...

which writes what it measured instead of comparing (and still fails when one name measures two
different counts in the run: a count that grows with the rows is never a baseline). See
docs/query-counts.md. Like NetBox's utilities/testing/query_counts.py.
"""

import contextlib
import fcntl
import json
import os
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

BASELINES = Path(__file__).with_name("query_counts.json")
UPDATE_VARIABLE = "UPDATE_QUERY_COUNTS"
SQL_SHOWN = 400
# Quoted strings and numbers: what differs between the queries of an N+1.
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")

# Read once per test process: a run compares against the file as it was when the run began.
_baselines: dict[str, int] | None = None
# What each name measured in this process, and in which test: the same name must always
# measure the same count, whichever number of rows the test made.
_measured: dict[str, tuple[int, str]] = {}


def updating() -> bool:
    return os.environ.get(UPDATE_VARIABLE) == "1"


@contextlib.contextmanager
def assert_query_count(name: str):
    """The block runs exactly the queries recorded for `name` (yields the capture)."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    check(name, captured.captured_queries)


def assert_request_query_count(
    name: str, client, url: str, data=None, *, method: str = "get", status: int = 200, **extra
):
    """Send the request twice and count the second: the first warms what a process keeps
    between requests (ContentType and Site caches, the API key's last-use stamp, a session's
    first write), so that the count does not depend on which test ran before. Returns the
    counted response, for the test's own assertions."""
    send = getattr(client, method)
    warm_up = send(url, data, **extra)
    assert warm_up.status_code == status, (url, warm_up.status_code)
    with CaptureQueriesContext(connection) as captured:
        response = send(url, data, **extra)
    assert response.status_code == status, (url, response.status_code)
    check(name, captured.captured_queries)
    return response


def check(name: str, queries: list[dict]) -> None:
    """Compare (or, when updating, record) the number of `queries` for `name`."""
    count = len(queries)
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
    earlier = _measured.setdefault(name, (count, test))
    if updating():
        if earlier[0] != count:
            pytest.fail(
                f"Query count {name!r}: {count} queries now, {earlier[0]} before in this run "
                f"({earlier[1]}). One name, one count: it must not grow with the rows.\n"
                + listing(queries),
                pytrace=False,
            )
        _record(name, count)
        return
    baselines = _load()
    if name not in baselines:
        pytest.fail(
            f"No query-count baseline {name!r} in {BASELINES.name} ({count} queries measured). "
            f"Record it with: {UPDATE_VARIABLE}=1 .venv/bin/pytest '{test or '<this test>'}'",
            pytrace=False,
        )
    expected = baselines[name]
    if count != expected:
        pytest.fail(
            f"Query count {name!r}: {count} queries, the baseline is {expected}. If the change "
            f"is intended, record it with {UPDATE_VARIABLE}=1 and commit {BASELINES.name}.\n"
            + listing(queries),
            pytrace=False,
        )


def listing(queries: list[dict]) -> str:
    """The queries, numbered, each cut to a readable length. A query that differs from an
    earlier one only in its values points at it: that is where an N+1 shows."""
    first_seen: dict[str, int] = {}
    lines = []
    for number, query in enumerate(queries, start=1):
        sql = query["sql"]
        seen = first_seen.setdefault(_LITERALS.sub("?", sql), number)
        text = sql if len(sql) <= SQL_SHOWN else sql[:SQL_SHOWN] + " …"
        again = f"   [same shape as {seen}]" if seen != number else ""
        lines.append(f"  {number:>3}. {text}{again}")
    return "Queries:\n" + "\n".join(lines)


def _load() -> dict[str, int]:
    global _baselines
    if _baselines is None:
        _baselines = json.loads(BASELINES.read_text()) if BASELINES.exists() else {}
    return _baselines


def _record(name: str, count: int) -> None:
    """Write one entry at once (a run stopped half-way keeps what it measured), under a file
    lock so that two updating runs do not undo each other's entries."""
    BASELINES.touch()
    with BASELINES.open("r+", encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        text = file.read()
        baselines = json.loads(text) if text.strip() else {}
        baselines[name] = count
        file.seek(0)
        file.truncate()
        file.write(json.dumps(baselines, indent=2, sort_keys=True, ensure_ascii=False) + "\n")

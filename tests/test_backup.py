"""make backup / make restore: the demo goes into a dump and comes back whole elsewhere."""

import os
import subprocess
import uuid
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.background.worker import database_url_of_this_test
from tests.helpers import restore_migrated_principles

BASE_DIR = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db(transaction=True)


def table_counts(url: str) -> dict[str, int]:
    """Rows per table of the public schema, read with a connection of our own."""
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def run(script: str, *args: str, url: str, **extra_env: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, **extra_env}
    done = subprocess.run(
        [str(BASE_DIR / "scripts" / script), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def empty_database():
    """A new, empty database on the same server, dropped afterwards."""
    source = urlsplit(database_url_of_this_test())
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(source._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(source._replace(path="/" + name))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_demo_is_restored_whole_into_an_empty_database(tmp_path, empty_database):
    # The demo opens an accreditation cycle against the principles an earlier transactional
    # test may have flushed.
    restore_migrated_principles()
    call_command("seed_demo", "--companies=40", "--events=6", "--public-demo", stdout=StringIO())
    connection.close()  # everything committed and nothing held: pg_dump sees what we see
    source = database_url_of_this_test()
    dump = tmp_path / "demo.dump"

    printed = run("backup", url=source, BACKUP_FILE=str(dump))
    assert printed.strip() == str(dump)
    assert dump.stat().st_size > 0

    run("restore", str(dump), url=empty_database)

    before, after = table_counts(source), table_counts(empty_database)
    assert after == before
    assert before["members_company"] >= 40
    assert before["events_registration"] > 0
    # The restored database is one the portal can use: its migrations are all there and its
    # generated columns and triggers came along.
    with psycopg.connect(empty_database, autocommit=True) as conn:
        migrations = conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
        searchable = conn.execute(
            "SELECT count(*) FROM members_company WHERE search_vector IS NOT NULL"
        ).fetchone()[0]
    assert migrations == before["django_migrations"]
    assert searchable == before["members_company"]


def test_restore_refuses_a_file_that_does_not_exist(empty_database, tmp_path):
    done = subprocess.run(
        [str(BASE_DIR / "scripts" / "restore"), str(tmp_path / "nope.dump")],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": empty_database},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "No such dump" in done.stderr

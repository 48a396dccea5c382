"""The browser tests' shared parts: one Chromium per session, one live server per session
(pytest-django's), a logged-in browser context without going through the log-in form, the page
width check and axe-core.

Chromium is Debian's (`make install` adds it as root); axe-core comes from npm (`make install`
runs `npm ci`). Without them the tests that need them are skipped and say why.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"1280": DESKTOP, "390": PHONE}


@pytest.fixture(scope="session", autouse=True)
def release_live_server_connections(django_db_setup, django_db_blocker):
    """The session-wide live server's threads may still hold a connection to the test database
    when it is dropped; end those sessions first so the teardown is clean."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session; each test opens its own context."""
    # The browser tests are part of `make test`: a machine without Chromium fails them rather
    # than passing without them. Only an explicit SKIP_BROWSER_TESTS=1 (a machine where nobody
    # may install Debian's chromium, e.g. no root) skips them, and says so in the summary.
    if not os.path.exists(CHROMIUM):
        if os.environ.get("SKIP_BROWSER_TESTS") == "1":
            pytest.skip(
                "browser tests left out on purpose (SKIP_BROWSER_TESTS=1): no Chromium at "
                f"{CHROMIUM}; install Debian's chromium (make install does, as root) to run them"
            )
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: run `make install` as root (it installs Debian's "
            "chromium), or set SKIP_BROWSER_TESTS=1 to leave the browser tests out knowingly."
        )
    # Playwright's sync API refuses to run inside an asyncio loop; Django's async-unsafe check
    # must also allow the live server's ORM calls from this thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(chromium):
    """`new_context(viewport, user=None, locale="nl-BE")`: a fresh browser context (its own
    cookies), logged in as `user` when given. Closed after the test."""
    contexts = []

    def make(viewport=DESKTOP, *, user=None, live_server=None, locale="nl-BE"):
        context = chromium.new_context(viewport=viewport, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            log_in(context, user, live_server)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def browser(new_context):
    """A visitor's desktop context (the older journeys' name)."""
    return new_context()


def log_in(context, user, live_server) -> None:
    """Give the browser a session for `user`, as the test client's force_login makes one."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def overflow(page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when it fits)."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's WCAG 2.x A/AA violations of `impacts` on the page, one line each."""
    if not AXE.exists():
        # `make install` runs `npm ci`, which pins axe-core: its absence is a broken install.
        pytest.fail(f"axe-core is not at {AXE}: run `make install` (it runs npm ci).")
    # Evaluated through the DevTools protocol, not added as a <script>: the portal's
    # Content-Security-Policy refuses inline scripts, and the test must not weaken it.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                           'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]

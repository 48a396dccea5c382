"""Screenshots of the accreditation pages for docs/screenshots/: the demo chamber admin's
self-assessment (1280 px whole page, 390 px first screen) and the first page of its report.

Usage (with the portal running on the demo, e.g. `make run`, and Debian's chromium installed):
    DATABASE_URL=... .venv/bin/python scripts/accreditation_screenshots.py [--base URL]

The back-office asks staff for a second factor, which a script cannot type: the browser gets a
session made here for the demo chamber admin, recorded as having passed it (as the tests'
force_login does). The report's page is the PDF's first page as an image, drawn with pypdfium2
(`var/tools/bin/pip install pypdfium2`; the portal itself does not need it).
"""

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings.base")

import django  # noqa: E402

django.setup()

from allauth.account.internal.flows.login import record_authentication  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.signals import user_logged_in  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.test import Client  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from alliance.staff.accreditation import report_pdf  # noqa: E402
from chambers.models import AccreditationCycle  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
CHAMBER_ADMIN = "kamer.kempen@alliantie.example"


def session_for(email: str) -> str:
    def record(sender, request, user, **kwargs):
        if type(request) is HttpRequest and hasattr(request, "session"):
            record_authentication(request, user, "mfa", type="totp")

    user_logged_in.connect(record, dispatch_uid="screenshots.second_factor")
    client = Client()
    client.force_login(get_user_model().objects.get(username=email))
    user_logged_in.disconnect(dispatch_uid="screenshots.second_factor")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    base = parser.parse_args().base.rstrip("/")
    cycle = AccreditationCycle.objects.filter(chamber__slug="kempen").order_by("-pk").first()
    path = f"/staff/accreditation/{cycle.pk}/"
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session_for(CHAMBER_ADMIN)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, size, full in (
            ("accreditation-self-assessment", {"width": 1280, "height": 900}, True),
            ("phone-accreditation-self-assessment", {"width": 390, "height": 844}, False),
        ):
            context = browser.new_context(
                viewport=size, locale="nl-BE", device_scale_factor=1 if full else 2
            )
            context.add_cookies([cookie | {"url": base}])
            page = context.new_page()
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
            print(f"{name}.png  {path}")
            context.close()
        browser.close()

    import pypdfium2

    document = pypdfium2.PdfDocument(io.BytesIO(report_pdf(cycle)))
    first = document[0]
    for name, width in (("accreditation-report", 1280), ("phone-accreditation-report", 780)):
        scale = width / first.get_width()
        first.render(scale=scale).to_pil().save(OUT / f"{name}.png")
        print(f"{name}.png  report of cycle {cycle.pk}, page 1")


if __name__ == "__main__":
    main()

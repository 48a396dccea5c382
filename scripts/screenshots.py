"""Screenshots of the main pages in headless Chromium, for docs/screenshots/.

Usage (with the portal running, e.g. `make run`, and Debian's chromium installed):
    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000]

Logs in as the demo company admin for the member pages. Uses the system Chromium
(/usr/bin/chromium): Playwright's own browser download is not available here.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_LOGIN = ("beheerder@dijleland.example", "demo-alliantie-2026")
STAFF_LOGIN = ("admin@alliantie.example", "demo-alliantie-2026")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--login", default=DEMO_LOGIN[0])
    parser.add_argument("--password", default=DEMO_LOGIN[1])
    options = parser.parse_args()
    base = options.base.rstrip("/")
    OUT.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE")
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="nl-BE"
        )
        page = desktop.new_page()

        def shot(name: str, path: str, context_page=None, full_page=True):
            """One page, whole length (phones: the first screen only)."""
            target = context_page or page
            target.goto(base + path)
            target.wait_for_load_state("networkidle")
            target.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
            print(f"{name}.png  {path}")

        shot("home", "/")
        shot("events", "/events/")
        page.goto(base + "/events/?open=on")
        first_event = page.locator(".event-card__title a").first.get_attribute("href")
        shot("event-detail", first_event)
        shot("events-filtered", "/events/?kind=trade_fair_visit&past=1")
        shot("competences", "/competences/")
        page.goto(base + "/competences/")
        centre = page.locator("main a[href^='/competences/']").first.get_attribute("href")
        shot("competence-centre", centre)
        shot("chamber", "/chambers/kempen/")
        shot("directory", "/directory/?q=Mechlen")
        page.goto(base + "/directory/")
        company = page.locator("main a[href^='/directory/']").nth(1).get_attribute("href")
        shot("directory-profile", company)
        shot("search", "/search/?q=innovatie")
        shot("login", "/accounts/login/")

        page.goto(base + "/accounts/login/")
        page.fill("input[name=login]", options.login)
        page.fill("input[name=password]", options.password)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        shot("me", "/me/")
        shot("me-company", "/me/company/")
        page.goto(base + "/me/")
        links = page.locator("a[href^='/me/tickets/']")
        if links.count():
            shot("ticket", links.first.get_attribute("href"))

        phone_page = phone.new_page()
        shot("phone-events", "/events/", phone_page, full_page=False)
        shot("phone-event-detail", first_event, phone_page, full_page=False)
        french = browser.new_context(viewport={"width": 1280, "height": 900})
        french.add_cookies([{"name": "django_language", "value": "fr", "url": base}])
        shot("fr-event-detail", first_event, french.new_page())
        staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE")
        staff_page = staff.new_page()
        staff_page.goto(base + "/accounts/login/")
        staff_page.fill("input[name=login]", STAFF_LOGIN[0])
        staff_page.fill("input[name=password]", options.password)
        staff_page.locator("main form button[type=submit]").first.click()
        staff_page.wait_for_load_state("networkidle")
        shot("staff-dashboard", "/staff/", staff_page)
        shot("staff-events", "/staff/events/", staff_page)
        staff_page.goto(base + "/staff/events/")
        staff_event = staff_page.locator("main table a[href^='/staff/events/']").first
        staff_event_url = staff_event.get_attribute("href")
        shot("staff-event", staff_event_url, staff_page)
        shot("staff-members", "/staff/members/", staff_page)
        shot("staff-requests", "/staff/requests/", staff_page)
        shot("staff-figures", "/staff/figures/", staff_page)
        shot("staff-imports", "/staff/imports/", staff_page)
        check_in = staff.new_page()
        check_in.set_viewport_size({"width": 390, "height": 844})
        shot("phone-check-in", staff_event_url + "check-in/", check_in, full_page=False)
        browser.close()
    names = sorted(p.name for p in OUT.glob("*.png"))
    print(re.sub(r"\s+", " ", f"{len(names)} screenshots in {OUT}"))


if __name__ == "__main__":
    main()

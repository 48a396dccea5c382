"""Screenshots of the main pages at 1280 and 390 px in headless Chromium, for docs/screenshots/.

Usage (with the portal running on the demo, e.g. `make run`, and Debian's chromium installed):
    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000]

Each page gives `<name>.png` (1280 px, the whole page) and `phone-<name>.png` (390 px, the
first screen, at twice the pixels). The member pages are the demo company admin's, the staff
pages the alliance admin's. Uses the system Chromium (/usr/bin/chromium): Playwright's own
browser download is not available here.
"""

import argparse
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
PASSWORD = "demo-alliantie-2026"
MEMBER = "beheerder@dijleland.example"
STAFF = "admin@alliantie.example"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    base = parser.parse_args().base.rstrip("/")
    OUT.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        def contexts(login: str | None = None, **extra):
            """A desktop and a phone context, logged in as `login` when given."""
            made = []
            for size in (DESKTOP, PHONE):
                context = browser.new_context(locale="nl-BE", **size, **extra)
                if login:
                    page = context.new_page()
                    page.goto(base + "/accounts/login/")
                    page.fill("input[name=login]", login)
                    page.fill("input[name=password]", PASSWORD)
                    page.locator("main form button[type=submit]").first.click()
                    page.wait_for_load_state("networkidle")
                    page.close()
                made.append(context.new_page())
            return made

        def shot(name: str, path: str, pages) -> None:
            desktop, phone = pages
            for page, file, full in ((desktop, name, True), (phone, f"phone-{name}", False)):
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{file}.png"), full_page=full)
            print(f"{name}.png, phone-{name}.png  {path}")

        def first_href(page, path: str, selector: str) -> str:
            page.goto(base + path)
            return page.locator(selector).first.get_attribute("href")

        visitor = contexts()
        event = first_href(visitor[0], "/events/?open=on", ".event-card__title a")
        centre = first_href(visitor[0], "/competences/", "main a[href^='/competences/']")
        company = visitor[0]
        company.goto(base + "/directory/")
        profile = company.locator("main a[href^='/directory/']").nth(1).get_attribute("href")
        shot("home", "/", visitor)
        shot("events", "/events/", visitor)
        shot("events-filtered", "/events/?kind=trade_fair_visit&past=1", visitor)
        shot("event-detail", event, visitor)
        shot("competences", "/competences/", visitor)
        shot("competence-centre", centre, visitor)
        shot("chamber", "/chambers/kempen/", visitor)
        shot("directory", "/directory/?q=Mechlen", visitor)
        shot("directory-profile", profile, visitor)
        shot("search", "/search/?q=innovatie", visitor)
        shot("login", "/accounts/login/", visitor)
        for language in ("fr", "en"):
            other = contexts()
            for page in other:
                page.context.add_cookies(
                    [{"name": "django_language", "value": language, "url": base}]
                )
            shot(f"{language}-event-detail", event, other)

        member = contexts(MEMBER)
        shot("me", "/me/", member)
        shot("me-company", "/me/company/", member)
        ticket = first_href(member[0], "/me/", "a[href^='/me/tickets/']")
        if ticket:
            shot("ticket", ticket, member)

        staff = contexts(STAFF)
        staff_event = first_href(staff[0], "/staff/events/", "main table a[href^='/staff/events/']")
        shot("staff-dashboard", "/staff/", staff)
        shot("staff-events", "/staff/events/", staff)
        shot("staff-event", staff_event, staff)
        shot("check-in", staff_event + "check-in/", staff)
        shot("staff-members", "/staff/members/", staff)
        shot("staff-requests", "/staff/requests/", staff)
        shot("staff-figures", "/staff/figures/", staff)
        shot("staff-imports", "/staff/imports/", staff)
        browser.close()
    print(f"{len(list(OUT.glob('*.png')))} screenshots in {OUT}")


if __name__ == "__main__":
    main()

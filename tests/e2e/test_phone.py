"""The events list on a phone: a compact header, the filters behind a button, the first event on
the first screen; without JavaScript the filters simply stay open."""

import pytest

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def test_on_a_phone_the_first_event_is_on_the_first_screen(live_server, new_context, event):
    page = new_context(PHONE).new_page()
    page.goto(f"{live_server.url}/events/")
    assert page.locator(".site-header").bounding_box()["height"] < 170
    chamber = page.locator("select[name=chamber]")
    assert not chamber.is_visible()
    first_card = page.locator(".event-card").first.bounding_box()
    assert first_card["y"] < PHONE["height"] - 100, first_card
    page.get_by_text("Filters", exact=True).click()
    assert chamber.is_visible()
    chamber.select_option("kempen")
    page.wait_for_url("**/events/?*chamber=kempen*")
    # A filter in use keeps the filters open after a reload, with their count on the button.
    page.reload()
    assert chamber.is_visible()
    assert page.locator(".events-filter__toggle .badge").inner_text() == "1"


def test_without_javascript_the_phone_filters_stay_open_and_work(live_server, chromium, event):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False, locale="nl-BE")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/events/")
        page.select_option("select[name=chamber]", "kempen")
        page.get_by_role("button", name="Zoek", exact=True).click()
        page.wait_for_url("**/events/?*chamber=kempen*")
        assert "Innovatieforum" in page.content()
    finally:
        context.close()


def test_on_a_desktop_the_filters_show_without_a_button(live_server, new_context, event):
    page = new_context().new_page()
    page.goto(f"{live_server.url}/events/")
    assert page.locator("select[name=chamber]").is_visible()
    assert not page.locator(".events-filter__toggle").is_visible()


def test_on_a_phone_staff_see_the_back_office_link(live_server, new_context, alliance_admin):
    page = new_context(PHONE, user=alliance_admin, live_server=live_server).new_page()
    page.goto(f"{live_server.url}/events/")
    link = page.get_by_role("link", name="Back-office")
    assert link.is_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.locator(".site-header").bounding_box()["height"] < 200

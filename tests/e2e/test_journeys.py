"""Browser journeys in a real (headless, system) Chromium against a live server.

They prove what unit tests cannot: the pages work together in a browser — forms, redirects,
cookies, htmx. Debian's chromium is installed by `make install` when missing.
"""

import pytest

from tests.e2e.conftest import WIDTHS
from tests.factories import EmailAddressFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def member_login(person):
    user = UserFactory(username="els-e2e", email=person.email, password="Geheim-wachtwoord-1")
    EmailAddressFactory(user=user)
    person.user = user
    person.save()
    return person.email, "Geheim-wachtwoord-1"


def test_a_member_logs_in_finds_an_event_and_registers(live_server, browser, event, member_login):
    page = browser.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name="Innovatieforum").click()
    page.get_by_role("link", name="Meld je aan om in te schrijven").click()
    page.fill("input[name=login]", member_login[0])
    page.fill("input[name=password]", member_login[1])
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/events/{event.slug}/")
    assert "ledenprijs, als lid van Mechelen" in page.content()
    page.get_by_role("button", name="Schrijf je in").click()
    page.wait_for_load_state()
    assert "Je bent ingeschreven" in page.content()
    page.goto(f"{live_server.url}/me/")
    assert "Innovatieforum" in page.content()


def test_the_event_filters_update_the_list_and_the_address(live_server, browser, event, mechelen):
    from tests.factories import EventFactory

    EventFactory(title="Mechels netwerkmoment", organiser=mechelen)
    page = browser.new_page()
    page.goto(f"{live_server.url}/events/")
    assert "Mechels netwerkmoment" in page.content()
    page.select_option("select[name=chamber]", "kempen")
    page.wait_for_url("**/events/?*chamber=kempen*")
    page.wait_for_function("!document.body.innerText.includes('Mechels netwerkmoment')")
    assert "Innovatieforum" in page.content()


def test_language_switch_in_the_browser(live_server, browser):
    page = browser.new_page()
    page.goto(f"{live_server.url}/")
    page.select_option("select[name=language]", "en")
    page.get_by_role("button", name="Kies").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_asks_a_centre_for_help_and_sees_the_confirmation(
    live_server, new_context, centre, member_user, width
):
    from tests.factories import ServiceFactory

    ServiceFactory(centre=centre, name="Innovatiescan")
    page = new_context(WIDTHS[width], user=member_user, live_server=live_server).new_page()
    page.goto(f"{live_server.url}/competences/{centre.slug}/")
    page.select_option("select[name=service]", label="Innovatiescan")
    page.fill("textarea[name=message]", "Kunnen jullie ons helpen met een innovatiesubsidie?")
    page.get_by_role("button", name="Verstuur je vraag").click()
    page.wait_for_load_state()
    confirmation = page.get_by_text("Je vraag is verstuurd naar Integrale innovatie")
    # On the screen without scrolling: nobody sends the question twice.
    assert confirmation.is_visible()
    box = confirmation.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= WIDTHS[width]["height"], box

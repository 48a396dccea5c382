"""Browser journeys in a real (headless, system) Chromium against a live server.

They prove what unit tests cannot: the pages work together in a browser — forms, redirects,
cookies, htmx. Debian's chromium is installed by `make install` when missing.
"""

import re
import time

import pytest

from tests.e2e.conftest import WIDTHS
from tests.factories import EmailAddressFactory, UserFactory
from tests.helpers import totp_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def member_login(person):
    user = UserFactory(username="els-e2e", email=person.email, password="Geheim-wachtwoord-1")
    EmailAddressFactory(user=user)
    person.user = user
    person.save()
    return person.email, "Geheim-wachtwoord-1"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_logs_in_finds_an_event_and_registers(
    live_server, new_context, event, member_login, width
):
    page = new_context(WIDTHS[width]).new_page()
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name="Innovatieforum").click()
    page.get_by_role("link", name="Meld je aan om in te schrijven").click()
    page.fill("input[name=login]", member_login[0])
    page.fill("input[name=password]", member_login[1])
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/events/{event.slug}/")
    assert "ledenprijs, als lid van Mechelen" in page.content()
    # The confirmation step: the price with VAT, the terms, the invoice, a purchase order.
    page.get_by_role("link", name="Schrijf je in").click()
    page.wait_for_url(f"{live_server.url}/events/{event.slug}/inschrijven/")
    step = page.content()
    assert "Prijs excl. btw" in step and "Totaal incl. btw" in step
    assert "Gratis annuleren tot" in step and "Factuur aan" in step
    page.fill("input[name=purchase_order]", "PO-2026-117")
    page.get_by_role("button", name="Bevestig mijn inschrijving").click()
    page.wait_for_url(f"{live_server.url}/events/{event.slug}/")
    assert "Je bent ingeschreven" in page.content()
    page.goto(f"{live_server.url}/me/")
    assert "Innovatieforum" in page.content()
    # The ticket, with its QR code, for the door.
    page.get_by_role("link", name="Toon ticket").first.click()
    assert page.locator(".ticket__qr svg").count() == 1
    # Cancelling within the terms: its own step says it costs nothing.
    page.goto(f"{live_server.url}/events/{event.slug}/")
    page.get_by_role("link", name="Annuleer mijn inschrijving").click()
    assert "dat kost niets" in page.content()
    page.get_by_role("button", name="Ja, annuleer mijn inschrijving").click()
    page.wait_for_url(f"{live_server.url}/events/{event.slug}/")
    assert "Je inschrijving is geannuleerd" in page.content()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_full_event_puts_the_next_member_on_the_waiting_list(
    live_server, new_context, event, company, member_login, width
):
    from tests.factories import PersonFactory, RegistrationFactory

    event.capacity = 1
    event.save()
    RegistrationFactory(event=event, person=PersonFactory(company=company))
    page = new_context(viewport=WIDTHS[width]).new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/events/{event.slug}/")
    page.fill("input[name=login]", member_login[0])
    page.fill("input[name=password]", member_login[1])
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/events/{event.slug}/")
    page.get_by_role("link", name="Zet me op de wachtlijst").click()
    assert "je komt op de wachtlijst" in page.content()
    page.get_by_role("button", name="Zet me op de wachtlijst").click()
    page.wait_for_url(f"{live_server.url}/events/{event.slug}/")
    assert "Je staat op de wachtlijst (plaats 1)" in page.content()


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


def open_filters_on_a_phone(page) -> None:
    """On a phone the filters are folded behind their button."""
    toggle = page.locator(".events-filter__toggle")
    if toggle.is_visible():
        toggle.click()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_visitor_finds_an_event_sees_both_prices_and_adds_it_to_the_calendar(
    live_server, new_context, event, mechelen, width
):
    from tests.factories import EventFactory

    EventFactory(title="Mechels netwerkmoment", organiser=mechelen)
    page = new_context(WIDTHS[width]).new_page()
    page.goto(f"{live_server.url}/events/")
    # A filter, then a search with a typo, in the address and the list together (htmx).
    open_filters_on_a_phone(page)
    page.select_option("select[name=chamber]", "kempen")
    page.wait_for_url("**/events/?*chamber=kempen*")
    page.wait_for_function("!document.body.innerText.includes('Mechels netwerkmoment')")
    page.fill("input[name=q]", "inovatie")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**q=inovatie*")
    page.wait_for_timeout(500)  # the field's own delayed (400 ms) request, then a quiet list
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Innovatieforum").click()
    page.wait_for_url(f"**/events/{event.slug}/")
    price = page.locator(".price-for-you")
    assert "Ledenprijs" in price.inner_text() and "€\xa045,00" in price.inner_text()
    assert "Niet-leden: €\xa095,00" in price.inner_text()
    href = page.get_by_role("link", name="Zet in je agenda (.ics)").get_attribute("href")
    calendar = page.request.get(live_server.url + href)
    assert calendar.ok and "BEGIN:VEVENT" in calendar.text() and "Innovatieforum" in calendar.text()


def test_an_event_manager_creates_publishes_checks_in_and_exports(
    live_server, new_context, kempen, company
):
    from chambers.models import StaffRole
    from events import services
    from tests.factories import PersonFactory, staff_user

    manager = staff_user(StaffRole.Role.EVENT_MANAGER, kempen, email="events@kempen.example")
    EmailAddressFactory(user=manager)
    desk = new_context().new_page()
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.fill("input[name=login]", manager.email)
    desk.fill("input[name=password]", "secret-pass-123")
    desk.locator("main form button[type=submit]").first.click()
    # Staff give their second factor (TOTP, set up by staff_user) before the back-office opens.
    desk.wait_for_url(f"{live_server.url}/accounts/2fa/authenticate/")
    log_in_code = totp_code()
    desk.fill("input[name=code]", log_in_code)
    desk.locator("main form button[type=submit]").first.click()
    desk.wait_for_url(f"{live_server.url}/staff/")
    desk.get_by_role("link", name="Activiteiten").first.click()
    desk.goto(f"{live_server.url}/staff/events/new/")
    desk.fill("input[name=title_nl]", "Waterstofontbijt")
    desk.select_option("select[name=kind]", "seminar")
    desk.select_option("select[name=organiser]", label=kempen.name)
    desk.fill("input[name=starts_at]", "2027-05-12T08:00")
    desk.fill("input[name=ends_at]", "2027-05-12T10:00")
    desk.fill("input[name=city]", "Geel")
    desk.fill("input[name=member_price]", "25")
    desk.fill("input[name=non_member_price]", "60")
    desk.get_by_role("button", name="Bewaar als ontwerp").click()
    desk.wait_for_url("**/staff/events/waterstofontbijt/")
    desk.get_by_role("button", name="Publiceer").click()
    desk.wait_for_load_state()
    assert desk.get_by_role("link", name="Bekijk in het portaal").is_visible()

    from events.models import Event

    event = Event.objects.get(slug="waterstofontbijt")
    anna, bert = (
        services.registration_create(
            event=event, person=PersonFactory(company=company, first_name=name, last_name="Peeters")
        )
        for name in ("Anna", "Bert")
    )
    # At the door, on a phone: Anna by her ticket code, Bert (no ticket at hand) by his name.
    door = new_context(WIDTHS["390"], user=manager, live_server=live_server).new_page()
    door.goto(f"{live_server.url}/staff/events/{event.slug}/check-in/")
    door.fill("input[name=ticket_code]", anna.ticket_code)
    door.get_by_role("button", name="Check in", exact=True).click()
    door.get_by_text("✓ Ingecheckt").wait_for()
    assert "Anna Peeters" in door.locator("#check-in-result").inner_text()
    door.fill("input[name=naam]", "bert peet")
    door.get_by_role("button", name="Zoek", exact=True).click()
    door.get_by_role("button", name="Check in Bert Peeters").click()
    door.get_by_text("✓ Ingecheckt").wait_for()
    assert "2 van 2 aanwezig" in door.content()

    desk.goto(f"{live_server.url}/staff/events/{event.slug}/")
    # Attendee data leaves the portal: the manager confirms with a fresh code first (a code is
    # good once, so wait for the next one if the log-in's is still showing), and the export
    # then comes as asked.
    desk.get_by_role("button", name="Exporteer als CSV").click()
    desk.wait_for_url(re.compile(r".*/accounts/2fa/reauthenticate/.*"))
    while totp_code() == log_in_code:
        time.sleep(1)
    desk.fill("input[name=code]", totp_code())
    with desk.expect_download() as download:
        desk.locator("main form button[type=submit]").first.click()
    with open(download.value.path(), encoding="utf-8-sig") as csv_file:
        content = csv_file.read()
    assert "Anna" in content and "Bert" in content and "Peeters" in content


@pytest.mark.parametrize(
    "language, title", [("fr", "Forum de l'innovation"), ("en", "Innovation forum")]
)
def test_switching_language_keeps_the_page_and_translates_it(
    live_server, new_context, event, language, title
):
    event.title_fr, event.title_en = "Forum de l'innovation", "Innovation forum"
    event.save()
    page = new_context(WIDTHS["390"]).new_page()
    page.goto(f"{live_server.url}/events/{event.slug}/")
    page.select_option("select[name=language]", language)
    page.get_by_role("button", name="Kies").click()
    page.wait_for_url(f"**/events/{event.slug}/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == title
    assert "Inschrijven" not in page.locator(".registration-box h2").inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_prospect_without_an_account_registers_and_sees_their_ticket(
    live_server, new_context, event, width
):
    """Issue 12: no account, a company the portal does not know, the non-member price, a ticket."""
    from django.core import mail

    from members.enterprise_numbers import with_check_digits
    from tests.e2e.conftest import axe_violations, overflow

    number = with_check_digits("08765432")
    page = new_context(WIDTHS[width]).new_page()
    page.goto(f"{live_server.url}/events/{event.slug}/")
    page.get_by_role("link", name="Schrijf je in als niet-lid, zonder account").click()
    page.wait_for_url(f"{live_server.url}/events/{event.slug}/inschrijven-niet-lid/")
    assert "€\xa095,00" in page.locator("main").inner_text(), "the non-member price"
    assert overflow(page) <= 0
    assert axe_violations(page) == []
    # A wrong number first: refused with its reason, next to the field.
    page.fill("input[name=identifier]", "0403.170.702")
    page.fill("input[name=company_name]", "Nieuwe Zaak BV")
    page.select_option("select[name=company_legal_form]", "bv")
    page.select_option("select[name=company_size_class]", "small")
    page.fill("input[name=company_postcode]", "2440")
    page.fill("input[name=company_municipality]", "Geel")
    page.fill("input[name=first_name]", "Pia")
    page.fill("input[name=last_name]", "Peeters")
    page.fill("input[name=email]", "pia@nieuwezaak.be")
    page.get_by_role("button", name="Bevestig mijn inschrijving").click()
    page.wait_for_load_state()
    assert "Het controlegetal van dit ondernemingsnummer klopt niet." in page.content()
    page.fill("input[name=identifier]", f"BE{number}")
    page.get_by_role("button", name="Bevestig mijn inschrijving").click()
    page.wait_for_url(f"{live_server.url}/events/ticket/**")
    assert "Je bent ingeschreven" in page.content()
    assert "Nieuwe Zaak BV" in page.content() and "Pia Peeters" in page.content()
    assert page.locator(".ticket__qr svg").count() == 1
    assert overflow(page) <= 0
    assert axe_violations(page) == []
    assert any("pia@nieuwezaak.be" in message.to for message in mail.outbox)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_company_applies_and_staff_approve_it(live_server, new_context, kempen, width):
    """Issue 12: a company applies at the chamber of its region, a chamber admin approves, and
    its applicant manages the company."""
    from chambers.models import StaffRole
    from members.enterprise_numbers import with_check_digits
    from members.models import Person
    from tests.e2e.conftest import axe_violations, overflow
    from tests.factories import staff_user

    kempen.postcode_prefixes = ["22", "23", "24"]
    kempen.save(update_fields=["postcode_prefixes"])
    applicant = UserFactory(first_name="Pia", last_name="Peeters")
    EmailAddressFactory(user=applicant)
    page = new_context(WIDTHS[width], user=applicant, live_server=live_server).new_page()
    page.goto(f"{live_server.url}/me/apply/")
    assert overflow(page) <= 0
    assert axe_violations(page) == []
    page.fill("input[name=identifier]", f"BE{with_check_digits('08765432')}")
    page.fill("input[name=company_name]", "Nieuwe Zaak BV")
    page.select_option("select[name=company_legal_form]", "bv")
    page.select_option("select[name=company_size_class]", "small")
    page.fill("input[name=company_postcode]", "2440")
    page.fill("input[name=company_municipality]", "Geel")
    page.select_option("select[name=tier]", "premium")
    page.get_by_role("button", name="Vraag het lidmaatschap aan").click()
    page.wait_for_url(f"{live_server.url}/me/apply/")
    assert "Je aanvraag is verstuurd naar Voka – KvK Kempen" in page.content()

    admin = staff_user(StaffRole.Role.CHAMBER_ADMIN, kempen)
    staff = new_context(WIDTHS[width], user=admin, live_server=live_server).new_page()
    staff.goto(f"{live_server.url}/staff/applications/")
    staff.get_by_role("link", name=re.compile(r"\d")).first.click()
    assert "Nieuwe Zaak BV vraagt het lidmaatschap aan" in staff.content()
    assert overflow(staff) <= 0
    assert axe_violations(staff) == []
    staff.fill("input[name=annual_fee]", "900")
    staff.get_by_role("button", name="Keur goed").click()
    staff.wait_for_url(f"{live_server.url}/staff/members/**")
    assert "Nieuwe Zaak BV is nu lid" in staff.content()

    assert Person.objects.get(user=applicant).role == Person.Role.ADMIN
    page.goto(f"{live_server.url}/me/company/")
    assert "Nieuwe Zaak BV" in page.content()
    page.goto(f"{live_server.url}/me/company/edit/")
    assert page.url.endswith("/me/company/edit/"), "the applicant manages the company"

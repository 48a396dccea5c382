"""The events pages: list, filters, search, calendar feeds, detail, register and cancel."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event, Registration
from tests.factories import (
    CompanyFactory,
    EventFactory,
    PersonFactory,
    RegistrationFactory,
    SectorFactory,
)
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_list_shows_published_upcoming_events_of_every_chamber(client, event, mechelen, limburg):
    EventFactory(title="Anuga 2027", organiser=limburg, city="Keulen", country="DE")
    EventFactory(title="Ontwerp", organiser=mechelen, status=Event.Status.DRAFT)
    EventFactory(
        title="Voorbij",
        organiser=mechelen,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=2),
    )
    html = page(client, "/events/")
    assert "Innovatieforum" in html and "Anuga 2027" in html and "Keulen, DE" in html
    assert "Ontwerp" not in html and "Voorbij" not in html
    assert "2 activiteiten" in html
    assert "Voorbij" in page(client, "/events/", past="1")


def test_visitors_see_both_prices_members_their_own(member_client, event):
    assert "Ledenprijs €\xa045,00 · niet-leden €\xa095,00" in page(Client(), "/events/")
    assert "Jouw prijs: €\xa045,00" in page(member_client, "/events/")


def test_logged_out_the_member_price_is_the_big_one_and_labelled(client, event):
    html = page(client, f"/events/{event.slug}/")
    assert (
        '<span class="price-for-you__label">Ledenprijs</span>\n'
        '        <span class="price-for-you__amount">€\xa045,00</span>'
    ) in html
    assert "Niet-leden: €\xa095,00" in html


def test_a_free_event_reads_gratis(client, kempen):
    free = EventFactory(organiser=kempen, member_price=0, non_member_price=0)
    html = page(client, f"/events/{free.slug}/")
    assert '<span class="price-for-you__amount">Gratis</span>' in html
    assert "ledenprijs gratis" not in html and "Niet-leden:" not in html
    card = page(client, "/events/")
    assert "Gratis" in card and "Ledenprijs gratis" not in card


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"chamber": "kempen"}, {"Innovatieforum", "Samen met Kempen"}),
        ({"chamber": "mechelen"}, {"Chemie-atelier", "Samen met Kempen"}),
        ({"kind": "workshop"}, {"Chemie-atelier"}),
        ({"centre": "integrale-innovatie"}, {"Innovatieforum"}),
        ({"sector": "chemie"}, {"Chemie-atelier"}),
        ({"city": "geel"}, {"Innovatieforum"}),
        ({"country": "nl"}, {"Samen met Kempen"}),
        ({"q": "waterstof"}, {"Innovatieforum"}),
        ({"q": "hydrogène"}, {"Innovatieforum"}),
        ({"q": "farmaceutische"}, {"Chemie-atelier"}),
        # Forgiving, like the directory: a typo, part of a compound, a typo in a French title.
        ({"q": "Inovatieforum"}, {"Innovatieforum"}),
        ({"q": "innovatie"}, {"Innovatieforum"}),
        ({"q": "inovatie"}, {"Innovatieforum"}),
        ({"q": "hydrogene"}, {"Innovatieforum"}),
        ({"q": "chemi ateljee"}, set()),
    ],
)
def test_filters(client, event, kempen, mechelen, params, expected):
    event.city = "Geel"
    event.description_nl = "Over waterstof in de Kempen."
    event.title_fr = "Forum de l'innovation : l'hydrogène"
    event.save()
    chemistry = SectorFactory(name="Chemie", slug="chemie")
    workshop = EventFactory(
        title="Chemie-atelier",
        organiser=mechelen,
        kind=Event.Kind.WORKSHOP,
        description="Inspiratieatelier voor de chemische en farmaceutische sector",
    )
    workshop.sectors.add(chemistry)
    joint = EventFactory(title="Samen met Kempen", organiser=mechelen, city="Venlo", country="NL")
    joint.co_organisers.add(kempen)
    html = page(client, "/events/", **params)
    shown = {
        title for title in ("Innovatieforum", "Chemie-atelier", "Samen met Kempen") if title in html
    }
    assert shown == expected


def test_month_and_open_filters(client, kempen):
    now = timezone.now()
    in_two_months = now + datetime.timedelta(days=62)
    EventFactory(
        title="Later",
        organiser=kempen,
        starts_at=in_two_months,
        ends_at=in_two_months + datetime.timedelta(hours=2),
    )
    EventFactory(
        title="Nog niet open",
        organiser=kempen,
        registration_opens_at=now + datetime.timedelta(days=5),
    )
    EventFactory(title="Open", organiser=kempen)
    month = timezone.localtime(in_two_months).strftime("%Y-%m")
    html = page(client, "/events/", month=month)
    assert "Later" in html and "Open</a>" not in html
    html = page(client, "/events/", open="on")
    assert "Nog niet open" not in html and "Open</a>" in html


@pytest.mark.parametrize(
    "params",
    [
        {"month": "oktober"},
        {"month": "2026-13"},
        {"chamber": "bestaat-niet"},
        {"kind": "picknick"},
        {"q": "'&|!:*()"},
        {"q": "x" * 300},
        {"page": "abc"},
        {"page": "99999"},
        {"country": "België"},
    ],
)
def test_bad_filter_values_never_break_the_page(client, event, params):
    response = client.get("/events/", params)
    assert response.status_code == 200


def test_a_bad_filter_is_explained(client, event):
    html = page(client, "/events/", month="2026-13")
    assert "Een filter klopt niet" in html and "JJJJ-MM" in html


def test_pagination_keeps_the_filters(client, kempen):
    for number in range(25):
        EventFactory(title=f"Seminarie {number}", organiser=kempen)
    html = page(client, "/events/", chamber="kempen")
    assert "Pagina 1 van 2" in html
    assert "?chamber=kempen&amp;page=2" in html
    assert "Pagina 2 van 2" in page(client, "/events/", chamber="kempen", page="2")


def test_htmx_gets_only_the_results(client, event):
    response = client.get("/events/", {"q": "Innovatieforum"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="event-results"')
    assert "<html" not in html and "Innovatieforum" in html


def test_list_query_count_does_not_grow_with_rows(member_client, kempen, mechelen, centre):
    def make(count):
        for _ in range(count):
            made = EventFactory(organiser=kempen, centre=centre, capacity=5)
            made.co_organisers.add(mechelen)
            made.sectors.add(SectorFactory())
            RegistrationFactory(event=made)

    make(3)
    assert_request_query_count("events:list as member, co-organised", member_client, "/events/")
    make(12)
    assert_request_query_count("events:list as member, co-organised", member_client, "/events/")


def test_calendar_feed_of_the_filtered_list(client, event, mechelen):
    EventFactory(title="Mechels netwerkmoment", organiser=mechelen)
    response = client.get("/events/agenda.ics", {"chamber": "kempen"})
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 1 and "SUMMARY:Innovatieforum" in body
    assert client.get("/events/agenda.ics", {"month": "nope"}).status_code == 400


def test_detail_for_a_visitor(client, event):
    html = page(client, f"/events/{event.slug}/")
    assert "Innovatieforum" in html
    assert "Nog 10 plaatsen vrij" in html
    assert "Meld je aan om in te schrijven" in html
    assert f"/events/{event.slug}/agenda.ics" in html


def test_detail_shows_the_price_for_you(member_client, event):
    html = page(member_client, f"/events/{event.slug}/")
    assert "€\xa045,00" in html and "ledenprijs, als lid van Mechelen" in html
    assert "Schrijf je in" in html


def test_register_and_cancel_through_the_pages(member_client, event, person):
    response = member_client.post(f"/events/{event.slug}/inschrijven/", follow=True)
    assert "Je bent ingeschreven" in response.content.decode()
    registration = Registration.objects.get(event=event, person=person)
    assert (registration.status, registration.price) == ("confirmed", Decimal("45.00"))
    assert "Nog 9 plaatsen vrij" in response.content.decode()
    response = member_client.post(f"/events/{event.slug}/inschrijven/", follow=True)
    assert "Je bent al ingeschreven" in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1
    response = member_client.post(f"/events/{event.slug}/annuleren/", follow=True)
    assert "Je inschrijving is geannuleerd" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_full_event_offers_the_waiting_list(member_client, event, company):
    event.capacity = 1
    event.save()
    RegistrationFactory(event=event, person=PersonFactory(company=company))
    html = page(member_client, f"/events/{event.slug}/")
    assert "Zet me op de wachtlijst" in html
    response = member_client.post(f"/events/{event.slug}/inschrijven/", follow=True)
    assert "Je staat op de wachtlijst (plaats 1)" in response.content.decode()


def test_visitors_and_unconfirmed_users_cannot_register(client, event, django_user_model):
    response = client.post(f"/events/{event.slug}/inschrijven/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    loner = django_user_model.objects.create_user("loner", "loner@example.be", "x")
    client.force_login(loner)
    response = client.post(f"/events/{event.slug}/inschrijven/")
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_registering_has_a_confirmation_step_with_the_price_terms_and_invoice(
    member_client, event, person
):
    """GET is the step (nothing is written); its POST registers, with the purchase order."""
    detail = page(member_client, f"/events/{event.slug}/")
    assert f'href="/events/{event.slug}/inschrijven/"' in detail

    step = page(member_client, f"/events/{event.slug}/inschrijven/")
    assert_request_query_count(
        "events:register as member, the confirmation step",
        member_client,
        f"/events/{event.slug}/inschrijven/",
    )

    assert not Registration.objects.exists()
    # € 45 member price excluding VAT, 21 % on top; the terms; whom the invoice goes to.
    assert "Prijs excl. btw" in step and "45,00" in step
    assert "Btw (21 %)" in step and "9,45" in step and "54,45" in step
    assert "Gratis annuleren tot" in step
    assert person.company.name in step and person.company.enterprise_number_display in step
    assert 'name="purchase_order"' in step

    member_client.post(f"/events/{event.slug}/inschrijven/", {"purchase_order": " PO-2026-117 "})

    registration = Registration.objects.get(event=event, person=person)
    assert registration.purchase_order == "PO-2026-117"
    # Registered: the step sends back to the event page.
    response = member_client.get(f"/events/{event.slug}/inschrijven/")
    assert response.status_code == 302 and response["Location"] == f"/events/{event.slug}/"


def test_a_purchase_order_too_long_comes_back_with_its_error(member_client, event):
    response = member_client.post(
        f"/events/{event.slug}/inschrijven/", {"purchase_order": "9" * 51}
    )

    assert response.status_code == 400 and "purchase_order" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_cancelling_has_a_confirmation_step_that_says_what_it_costs(member_client, event, person):
    member_client.post(f"/events/{event.slug}/inschrijven/")
    registration = Registration.objects.get(event=event, person=person)

    step = page(member_client, f"/events/{event.slug}/annuleren/")

    assert "Je annuleert binnen de termijn: dat kost niets." in step
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    # After the free-cancellation deadline with a fee, the step names the fee first.
    event.free_cancellation_until = timezone.now() - datetime.timedelta(hours=1)
    event.late_cancellation_fee = Decimal("35.00")
    event.save()
    step = page(member_client, f"/events/{event.slug}/annuleren/")
    assert "je betaalt een annuleringskost van" in step and "35,00" in step


def test_drafts_and_unknown_slugs_are_404_in_the_portal_look(client, kempen, settings):
    settings.DEBUG = False
    draft = EventFactory(organiser=kempen, status=Event.Status.DRAFT)
    for url in (
        f"/events/{draft.slug}/",
        "/events/bestaat-niet/",
        "/events/bestaat-niet/agenda.ics",
    ):
        response = client.get(url)
        assert response.status_code == 404
    assert "Deze pagina bestaat niet" in client.get("/events/bestaat-niet/").content.decode()


def test_cancelled_event_says_so_and_takes_no_registrations(member_client, event):
    event.status = Event.Status.CANCELLED
    event.save()
    html = page(member_client, f"/events/{event.slug}/")
    assert "Deze activiteit is geannuleerd" in html and "Schrijf je in" not in html
    response = member_client.post(f"/events/{event.slug}/inschrijven/", follow=True)
    assert "geannuleerd" in response.content.decode()
    assert not Registration.objects.exists()


def test_members_only_event_tells_non_members(client, event, django_user_model):
    event.audience = Event.Audience.MEMBERS
    event.save()
    outsider = PersonFactory(company=CompanyFactory())
    outsider.user = django_user_model.objects.create_user("out", outsider.email, "x")
    outsider.save()
    client.force_login(outsider.user)
    html = page(client, f"/events/{event.slug}/")
    assert "enkel voor leden van de kamers van de alliantie" in html
    assert "Schrijf je in" not in html


def test_single_event_calendar_file(client, event):
    response = client.get(f"/events/{event.slug}/agenda.ics")
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert "SUMMARY:Innovatieforum" in response.content.decode()


def test_detail_in_french(client, event):
    event.title_fr = "Forum de l'innovation"
    event.save()
    client.cookies["django_language"] = "fr"
    html = page(client, f"/events/{event.slug}/")
    assert '<html lang="fr">' in html and "Forum de l&#x27;innovation" in html

"""The competence-centre pages: the list, one centre, and asking a centre for help."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chambers.models import StaffRole
from competences.models import Service
from events.models import Event
from members.models import ServiceRequest
from tests.factories import (
    CompetenceCentreFactory,
    EventFactory,
    PersonFactory,
    ServiceFactory,
    UserFactory,
    staff_user,
)
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(centre):
    return ServiceFactory(
        centre=centre,
        name="Innovatiescan",
        kind=Service.Kind.ADVICE,
        audience=Service.Audience.MEMBERS,
        price_note="Gratis voor leden",
    )


@pytest.fixture
def kempen_staff(kempen):
    return staff_user(
        StaffRole.Role.VIEWER, kempen, username="staff-kempen", email="staff@kempen.example"
    )


def page(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# The list


def test_list_shows_each_centre_with_its_lead_chamber_and_counts(client, centre, mechelen, event):
    kempen = centre.lead_chamber
    kempen.accent = "orange"
    kempen.save()
    centre.description = "Van idee tot markt: " + "innovatie " * 60
    centre.save()
    ServiceFactory.create_batch(2, centre=centre)
    ServiceFactory(centre=centre, is_active=False)
    EventFactory(centre=centre, organiser=kempen, status=Event.Status.DRAFT)
    family = CompetenceCentreFactory(
        name="Familiebedrijven", lead_chamber=mechelen, alliance=centre.alliance
    )

    html = page(client, reverse("competences:list"))

    assert "Integrale innovatie" in html and "Familiebedrijven" in html
    assert reverse("competences:detail", args=[centre.slug]) in html
    assert reverse("competences:detail", args=[family.slug]) in html
    assert "Getrokken door Voka – KvK Kempen" in html
    assert "Getrokken door Voka – KvK Mechelen" in html
    assert f'class="chip chip--orange" href="{reverse("chambers:detail", args=["kempen"])}"' in html
    assert "2 diensten" in html  # the withdrawn service does not count
    assert "1 komende activiteit" in html  # the draft does not count
    assert "Van idee tot markt" in html and "innovatie " * 40 not in html  # an excerpt


def test_list_reads_names_in_the_readers_language(client, centre):
    centre.name_fr = "Innovation intégrale"
    centre.save()
    html = page(client, reverse("competences:list"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Innovation intégrale" in html
    assert page(client, reverse("competences:list"), HTTP_ACCEPT_LANGUAGE="nl").count(
        "Integrale innovatie"
    )


def test_list_without_centres_says_so(client, db):
    assert "Nog geen competentiecentra" in page(client, reverse("competences:list"))


def test_list_query_count_does_not_grow_with_the_centres(client, alliance, kempen, mechelen):
    def centres(n):
        for i in range(n):
            chamber = (kempen, mechelen)[i % 2]
            centre = CompetenceCentreFactory(lead_chamber=chamber, alliance=alliance)
            ServiceFactory(centre=centre)
            EventFactory(centre=centre, organiser=chamber)

    url = reverse("competences:list")
    centres(3)
    assert_request_query_count("competences:list as visitor", client, url)
    centres(5)
    assert_request_query_count("competences:list as visitor", client, url)
    assert page(client, url).count("centre-card__title") == 8


# One centre


def test_detail_shows_description_lead_chamber_services_and_coming_events(
    client, centre, service, event, mechelen
):
    kempen = centre.lead_chamber
    kempen.email, kempen.phone, kempen.website = "info@kempen.example", "014 56 30 30", ""
    kempen.save()
    centre.description = "Wij helpen je innoveren."
    centre.save()
    ServiceFactory(centre=centre, name="Netwerk Iedereen", audience=Service.Audience.EVERYONE)
    ServiceFactory(centre=centre, name="Oude dienst", is_active=False)
    ServiceFactory(name="Dienst van een ander centrum")
    co_organised = EventFactory(title="Bezoek Brightlands", centre=centre, organiser=mechelen)
    co_organised.co_organisers.add(kempen)
    EventFactory(title="Nog in ontwerp", centre=centre, status=Event.Status.DRAFT)
    EventFactory(
        title="Al voorbij",
        centre=centre,
        starts_at=timezone.now() - datetime.timedelta(days=3),
    )
    EventFactory(title="Ander thema")

    html = page(client, reverse("competences:detail", args=[centre.slug]))

    assert "<h1>Integrale innovatie</h1>" in html
    assert "Wij helpen je innoveren." in html
    assert "Voka – KvK Kempen" in html and "info@kempen.example" in html
    assert reverse("chambers:detail", args=["kempen"]) in html
    assert "Innovatiescan" in html and "Advies" in html and "Gratis voor leden" in html
    assert "Leden van de alliantie" in html and "Netwerk Iedereen" in html and "Iedereen" in html
    assert "Oude dienst" not in html and "Dienst van een ander centrum" not in html
    assert reverse("events:detail", args=[event.slug]) in html and "Innovatieforum" in html
    assert "Bezoek Brightlands" in html and "chip--blue" in html
    assert "Nog in ontwerp" not in html and "Al voorbij" not in html
    assert "Ander thema" not in html


def test_visitor_is_asked_to_log_in_to_ask_a_question(client, centre, service):
    url = reverse("competences:detail", args=[centre.slug])
    html = page(client, url)
    assert "Meld je aan om een vraag te stellen" in html
    assert f"{reverse('account_login')}?next={url}" in html
    assert 'name="message"' not in html


def test_user_without_a_company_is_told_to_join_one_first(client, centre):
    client.force_login(UserFactory(username="zonder-bedrijf"))
    html = page(client, reverse("competences:detail", args=[centre.slug]))
    assert "zodra je bij een onderneming hoort" in html
    assert reverse("me:home") in html
    assert 'name="message"' not in html


def test_member_sees_the_form_with_only_this_centres_active_services(
    member_client, centre, service
):
    ServiceFactory(centre=centre, name="Ingetrokken", is_active=False)
    other = ServiceFactory(name="Elders")
    html = page(member_client, reverse("competences:detail", args=[centre.slug]))
    assert 'name="message"' in html
    assert f'value="{service.pk}"' in html
    assert f'value="{other.pk}"' not in html
    assert html.count("Ingetrokken") == 0
    assert reverse("competences:ask", args=[centre.slug]) in html
    assert "Brouwerij Het Anker NV" in html  # on behalf of whom


def test_unknown_centre_is_a_404(member_client, db):
    assert Client().get(reverse("competences:detail", args=["bestaat-niet"])).status_code == 404
    response = member_client.post(
        reverse("competences:ask", args=["bestaat-niet"]), {"message": "Een echte vraag"}
    )
    assert response.status_code == 404


def test_detail_query_count_does_not_grow_with_services_and_events(
    member_client, centre, kempen, mechelen
):
    url = reverse("competences:detail", args=[centre.slug])
    visitor = Client()

    def add(n):
        for _ in range(n):
            ServiceFactory(centre=centre)
            event = EventFactory(centre=centre, organiser=kempen)
            event.co_organisers.add(mechelen)

    def count():
        assert_request_query_count("competences:detail as visitor", visitor, url)
        assert_request_query_count("competences:detail as member", member_client, url)

    add(3)
    count()
    add(9)
    count()
    assert page(visitor, url).count('class="event-card ') == 12
    assert page(member_client, url).count('class="card service-card"') == 12


# Asking for help


def test_member_asks_for_help(
    member_client, django_capture_on_commit_callbacks, person, centre, service, kempen_staff
):
    person.preferred_language = "fr"
    person.save()
    centre.name_fr = "Innovation intégrale"
    centre.save()
    url = reverse("competences:detail", args=[centre.slug])

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("competences:ask", args=[centre.slug]),
            {"service": service.pk, "message": "Kunnen jullie ons helpen met een subsidie?"},
        )

    assert response.status_code == 302 and response.url == url + "#bevestiging"
    request = ServiceRequest.objects.get()
    assert request.status == ServiceRequest.Status.NEW
    assert (request.company, request.person, request.centre, request.service) == (
        person.company,
        person,
        centre,
        service,
    )
    assert request.message == "Kunnen jullie ons helpen met een subsidie?"

    to_member = [m for m in mail.outbox if m.to == [person.email]]
    to_staff = [m for m in mail.outbox if m.to == ["staff@kempen.example"]]
    assert len(to_member) == 1 and "Innovation intégrale" in to_member[0].subject
    assert len(to_staff) == 1 and "Integrale innovatie" in to_staff[0].subject
    assert "Brouwerij Het Anker NV" in to_staff[0].subject

    html = page(member_client, url)
    assert "Je vraag is verstuurd naar Integrale innovatie" in html


def test_general_question_without_a_service(member_client, centre):
    response = member_client.post(
        reverse("competences:ask", args=[centre.slug]),
        {"service": "", "message": "Een algemene vraag over innovatie"},
    )
    assert response.status_code == 302
    assert ServiceRequest.objects.get().service is None


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("", "Schrijf je vraag."),
        ("   ", "Schrijf je vraag."),
        ("Help?", "Schrijf je vraag in minstens 10 tekens."),
    ],
)
def test_invalid_question_shows_the_error_and_writes_nothing(
    member_client, django_capture_on_commit_callbacks, centre, service, message, error
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("competences:ask", args=[centre.slug]),
            {"service": service.pk, "message": message},
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_message_error"><li>{error}</li></ul>' in html
    assert 'aria-invalid="true"' in html
    assert f'<option value="{service.pk}" selected>' in html  # the choice is kept
    assert not ServiceRequest.objects.exists()
    assert mail.outbox == []


def test_service_of_another_centre_is_a_form_error(member_client, centre, service):
    other = ServiceFactory(centre=CompetenceCentreFactory(alliance=centre.alliance))
    inactive = ServiceFactory(centre=centre, is_active=False)
    for forged in (other.pk, inactive.pk, "niet-een-nummer"):
        response = member_client.post(
            reverse("competences:ask", args=[centre.slug]),
            {"service": forged, "message": "Een vraag over een andere dienst"},
        )
        assert response.status_code == 200
        assert "Kies een dienst van dit competentiecentrum." in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_refusal_by_the_domain_is_shown_on_the_form(member_client, person, centre):
    # The company's membership lapsed: a members-only service is refused by the service layer.
    person.company.memberships.update(status="lapsed")
    members_only = ServiceFactory(centre=centre, audience=Service.Audience.MEMBERS)
    response = member_client.post(
        reverse("competences:ask", args=[centre.slug]),
        {"service": members_only.pk, "message": "Mag ik deze dienst gebruiken?"},
    )
    assert response.status_code == 200
    assert "enkel voor leden van de kamers van de alliantie" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_visitor_posting_is_sent_to_log_in_and_nothing_is_written(client, centre):
    response = client.post(
        reverse("competences:ask", args=[centre.slug]), {"message": "Een vraag van iemand"}
    )
    detail = reverse("competences:detail", args=[centre.slug])
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={detail}"
    assert not ServiceRequest.objects.exists()


def test_user_without_a_company_cannot_ask(client, centre):
    client.force_login(UserFactory(username="zonder-bedrijf"))
    response = client.post(
        reverse("competences:ask", args=[centre.slug]),
        {"message": "Een vraag zonder onderneming"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("competences:detail", args=[centre.slug])
    assert "Sluit je eerst aan bij je onderneming" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_ask_page_does_not_answer_get(member_client, centre):
    response = member_client.get(reverse("competences:ask", args=[centre.slug]))
    assert response.status_code == 405


def test_another_person_of_the_company_asks_for_their_own_name(client, person, centre):
    colleague_user = UserFactory(username="collega")
    colleague = PersonFactory(company=person.company, user=colleague_user, first_name="Jan")
    client.force_login(colleague_user)
    client.post(
        reverse("competences:ask", args=[centre.slug]), {"message": "Vraag van een collega"}
    )
    assert ServiceRequest.objects.get().person == colleague

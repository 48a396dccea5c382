"""A chamber's page: region, contacts, its alliance, the centres it leads and its events."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chambers.models import Accreditation, AccreditationCycle, Chamber
from events.models import Event
from tests.factories import (
    ChamberFactory,
    CompetenceCentreFactory,
    EventFactory,
    PersonFactory,
    RegistrationFactory,
)
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def chamber_url(chamber) -> str:
    return reverse("chambers:detail", args=[chamber.slug])


def test_chamber_page_shows_who_it_is_and_how_to_reach_it(client, kempen, mechelen, alliance):
    kempen.region = "Kempen"
    kempen.email, kempen.phone = "info@kempen.example", "014 56 30 30"
    kempen.website = "https://kempen.example"
    kempen.save()

    html = page(client, chamber_url(kempen))

    assert "<h1>Voka – KvK Kempen</h1>" in html
    assert "Lokale kamer" in html and "Regio Kempen" in html and "België" in html
    assert 'href="mailto:info@kempen.example"' in html
    assert 'href="tel:014563030"' in html and "014 56 30 30" in html
    assert 'href="https://kempen.example"' in html
    assert f"Lid van {alliance.name} sinds" in html
    assert f'href="{chamber_url(mechelen)}">Mechelen</a>' in html  # its allies
    assert "maakt geen deel uit van de alliantie" not in html


def test_chamber_page_lists_the_centres_it_leads(client, centre, mechelen):
    CompetenceCentreFactory(
        name="Familiebedrijven", lead_chamber=mechelen, alliance=centre.alliance
    )
    html = page(client, chamber_url(centre.lead_chamber))
    assert reverse("competences:detail", args=[centre.slug]) in html
    assert "Integrale innovatie" in html
    assert "Familiebedrijven" not in html


def test_chamber_page_lists_coming_events_it_organises_or_co_organises(
    client, kempen, mechelen, event
):
    co_organised = EventFactory(title="Bezoek Anuga", organiser=mechelen)
    co_organised.co_organisers.add(kempen, ChamberFactory())
    own = EventFactory(title="Energiecafé", organiser=kempen, capacity=10)
    own.co_organisers.add(mechelen, ChamberFactory())
    RegistrationFactory.create_batch(3, event=own)
    EventFactory(title="Concept", organiser=kempen, status=Event.Status.DRAFT)
    EventFactory(
        title="Voorbij",
        organiser=kempen,
        starts_at=timezone.now() - datetime.timedelta(days=2),
    )
    EventFactory(title="Enkel Mechelen", organiser=mechelen)

    html = page(client, chamber_url(kempen))

    assert reverse("events:detail", args=[event.slug]) in html and "Innovatieforum" in html
    assert "Bezoek Anuga" in html
    assert html.count("Bezoek Anuga") == 1  # listed once despite two co-organisers
    assert html.count("Energiecafé") == 1
    assert "Nog 7 plaatsen" in html  # a join on co-organisers would count each place twice
    assert "Concept" not in html and "Voorbij" not in html and "Enkel Mechelen" not in html
    assert "?chamber=kempen" not in html  # everything fits: no link to more


def test_many_events_link_to_the_filtered_events_list(client, kempen):
    for _ in range(11):
        EventFactory(organiser=kempen)
    html = page(client, chamber_url(kempen))
    assert html.count('class="event-card ') == 10
    assert f"{reverse('events:list')}?chamber=kempen" in html


def test_chamber_outside_the_alliance_says_so(client, limburg, alliance):
    html = page(client, chamber_url(limburg))
    assert "Voka – KvK Limburg" in html
    assert "maakt geen deel uit van de alliantie" in html
    assert "In de alliantie" not in html


def test_unknown_and_inactive_chambers_are_404(client, limburg):
    assert client.get(reverse("chambers:detail", args=["bestaat-niet"])).status_code == 404
    Chamber.objects.filter(pk=limburg.pk).update(is_active=False)
    assert client.get(chamber_url(limburg)).status_code == 404


def test_member_sees_their_price_on_the_events(member_client, kempen):
    EventFactory(organiser=kempen, member_price=45, non_member_price=95)
    html = page(member_client, chamber_url(kempen))
    assert "Jouw prijs" in html


def test_query_count_does_not_grow_with_the_events(member_client, kempen, mechelen, centre):
    visitor = Client()

    def add(n):
        for i in range(n):
            # Alternately organised and co-organised, each with co-organisers and a registration.
            if i % 2:
                event = EventFactory(organiser=mechelen, centre=centre)
                event.co_organisers.add(kempen)
            else:
                event = EventFactory(organiser=kempen, centre=centre)
                event.co_organisers.add(mechelen)
            RegistrationFactory(event=event, person=PersonFactory())

    def count():
        url = chamber_url(kempen)
        assert_request_query_count("chambers:detail as visitor, its events", visitor, url)
        assert_request_query_count("chambers:detail as member, its events", member_client, url)

    add(3)
    count()
    add(9)  # 12 events, 10 shown
    count()
    assert page(visitor, chamber_url(kempen)).count('class="event-card ') == 10


def test_chamber_page_shows_its_accreditation_status_and_validity(client, kempen):
    today = timezone.localdate()
    html = page(client, chamber_url(kempen))
    assert "Nog niet geaccrediteerd." in html

    Accreditation.objects.create(
        chamber=kempen,
        valid_from=today.replace(year=today.year - 4),
        valid_until=today - datetime.timedelta(days=10),
        status=Accreditation.Status.EXPIRED,
    )
    html = page(client, chamber_url(kempen))
    ended = (today - datetime.timedelta(days=10)).strftime("%-d")
    assert "Accreditatie verlopen" in html and f"liep tot {ended} " in html

    granted = Accreditation.objects.create(
        chamber=kempen,
        valid_from=today - datetime.timedelta(days=5),
        valid_until=today.replace(year=today.year + 3),
        status=Accreditation.Status.GRANTED,
    )
    AccreditationCycle.objects.create(
        chamber=kempen,
        self_assessment_due=today - datetime.timedelta(days=60),
        decision_due=today - datetime.timedelta(days=30),
        status="decided",
        decision="granted_with_conditions",
        conditions="Een kwaliteitshandboek.",
        valid_from=granted.valid_from,
        valid_until=granted.valid_until,
        decided_at=timezone.now(),
        accreditation=granted,
    )
    html = page(client, chamber_url(kempen))
    assert "Geaccrediteerd onder voorwaarden" in html
    assert f"tot {granted.valid_until.day} " in html and str(granted.valid_until.year) in html
    assert "Een nieuwe accreditatieronde loopt." not in html
    AccreditationCycle.objects.create(chamber=kempen, self_assessment_due=today, decision_due=today)
    assert "Een nieuwe accreditatieronde loopt." in page(client, chamber_url(kempen))

"""The events back-office (/staff/events/): the list, one event's page, and every action on it."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from alliance.base.models import DomainError
from chambers.models import StaffRole
from events import services
from events.models import Event, Registration
from members.models import Person
from tests.factories import (
    CompanyFactory,
    EventFactory,
    PartnerFactory,
    PersonFactory,
    RegistrationFactory,
    SectorFactory,
    staff_user,
)
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


def local(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def form_data(event: Event | None = None, **changes) -> dict:
    """What the browser sends for the event form: `event`'s values, or a new event's."""
    starts = timezone.now() + datetime.timedelta(days=40)
    data = {
        "title_nl": "Nieuw forum",
        "title_fr": "",
        "title_en": "",
        "description_nl": "",
        "description_fr": "",
        "description_en": "",
        "kind": "forum",
        "organiser": "",
        "centre": "",
        "starts_at": local(starts),
        "ends_at": local(starts + datetime.timedelta(hours=3)),
        "venue": "",
        "city": "Geel",
        "country": "BE",
        "language": "nl",
        "capacity": "50",
        "has_waiting_list": "on",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "member_price": "45.00",
        "non_member_price": "95.00",
        "audience": "everyone",
    }
    if event is not None:
        data.update(
            title_nl=event.title_nl,
            title_fr=event.title_fr or "",
            title_en=event.title_en or "",
            description_nl=event.description_nl or "",
            kind=event.kind,
            organiser=str(event.organiser_id),
            centre=str(event.centre_id or ""),
            starts_at=local(event.starts_at),
            ends_at=local(event.ends_at),
            city=event.city,
            country=event.country,
            capacity="" if event.capacity is None else str(event.capacity),
            member_price=str(event.member_price),
            non_member_price=str(event.non_member_price),
            audience=event.audience,
        )
        data["co_organisers"] = [str(c.pk) for c in event.co_organisers.all()]
        data["partners"] = [str(p.pk) for p in event.partners.all()]
        data["sectors"] = [str(s.pk) for s in event.sectors.all()]
        if not event.has_waiting_list:
            data.pop("has_waiting_list")
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def html_of(response, status=200) -> str:
    assert response.status_code == status, (response.status_code, response.content[:800])
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


@pytest.fixture
def manager(kempen):
    return staff_user(Role.EVENT_MANAGER, kempen, username="manager")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def full_event(event, company):
    """The Kempen forum with 2 places taken and 2 people waiting (positions 1 and 2)."""
    event.capacity = 2
    event.save()
    people = [
        PersonFactory(company=company, first_name=name, last_name="Test")
        for name in ("Anna", "Bert", "Chris", "Dirk")
    ]
    registrations = [services.registration_create(event=event, person=p) for p in people]
    assert [r.status for r in registrations] == ["confirmed"] * 2 + ["waitlisted"] * 2
    mail.outbox.clear()
    return registrations


def waiting_order(event) -> list[str]:
    return [r.person.first_name for r in event.registrations.waiting().select_related("person")]


# The list.


def test_list_shows_own_and_co_organised_events_with_places_and_badges(
    manager_client, event, kempen, mechelen, limburg, full_event
):
    joint = EventFactory(title="Samen met Mechelen", organiser=mechelen, capacity=None)
    joint.co_organisers.add(kempen)
    EventFactory(title="Enkel Mechelen", organiser=mechelen)
    EventFactory(title="Limburgs ontwerp", organiser=limburg, status=Event.Status.DRAFT)
    EventFactory(title="Ons ontwerp", organiser=kempen, status=Event.Status.DRAFT)
    html = html_of(manager_client.get("/staff/events/"))
    assert "Innovatieforum" in html and "Samen met Mechelen" in html and "Ons ontwerp" in html
    assert "Enkel Mechelen" not in html and "Limburgs ontwerp" not in html
    assert "2/2" in html and "volzet" in html
    assert 'badge--muted">Ontwerp' in html and 'badge--success">Gepubliceerd' in html
    assert "3 activiteiten" in html
    assert 'aria-current="page">Activiteiten' in html  # the back-office's own menu


def test_list_puts_upcoming_first_and_past_on_request(manager_client, kempen):
    now = timezone.now()
    EventFactory(title="Later", organiser=kempen, starts_at=now + datetime.timedelta(days=60))
    EventFactory(title="Eerst", organiser=kempen, starts_at=now + datetime.timedelta(days=2))
    EventFactory(
        title="Vorige maand",
        organiser=kempen,
        starts_at=now - datetime.timedelta(days=30),
        ends_at=now - datetime.timedelta(days=30) + datetime.timedelta(hours=2),
    )
    html = html_of(manager_client.get("/staff/events/"))
    assert html.index("Eerst") < html.index("Later") and "Vorige maand" not in html
    html = html_of(manager_client.get("/staff/events/", {"past": "1"}))
    assert "Vorige maand" in html and "Eerst" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "draft"}, {"Ontwerp-atelier"}),
        ({"status": "cancelled"}, {"Afgelast"}),
        ({"chamber": "mechelen"}, {"Samen"}),
        ({"q": "waterstof"}, {"Innovatieforum"}),
        ({"status": "bestaat-niet"}, set()),
    ],
)
def test_list_filters(manager_client, event, kempen, mechelen, params, expected):
    event.description_nl = "Over waterstof"
    event.save()
    EventFactory(title="Ontwerp-atelier", organiser=kempen, status=Event.Status.DRAFT)
    EventFactory(title="Afgelast", organiser=kempen, status=Event.Status.CANCELLED)
    EventFactory(title="Samen", organiser=mechelen).co_organisers.add(kempen)
    html = html_of(manager_client.get("/staff/events/", params))
    titles = {"Innovatieforum", "Ontwerp-atelier", "Afgelast", "Samen"}
    assert {title for title in titles if f">{title}</a>" in html} == expected


def test_list_month_filter(manager_client, kempen):
    later = timezone.now() + datetime.timedelta(days=70)
    EventFactory(title="Over twee maanden", organiser=kempen, starts_at=later)
    EventFactory(title="Volgende week", organiser=kempen)
    month = timezone.localtime(later).strftime("%Y-%m")
    html = html_of(manager_client.get("/staff/events/", {"month": month}))
    assert "Over twee maanden" in html and "Volgende week" not in html
    html = html_of(manager_client.get("/staff/events/", {"month": "2026-13"}))
    assert "Een filter klopt niet" in html


def test_list_htmx_returns_only_the_results(manager_client, event):
    html = html_of(manager_client.get("/staff/events/", HTTP_HX_REQUEST="true"))
    assert html.lstrip().startswith('<div id="staff-event-results"') and "<html" not in html


def test_list_query_count_does_not_grow_with_the_events(client, kempen, mechelen, company):
    user = staff_user(Role.EVENT_MANAGER, kempen)
    client.force_login(user)

    def make(count):
        for _ in range(count):
            event = EventFactory(organiser=kempen)
            event.co_organisers.add(mechelen)
            event.sectors.add(SectorFactory())
            RegistrationFactory(event=event, person=PersonFactory(company=company))

    def queries():
        assert_request_query_count("staff:events as event manager", client, "/staff/events/")

    make(3)
    queries()
    make(9)
    assert "12 activiteiten" in html_of(client.get("/staff/events/"))
    queries()


def test_viewer_sees_the_list_without_write_buttons(client, event, viewer):
    client.force_login(viewer)
    html = html_of(client.get("/staff/events/"))
    assert "Innovatieforum" in html
    assert "Nieuwe activiteit" not in html and "/edit/" not in html
    html = html_of(client.get(f"/staff/events/{event.slug}/"))
    assert "Bewerk" not in html and "Dupliceer" not in html and "Schrijf een gast in" not in html
    assert "Exporteer als CSV" not in html


# One event's page.


def test_detail_shows_attendees_waiting_list_and_actions(manager_client, event, full_event):
    html = html_of(manager_client.get(f"/staff/events/{event.slug}/"))
    for name in ("Anna Test", "Bert Test", "Chris Test", "Dirk Test"):
        assert name in html
    assert "2 van 2 bezet" in html and "volzet" in html
    assert "Lid via Mechelen" in html and "€\xa045,00" in html
    waiting = html[html.index('id="wachtlijst"') :]
    assert waiting.index("Chris Test") < waiting.index("Dirk Test")
    assert "Geef een plaats" in waiting and "↑ Hoger" in waiting and "↓ Lager" in waiting
    for action in ("Bewerk", "Dupliceer", "Annuleer de activiteit", "Inchecken", "Pas aan"):
        assert action in html
    assert "Exporteer als CSV" in html and "Exporteer als XLSX" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"Anna", "Bert", "Chris", "Dirk", "Frank"}),
        ({"status": "waitlisted"}, {"Chris", "Dirk"}),
        ({"status": "cancelled"}, {"Eva"}),
        ({"company": "Anker"}, {"Anna", "Bert", "Chris", "Dirk"}),
        ({"company": "Buiten"}, {"Frank"}),
        ({"member_terms": "no"}, {"Frank"}),
        ({"member_terms": "yes"}, {"Anna", "Bert", "Chris", "Dirk"}),
        ({"q": "dirk"}, {"Dirk"}),
    ],
)
def test_detail_attendee_filters(manager_client, event, full_event, params, expected):
    # Over capacity on purpose: written directly, so that nobody is promoted meanwhile.
    outsider = CompanyFactory(name="Buiten BV")
    RegistrationFactory(event=event, person=PersonFactory(company=outsider, first_name="Frank"))
    RegistrationFactory(
        event=event,
        person=PersonFactory(company=full_event[0].company, first_name="Eva"),
        status=Registration.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )
    html = html_of(manager_client.get(f"/staff/events/{event.slug}/", params))
    table = html[html.index('id="attendees-title"') : html.index('id="wachtlijst"')]
    names = {"Anna", "Bert", "Chris", "Dirk", "Eva", "Frank"}
    assert {name for name in names if f"{name} " in table} == expected


def test_detail_filter_by_enterprise_number(manager_client, event, full_event):
    number = full_event[0].company.enterprise_number
    html = html_of(
        manager_client.get(
            f"/staff/events/{event.slug}/", {"company": number[:4] + "." + number[4:7]}
        )
    )
    assert "Anna Test" in html


def test_detail_query_count_does_not_grow_with_the_attendees(manager_client, event, company):
    event.capacity = None
    event.save()

    def register(count):
        for _ in range(count):
            services.registration_create(event=event, person=PersonFactory(company=company))

    def queries():
        assert_request_query_count(
            "staff:event_detail as event manager, attendees",
            manager_client,
            f"/staff/events/{event.slug}/",
        )

    register(3)
    queries()
    register(12)
    queries()


def test_detail_waiting_list_query_count_does_not_grow(manager_client, event, company):
    event.capacity = 1
    event.save()

    def register(count):
        for _ in range(count):
            services.registration_create(event=event, person=PersonFactory(company=company))

    def queries():
        assert_request_query_count(
            "staff:event_detail as event manager, waiting list",
            manager_client,
            f"/staff/events/{event.slug}/",
        )

    register(4)
    queries()
    register(12)
    assert event.registrations.waiting().count() == 15
    queries()


def test_unknown_event_is_a_404(manager_client):
    assert manager_client.get("/staff/events/bestaat-niet/").status_code == 404


# Creating and editing.


def test_create_an_event_as_a_draft(manager_client, kempen, mechelen, centre):
    partner = PartnerFactory(name="LIOF")
    sector = SectorFactory(name="Energie")
    data = form_data(
        organiser=str(kempen.pk),
        title_fr="Forum de l'innovation",
        title_en="Innovation forum",
        description_nl="Waterstof en warmtenetten.",
        centre=str(centre.pk),
        co_organisers=[str(mechelen.pk)],
        partners=[str(partner.pk)],
        sectors=[str(sector.pk)],
        registration_closes_at=local(timezone.now() + datetime.timedelta(days=39)),
    )
    response = manager_client.post("/staff/events/new/", data)
    event = Event.objects.get(title_nl="Nieuw forum")
    assert response.status_code == 302 and response["Location"] == f"/staff/events/{event.slug}/"
    assert event.slug == "nieuw-forum" and event.status == Event.Status.DRAFT
    assert (event.title, event.title_fr, event.title_en) == (
        "Nieuw forum",
        "Forum de l'innovation",
        "Innovation forum",
    )
    assert event.organiser == kempen and list(event.co_organisers.all()) == [mechelen]
    assert list(event.partners.all()) == [partner] and list(event.sectors.all()) == [sector]
    assert event.capacity == 50 and event.member_price == Decimal("45.00")
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M") == data["starts_at"]
    assert str(timezone.localtime(event.starts_at).tzinfo) == "Europe/Brussels"
    # A second event with the same title gets a slug of its own.
    manager_client.post("/staff/events/new/", data)
    assert Event.objects.filter(slug="nieuw-forum-2").exists()


def test_create_offers_only_the_chambers_where_the_user_manages_events(
    manager_client, kempen, mechelen
):
    html = html_of(manager_client.get("/staff/events/new/"))
    organiser = html[
        html.index('name="organiser"') : html.index("</select>", html.index('name="organiser"'))
    ]
    assert "Kempen" in organiser and "Mechelen" not in organiser
    response = manager_client.post("/staff/events/new/", form_data(organiser=str(mechelen.pk)))
    html = html_of(response)
    assert "Selecteer een geldige keuze" in html
    assert not Event.objects.filter(title_nl="Nieuw forum").exists()


def _around_start(hours=0):
    """A time near form_data()'s start (40 days from now), in the form's format."""
    return local(timezone.now() + datetime.timedelta(days=40, hours=hours))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": _around_start(-1)}, "ends_at", "Het einde moet na het begin liggen."),
        (
            # Closing after the start (even before the end) is refused: a multi-day event under
            # way is closed for registration (issue 11).
            {"registration_closes_at": _around_start(1)},
            "registration_closes_at",
            "ten laatste bij het begin van de activiteit",
        ),
        (
            {
                "registration_opens_at": _around_start(-2),
                "registration_closes_at": _around_start(-3),
            },
            "registration_closes_at",
            "sluiten na het moment waarop ze openen",
        ),
        (
            {"member_price": "120", "non_member_price": "95"},
            "member_price",
            "De ledenprijs mag niet hoger zijn dan de prijs voor niet-leden.",
        ),
        ({"member_price": "-5"}, "member_price", "Een prijs kan niet negatief zijn."),
        ({"capacity": "0"}, "capacity", "De capaciteit moet minstens 1 zijn."),
        ({"country": "B1"}, "country", "twee letters"),
        ({"title_nl": ""}, "title_nl", "Dit veld is vereist."),
        ({"starts_at": "morgen"}, "starts_at", "Voer een geldige datum/tijd in."),
    ],
)
def test_create_refuses_what_the_database_would_refuse_in_dutch(
    manager_client, kempen, changes, field, message
):
    data = form_data(organiser=str(kempen.pk), **changes)
    html = html_of(manager_client.post("/staff/events/new/", data))
    assert message in html
    assert f'id="id_{field}_error"' in html, "the error stands next to its field"
    assert "is violated" not in html and "Constraint" not in html
    assert not Event.objects.exists()


def test_organiser_cannot_also_co_organise(manager_client, kempen):
    data = form_data(organiser=str(kempen.pk), co_organisers=[str(kempen.pk)])
    assert "niet ook co-organisator" in html_of(manager_client.post("/staff/events/new/", data))


def test_edit_an_event(manager_client, event, mechelen):
    data = form_data(event, title_nl="Innovatieforum 2026", city="Turnhout")
    data["co_organisers"] = [str(mechelen.pk)]
    response = manager_client.post(f"/staff/events/{event.slug}/edit/", data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title_nl, event.title, event.city) == (
        "Innovatieforum 2026",
        "Innovatieforum 2026",
        "Turnhout",
    )
    assert event.slug == "innovatieforum", "the address stays the same"
    assert list(event.co_organisers.all()) == [mechelen]


def test_edit_form_shows_the_current_values(manager_client, event):
    html = html_of(manager_client.get(f"/staff/events/{event.slug}/edit/"))
    assert 'value="Innovatieforum"' in html and local(event.starts_at) in html


def test_edit_with_a_larger_capacity_promotes_the_waiting_list(
    manager_client, event, full_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            f"/staff/events/{event.slug}/edit/", form_data(event, capacity="3")
        )
    assert response.status_code == 302
    assert waiting_order(event) == ["Dirk"]
    assert [m.to for m in mail.outbox] == [[full_event[2].person.email]]


def test_edit_refuses_a_capacity_below_the_places_taken(manager_client, event, full_event):
    html = html_of(
        manager_client.post(f"/staff/events/{event.slug}/edit/", form_data(event, capacity="1"))
    )
    assert "Er zijn al 2 plaatsen bezet" in html and 'id="id_capacity_error"' in html
    event.refresh_from_db()
    assert event.capacity == 2


def test_edit_form_errors_keep_the_saved_title_in_the_header(manager_client, event):
    html = html_of(
        manager_client.post(
            f"/staff/events/{event.slug}/edit/", form_data(event, title_nl="", ends_at="x")
        )
    )
    assert ">Innovatieforum</a>" in html and "Dit veld is vereist." in html


def test_a_co_organiser_may_edit_but_another_chamber_may_not(client, event, mechelen, limburg):
    event.co_organisers.add(mechelen)
    client.force_login(staff_user(Role.EVENT_MANAGER, mechelen))
    assert client.get(f"/staff/events/{event.slug}/edit/").status_code == 200
    response = client.post(
        f"/staff/events/{event.slug}/edit/", form_data(event, title_nl="Samen beter")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_nl == "Samen beter" and event.organiser.slug == "kempen"
    client.force_login(staff_user(Role.EVENT_MANAGER, limburg))
    assert client.post(f"/staff/events/{event.slug}/edit/", form_data(event)).status_code == 404


# Duplicate, publish, cancel.


def test_duplicate_makes_a_draft_copy_without_registrations(
    manager_client, event, full_event, mechelen
):
    event.co_organisers.add(mechelen)
    event.title_fr = "Forum"
    event.save()
    response = manager_client.post(f"/staff/events/{event.slug}/duplicate/")
    copy = Event.objects.get(slug="innovatieforum-kopie")
    assert (
        response.status_code == 302 and response["Location"] == f"/staff/events/{copy.slug}/edit/"
    )
    assert copy.status == Event.Status.DRAFT and copy.pk != event.pk
    assert (copy.title_nl, copy.title_fr, copy.capacity, copy.starts_at) == (
        "Innovatieforum",
        "Forum",
        2,
        event.starts_at,
    )
    assert list(copy.co_organisers.all()) == [mechelen] and copy.centre == event.centre
    assert copy.registrations.count() == 0 and event.registrations.count() == 4
    manager_client.post(f"/staff/events/{event.slug}/duplicate/")
    assert Event.objects.filter(slug="innovatieforum-kopie-2").exists()


def test_publish_a_draft(manager_client, kempen):
    draft = EventFactory(title="Ontwerp", organiser=kempen, status=Event.Status.DRAFT)
    response = manager_client.post(f"/staff/events/{draft.slug}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED
    response = manager_client.post(f"/staff/events/{draft.slug}/publish/", follow=True)
    assert "Deze activiteit is al gepubliceerd." in html_of(response)


def test_publish_refuses_a_past_or_cancelled_event(manager, kempen):
    now = timezone.now()
    past = EventFactory(
        organiser=kempen,
        status=Event.Status.DRAFT,
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=1),
    )
    cancelled = EventFactory(organiser=kempen, status=Event.Status.CANCELLED)
    for event, code in ((past, "event_over"), (cancelled, "event_cancelled")):
        with pytest.raises(DomainError) as caught:
            services.event_publish(event=event, actor=manager)
        assert caught.value.code == code


def test_cancel_asks_for_confirmation_first(manager_client, event, full_event):
    html = html_of(manager_client.get(f"/staff/events/{event.slug}/cancel/"))
    assert "4 mensen zijn ingeschreven of staan op de wachtlijst" in html
    html = html_of(manager_client.post(f"/staff/events/{event.slug}/cancel/", {}))
    assert "Vink aan dat je de activiteit wilt annuleren." in html
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED and not mail.outbox


def test_cancel_e_mails_everyone_registered_in_their_language(
    manager_client, event, full_event, company, django_capture_on_commit_callbacks
):
    event.capacity = 10
    event.save()
    french = services.registration_create(
        event=event, person=PersonFactory(company=company, preferred_language="fr")
    )
    gone = services.registration_create(event=event, person=PersonFactory(company=company))
    services.registration_cancel(registration=gone)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/staff/events/{event.slug}/cancel/", {"confirm": "on"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    expected = {r.person.email for r in full_event} | {french.person.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    assert gone.person.email not in {m.to[0] for m in mail.outbox}
    assert all("Innovatieforum" in m.subject for m in mail.outbox)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[french.person.email].startswith("Annulée")
    assert subjects[full_event[0].person.email].startswith("Geannuleerd")
    assert "5 mensen krijgen een e-mail" in messages_of(response)[0]
    html = html_of(manager_client.get(f"/staff/events/{event.slug}/"))
    assert 'badge--danger">Geannuleerd' in html and "Annuleer de activiteit" not in html


def test_only_the_organising_chamber_cancels(client, event, mechelen):
    event.co_organisers.add(mechelen)
    client.force_login(staff_user(Role.EVENT_MANAGER, mechelen))
    assert "Annuleer de activiteit" not in html_of(client.get(f"/staff/events/{event.slug}/"))
    assert client.post(f"/staff/events/{event.slug}/cancel/", {"confirm": "on"}).status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


# Capacity and the waiting list.


def test_raising_capacity_promotes_from_the_waiting_list(
    manager_client, event, full_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/staff/events/{event.slug}/capacity/", {"capacity": "3"})
    assert response.status_code == 302
    assert "1 mensen van de wachtlijst kregen een plaats" in messages_of(response)[0]
    full_event[2].refresh_from_db()
    assert full_event[2].status == Registration.Status.CONFIRMED
    assert full_event[2].waiting_list_position is None
    assert waiting_order(event) == ["Dirk"]
    assert [m.to for m in mail.outbox] == [[full_event[2].person.email]]
    # Unlimited: everyone waiting gets a place.
    manager_client.post(f"/staff/events/{event.slug}/capacity/", {"capacity": ""})
    event.refresh_from_db()
    assert event.capacity is None and waiting_order(event) == []


def test_capacity_below_the_places_taken_is_refused(manager_client, event, full_event):
    response = manager_client.post(f"/staff/events/{event.slug}/capacity/", {"capacity": "1"})
    html = html_of(response, status=400)
    assert "Er zijn al 2 plaatsen bezet" in html and 'id="id_capacity_error"' in html
    assert html_of(
        manager_client.post(f"/staff/events/{event.slug}/capacity/", {"capacity": "0"}), 400
    ).count("De capaciteit moet minstens 1 zijn.")
    event.refresh_from_db()
    assert event.capacity == 2 and waiting_order(event) == ["Chris", "Dirk"]


def test_promote_one_person_when_a_place_is_free(
    manager_client, event, full_event, django_capture_on_commit_callbacks
):
    dirk = full_event[3]
    url = f"/staff/events/{event.slug}/waiting-list/{dirk.pk}/promote/"
    # Moving someone ahead needs a reason, kept in the registration's log (issue 11).
    response = manager_client.post(url)
    assert "Geef een reden op om iemand voor te laten gaan." in messages_of(response)
    response = manager_client.post(url, {"reason": "Spreker"})
    assert "Er is geen vrije plaats. Verhoog eerst de capaciteit." in messages_of(response)
    dirk.refresh_from_db()
    assert dirk.status == Registration.Status.WAITLISTED
    Event.objects.filter(pk=event.pk).update(capacity=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url, {"reason": "Spreker van de namiddag"})
    assert response.status_code == 302 and response["Location"].endswith("#wachtlijst")
    dirk.refresh_from_db()
    assert dirk.status == Registration.Status.CONFIRMED, "ahead of Chris: staff's choice"
    assert "manager · voorgelaten op de wachtlijst: Spreker van de namiddag" in dirk.staff_log
    # Staff read the log on the event's page, beside the attendee.
    page = manager_client.get(f"/staff/events/{event.slug}/").content.decode()
    assert "Logboek" in page and "voorgelaten op de wachtlijst: Spreker van de namiddag" in page
    assert waiting_order(event) == ["Chris"]
    assert [m.to for m in mail.outbox] == [[dirk.person.email]]


def test_promote_a_registration_of_another_event_is_a_404(manager_client, event, kempen):
    other = RegistrationFactory(event=EventFactory(organiser=kempen))
    url = f"/staff/events/{event.slug}/waiting-list/{other.pk}/promote/"
    assert manager_client.post(url).status_code == 404


def test_reorder_the_waiting_list(manager_client, event, full_event, company):
    event.capacity = 2
    for name in ("Eva", "Frank"):
        services.registration_create(
            event=event, person=PersonFactory(company=company, first_name=name)
        )
    assert waiting_order(event) == ["Chris", "Dirk", "Eva", "Frank"]
    frank = event.registrations.get(person__first_name="Frank")
    chris = event.registrations.get(person__first_name="Chris")

    def move(registration, direction):
        url = f"/staff/events/{event.slug}/waiting-list/{registration.pk}/move/"
        return manager_client.post(url, {"direction": direction})

    assert move(frank, "up").status_code == 302
    assert waiting_order(event) == ["Chris", "Dirk", "Frank", "Eva"]
    move(frank, "up")
    move(frank, "up")
    assert waiting_order(event) == ["Frank", "Chris", "Dirk", "Eva"]
    assert "Deze persoon staat al vooraan op de wachtlijst." in messages_of(move(frank, "up"))
    move(chris, "down")
    assert waiting_order(event) == ["Frank", "Dirk", "Chris", "Eva"]
    positions = list(event.registrations.waiting().values_list("waiting_list_position", flat=True))
    assert len(set(positions)) == len(positions) == 4
    assert "Kies hoger of lager." in messages_of(move(chris, "sideways"))
    # The ranks the members see follow the new order.
    assert services.waiting_list_rank(frank) == 1


def test_reorder_keeps_positions_unique_with_gaps(manager, event, full_event, company):
    """People leave the list and leave gaps; a move still swaps two neighbours."""
    for name in ("Eva", "Frank"):
        services.registration_create(
            event=event, person=PersonFactory(company=company, first_name=name)
        )
    services.registration_cancel(registration=event.registrations.get(person__first_name="Dirk"))
    eva = event.registrations.get(person__first_name="Eva")
    services.waiting_list_move(registration=eva, direction="up", actor=manager)
    assert waiting_order(event) == ["Eva", "Chris", "Frank"]
    positions = dict(
        event.registrations.waiting().values_list("person__first_name", "waiting_list_position")
    )
    assert positions == {"Eva": 1, "Chris": 3, "Frank": 4}
    with pytest.raises(DomainError) as caught:
        services.waiting_list_move(registration=full_event[0], direction="up", actor=manager)
    assert caught.value.code == "not_waitlisted"


# Guests.


def test_register_a_guest_creates_the_person_at_the_company(
    manager_client, event, company, django_capture_on_commit_callbacks
):
    data = {
        "enterprise_number": "BE " + company.enterprise_number_display,
        "first_name": "Gert",
        "last_name": "Gast",
        "email": "gert@anker.example",
        "preferred_language": "fr",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/staff/events/{event.slug}/guest/", data)
    assert response.status_code == 302
    assert "Gert Gast is ingeschreven." in messages_of(response)
    person = Person.objects.get(email="gert@anker.example")
    assert (person.company, person.preferred_language) == (company, "fr")
    registration = event.registrations.get(person=person)
    assert (registration.status, registration.member_terms, registration.price) == (
        "confirmed",
        True,
        Decimal("45.00"),
    )
    assert [m.to for m in mail.outbox] == [["gert@anker.example"]]


def test_register_a_guest_reuses_the_person_with_that_e_mail(manager_client, event, person):
    data = {
        "enterprise_number": person.company.enterprise_number,
        "first_name": "Els",
        "last_name": "janssens",
        "email": person.email.upper(),
        "preferred_language": "nl",
    }
    assert manager_client.post(f"/staff/events/{event.slug}/guest/", data).status_code == 302
    assert Person.objects.filter(company=person.company).count() == 1
    assert event.registrations.get().person == person


def test_a_guest_address_of_someone_else_tells_no_name(manager_client, event, person):
    """Staff who try an address with another name learn neither the stored name nor whether
    that person attends: the form says the name does not match, nothing is written."""
    data = {
        "enterprise_number": person.company.enterprise_number,
        "first_name": "Andere",
        "last_name": "Naam",
        "email": person.email.upper(),
        "preferred_language": "nl",
    }
    page = manager_client.post(f"/staff/events/{event.slug}/guest/", data)
    assert page.status_code == 400
    assert "andere naam" in page.content.decode()
    assert "Janssens" not in page.content.decode()
    assert not event.registrations.exists()


def test_register_a_guest_on_the_waiting_list_says_so(manager_client, event, full_event, company):
    data = {
        "enterprise_number": company.enterprise_number,
        "first_name": "Gert",
        "last_name": "Gast",
        "email": "gert@anker.example",
        "preferred_language": "nl",
    }
    response = manager_client.post(f"/staff/events/{event.slug}/guest/", data)
    assert "Gert Gast staat op de wachtlijst (plaats 3)" in messages_of(response)[0]


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("0403.170.702", "Het controlegetal van dit ondernemingsnummer klopt niet."),
        ("12345", "Een ondernemingsnummer telt 10 cijfers"),
        ("0403.170.701", "Er is geen onderneming met ondernemingsnummer 0403.170.701."),
    ],
)
def test_register_a_guest_needs_a_known_company(manager_client, event, number, message):
    data = {
        "enterprise_number": number,
        "first_name": "Gert",
        "last_name": "Gast",
        "email": "gert@example.be",
        "preferred_language": "nl",
    }
    html = html_of(manager_client.post(f"/staff/events/{event.slug}/guest/", data), 400)
    assert message in html and 'id="id_enterprise_number_error"' in html
    assert not Person.objects.filter(email="gert@example.be").exists()
    assert not event.registrations.exists()


def test_a_refused_guest_leaves_no_new_person(manager_client, event, full_event, company):
    event.has_waiting_list = False
    event.save()
    data = {
        "enterprise_number": company.enterprise_number,
        "first_name": "Gert",
        "last_name": "Gast",
        "email": "gert@anker.example",
        "preferred_language": "nl",
    }
    html = html_of(manager_client.post(f"/staff/events/{event.slug}/guest/", data), 400)
    assert "Deze activiteit is volzet." in html
    assert not Person.objects.filter(email="gert@anker.example").exists()


# Check-in.


def test_check_in_page_works_on_a_phone(manager_client, event):
    html = html_of(manager_client.get(f"/staff/events/{event.slug}/check-in/"))
    assert 'name="viewport"' in html and "autofocus" in html and 'name="ticket_code"' in html
    assert "js/staff-check-in.js" in html and "https://" not in html.split("</head>")[0]
    assert "0 van 0 aanwezig" in html


def test_check_in_by_ticket_code_and_twice_says_already(manager_client, event, full_event):
    anna = full_event[0]
    url = f"/staff/events/{event.slug}/check-in/"
    html = html_of(manager_client.post(url, {"ticket_code": f"  {anna.ticket_code} "}))
    assert "✓ Ingecheckt" in html and "Anna Test" in html and "1 van 2 aanwezig" in html
    anna.refresh_from_db()
    assert anna.status == Registration.Status.ATTENDED and anna.checked_in_at is not None
    first_time = anna.checked_in_at
    html = html_of(manager_client.post(url, {"ticket_code": anna.ticket_code}))
    assert "Deze persoon is al ingecheckt." in html and "Anna Test" in html
    assert "ingecheckt om" in html
    anna.refresh_from_db()
    assert anna.checked_in_at == first_time


def test_check_in_with_htmx_returns_the_result_only(manager_client, event, full_event):
    url = f"/staff/events/{event.slug}/check-in/"
    # A scanner may read the ticket's address rather than the bare code.
    code = f"https://portaal.example/me/tickets/{full_event[1].ticket_code}/"
    html = html_of(manager_client.post(url, {"ticket_code": code}, HTTP_HX_REQUEST="true"))
    assert "<html" not in html and "✓ Ingecheckt" in html and "Bert Test" in html


@pytest.mark.parametrize("which", ["unknown", "other_event", "waitlisted", "empty"])
def test_check_in_refuses_what_is_not_a_ticket_of_this_event(
    manager_client, event, full_event, kempen, which
):
    codes = {
        "unknown": "geen-echte-code",
        "other_event": RegistrationFactory(event=EventFactory(organiser=kempen)).ticket_code,
        "waitlisted": full_event[2].ticket_code,
        "empty": "",
    }
    html = html_of(
        manager_client.post(f"/staff/events/{event.slug}/check-in/", {"ticket_code": codes[which]})
    )
    expected = {
        "unknown": "Geen ticket met deze code voor deze activiteit.",
        "other_event": "Geen ticket met deze code voor deze activiteit.",
        "waitlisted": "Alleen een bevestigde inschrijving kan inchecken.",
        "empty": "Dit veld is vereist.",
    }[which]
    assert expected in html
    assert not Registration.objects.filter(status=Registration.Status.ATTENDED).exists()


def test_check_in_from_the_attendee_table(manager_client, event, full_event):
    response = manager_client.post(
        f"/staff/events/{event.slug}/check-in/",
        {"ticket_code": full_event[0].ticket_code, "from": "detail"},
    )
    assert response.status_code == 302 and response["Location"] == f"/staff/events/{event.slug}/"
    assert "Anna Test is ingecheckt." in messages_of(response)


def test_the_attendee_table_sorts_by_its_columns(manager_client, event, company):
    for first, last in (("Bram", "Aerts"), ("Zoë", "Wouters"), ("Mia", "Maes")):
        services.registration_create(
            event=event, person=PersonFactory(company=company, first_name=first, last_name=last)
        )
    url = f"/staff/events/{event.slug}/"

    def order(**params):
        html = html_of(manager_client.get(url, params))
        return sorted(("Aerts", "Wouters", "Maes"), key=html.index), html

    assert order()[0] == ["Aerts", "Wouters", "Maes"]  # registration order
    names, html = order(sort="naam")
    assert names == ["Aerts", "Maes", "Wouters"]
    assert 'aria-sort="ascending"><a class="sort-link" href="?sort=-naam' in html
    assert order(sort="-naam")[0] == ["Wouters", "Maes", "Aerts"]
    assert order(sort="iets-anders")[0] == ["Aerts", "Wouters", "Maes"]


def test_check_in_by_name_for_someone_without_a_ticket(manager_client, event, full_event):
    url = f"/staff/events/{event.slug}/check-in/"
    html = html_of(manager_client.get(url, {"naam": "anna test"}))
    assert "Anna Test" in html and "Bert Test" not in html
    assert f'name="ticket_code" value="{full_event[0].ticket_code}"' in html
    # The waiting list is found too, but cannot check in.
    html = html_of(manager_client.get(url, {"naam": "Chris"}))
    assert "Chris Test" in html and full_event[2].ticket_code not in html
    html = html_of(manager_client.get(url, {"naam": "Niemand"}))
    assert "Niemand met die naam ingeschreven." in html
    html = html_of(manager_client.post(url, {"ticket_code": full_event[0].ticket_code}))
    assert "✓ Ingecheckt" in html and "Anna Test" in html


def test_check_in_by_name_sees_only_this_event(manager_client, event, full_event, kempen):
    other = RegistrationFactory(event=EventFactory(organiser=kempen))
    html = html_of(
        manager_client.get(
            f"/staff/events/{event.slug}/check-in/", {"naam": other.person.last_name}
        )
    )
    assert other.ticket_code not in html


def test_check_in_refused_for_a_cancelled_event(manager, event, full_event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    event.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        services.registration_check_in(
            event=event, ticket_code=full_event[0].ticket_code, actor=manager
        )
    assert caught.value.code == "event_cancelled"


def test_services_refuse_an_actor_who_does_not_manage_the_event(event, full_event, viewer):
    member = full_event[0]
    calls = [
        lambda: services.event_publish(event=event, actor=viewer),
        lambda: services.event_duplicate(event=event, actor=viewer),
        lambda: services.event_capacity_change(event=event, capacity=5, actor=viewer),
        lambda: services.registration_promote(registration=full_event[2], actor=viewer),
        lambda: services.waiting_list_move(
            registration=full_event[3], direction="up", actor=viewer
        ),
        lambda: services.registration_check_in(
            event=event, ticket_code=member.ticket_code, actor=viewer
        ),
        lambda: services.event_update(event=event, actor=viewer, data={"city": "Mol"}),
    ]
    for call in calls:
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.code == "not_event_manager"
    event.refresh_from_db()
    assert (event.capacity, event.city, Event.objects.count()) == (2, "Mechelen", 1)


def test_alliance_admin_manages_every_chamber(client, event, limburg, alliance_admin):
    limburg_event = EventFactory(title="Limburgse missie", organiser=limburg)
    client.force_login(alliance_admin)
    html = html_of(client.get("/staff/events/"))
    assert "Innovatieforum" in html and "Limburgse missie" in html
    assert client.get(f"/staff/events/{limburg_event.slug}/edit/").status_code == 200


def test_a_member_of_the_company_in_the_staff_area_is_refused(member_client, event):
    assert member_client.get("/staff/events/").status_code == 403


def test_a_co_organiser_cannot_take_the_event_over(client, event, mechelen):
    event.co_organisers.add(mechelen)
    co_organiser = staff_user(Role.EVENT_MANAGER, mechelen)
    client.force_login(co_organiser)
    html = html_of(client.get(f"/staff/events/{event.slug}/edit/"))
    start = html.index('name="organiser"')
    organiser = html[start : html.index("</select>", start)]
    assert "Kempen" in organiser and "Mechelen" not in organiser
    data = form_data(event, organiser=str(mechelen.pk), co_organisers=[])
    assert "Selecteer een geldige keuze" in html_of(
        client.post(f"/staff/events/{event.slug}/edit/", data)
    )
    with pytest.raises(DomainError):
        services.event_update(event=event, actor=co_organiser, data={"organiser": mechelen})
    event.refresh_from_db()
    assert event.organiser.slug == "kempen"


def test_a_partners_proposal_is_approved_by_publishing_it(manager_client, kempen):
    partner = PartnerFactory(name="LIOF")
    proposal = EventFactory(
        title="Grensoverschrijdend bezoek",
        organiser=kempen,
        status=Event.Status.PROPOSED,
        proposed_by=partner,
    )
    html = html_of(manager_client.get(f"/staff/events/{proposal.slug}/"))
    assert "Voorgesteld door" in html and "LIOF" in html and "Keur goed en publiceer" in html
    manager_client.post(f"/staff/events/{proposal.slug}/publish/")
    proposal.refresh_from_db()
    assert proposal.status == Event.Status.PUBLISHED

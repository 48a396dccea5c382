"""Trade-mission applications (issue 14): apply, score, select against places and allocations,
the confirmation with its follow-up form and deadline, declined and reserve, staff pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Events

from alliance.base.models import DomainError
from chambers.models import StaffRole
from events import missions
from events.models import MissionChoice, MissionSelectionLog, Registration
from events.services import registration_create
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    PersonFactory,
    SeatAllocationFactory,
    staff_user,
)
from tests.helpers import client_for, rejected_by_database, travel_to


def applicant(chamber):
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=chamber)
    return PersonFactory(company=company)


@pytest.fixture
def mission(kempen, mechelen):
    """A mission of 3 seats by Kempen with Mechelen, selecting its participants; 1 seat kept
    for Mechelen's members."""
    event = EventFactory(
        organiser=kempen,
        capacity=3,
        kind="trade_mission",
        selects_participants=True,
        title="Missie Vietnam",
        slug="missie-vietnam",
    )
    event.co_organisers.add(mechelen)
    SeatAllocationFactory(event=event, chamber=mechelen, places=1)
    return event


@pytest.fixture
def manager(kempen):
    return staff_user(StaffRole.Role.EVENT_MANAGER, kempen)


def apply_for(person, *events):
    application = missions.apply(
        person=person,
        events=list(events),
        motivation="We willen exporteren.",
        target_markets="Vietnam, Thailand",
    )
    return list(application.choices.order_by("priority"))


def test_the_ordinary_registration_is_refused_for_an_event_that_selects(mission, person):
    with pytest.raises(DomainError) as refused:
        registration_create(event=mission, person=person)
    assert refused.value.code == "selects_participants"
    assert not mission.registrations.exists()


def test_the_flow_end_to_end(
    mission, person, manager, mailoutbox, django_capture_on_commit_callbacks, kempen
):
    second = EventFactory(organiser=kempen, selects_participants=True, kind="trade_mission")
    first_choice, second_choice = apply_for(person, mission, second)
    assert (first_choice.event, first_choice.priority) == (mission, 1)
    assert (second_choice.event, second_choice.priority) == (second, 2)
    missions.score(choice=first_choice, score=80, note="Sterk dossier", actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = missions.accept(choice=first_choice, actor=manager)
    assert accepted.status == MissionChoice.Status.ACCEPTED
    assert accepted.registration.status == Registration.Status.CONFIRMED
    assert accepted.registration.person == person
    assert accepted.follow_up_deadline > timezone.now()
    subjects = [m.subject for m in mailoutbox if m.to == [person.email]]
    assert any("Geselecteerd" in s for s in subjects), subjects
    follow_up_url = reverse("events:mission_follow_up", args=[accepted.pk])
    assert any(follow_up_url in m.body for m in mailoutbox)
    # Before the deadline the follow-up is taken; after it, it is refused.
    missions.follow_up_submit(
        choice=accepted, person=person, data={"passport_number": " EM123 ", "arrival": "VN 36"}
    )
    accepted.refresh_from_db()
    assert accepted.follow_up["passport_number"] == "EM123" and accepted.followed_up_at
    late_moment = accepted.follow_up_deadline + datetime.timedelta(minutes=1)
    with travel_to(late_moment), pytest.raises(DomainError) as late:
        missions.follow_up_submit(choice=accepted, person=person, data={"arrival": "x"})
    assert late.value.code == "follow_up_closed"
    accepted.refresh_from_db()
    assert accepted.follow_up["arrival"] == "VN 36"
    actions = list(
        MissionSelectionLog.objects.filter(choice=accepted)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["applied", "scored", "accepted", "followed_up"]
    labels = set(
        Events.objects.filter(pgh_obj_model="events.MissionChoice").values_list(
            "pgh_label", flat=True
        )
    )
    assert {"create", "update"} <= labels


def test_selection_holds_to_the_places_and_the_allocations(mission, kempen, mechelen, manager):
    # 3 seats, 1 kept for Mechelen: two Kempen members fill the pool, the third is refused
    # while the Mechelen member still gets the reserved one.
    kempen_people = [applicant(kempen) for _ in range(3)]
    choices = [apply_for(p, mission)[0] for p in kempen_people]
    missions.accept(choice=choices[0], actor=manager)
    missions.accept(choice=choices[1], actor=manager)
    with pytest.raises(DomainError) as full:
        missions.accept(choice=choices[2], actor=manager)
    assert full.value.code == "event_full"
    choices[2].refresh_from_db()
    assert choices[2].status == MissionChoice.Status.SUBMITTED and choices[2].registration is None
    mechelen_choice = apply_for(applicant(mechelen), mission)[0]
    assert missions.accept(choice=mechelen_choice, actor=manager).status == "accepted"
    assert mission.registrations.filter(status="confirmed").count() == mission.capacity


def test_declined_and_reserve_get_a_kind_answer_and_reserve_can_be_selected_later(
    mission, kempen, manager, mailoutbox, django_capture_on_commit_callbacks
):
    declined_person, reserve_person = applicant(kempen), applicant(kempen)
    declined = apply_for(declined_person, mission)[0]
    reserve = apply_for(reserve_person, mission)[0]
    with django_capture_on_commit_callbacks(execute=True):
        missions.decline(choice=declined, actor=manager)
        missions.decline(choice=reserve, actor=manager, reserve=True)
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "niet geselecteerd" in by_address[declined_person.email].body
    assert "reservelijst" in by_address[reserve_person.email].body
    with pytest.raises(DomainError):
        missions.accept(choice=declined, actor=manager)
    assert missions.accept(choice=reserve, actor=manager).status == "accepted"


def test_one_live_application_per_company_and_mission_and_at_most_three(mission, person, kempen):
    apply_for(person, mission)
    with pytest.raises(DomainError) as twice:
        apply_for(person, mission)
    assert twice.value.code == "already_applied"
    others = [EventFactory(organiser=kempen, selects_participants=True) for _ in range(4)]
    with pytest.raises(DomainError) as too_many:
        apply_for(PersonFactory(company=person.company), *others)
    assert too_many.value.code == "choices"
    choice = MissionChoice.objects.get(event=mission)
    with rejected_by_database("mission_choice_priority_1_3"):
        MissionChoice.objects.filter(pk=choice.pk).update(priority=4)
    with rejected_by_database("mission_choice_accepted_has_registration"):
        MissionChoice.objects.filter(pk=choice.pk).update(status="accepted")


def test_staff_of_another_chamber_cannot_select(mission, person, antwerpen):
    choice = apply_for(person, mission)[0]
    outsider = staff_user(StaffRole.Role.EVENT_MANAGER, antwerpen)
    with pytest.raises(DomainError) as refused:
        missions.accept(choice=choice, actor=outsider)
    assert refused.value.code == "not_event_manager"


def test_pages_apply_select_and_follow_up(mission, person, member_client, manager):
    page = member_client.get(reverse("events:detail", args=[mission.slug]))
    assert reverse("events:mission_apply", args=[mission.slug]) in page.content.decode()
    assert reverse("events:register", args=[mission.slug]) not in page.content.decode()
    response = member_client.post(
        reverse("events:mission_apply", args=[mission.slug]),
        {"motivation": "Export", "target_markets": "Vietnam"},
    )
    assert response.status_code == 302
    choice = MissionChoice.objects.get(event=mission, company=person.company)
    staff = client_for(manager)
    listing = staff.get(reverse("staff:event_missions", args=[mission.slug]))
    assert listing.status_code == 200 and person.company.name in listing.content.decode()
    staff.post(
        reverse("staff:event_mission_decide", args=[mission.slug, choice.pk]),
        {"action": "score", "score": "70"},
    )
    staff.post(
        reverse("staff:event_mission_decide", args=[mission.slug, choice.pk]), {"action": "accept"}
    )
    choice.refresh_from_db()
    assert (choice.score, choice.status) == (70, "accepted")
    me = member_client.get(reverse("me:home"))
    assert reverse("events:mission_follow_up", args=[choice.pk]) in me.content.decode()
    response = member_client.post(
        reverse("events:mission_follow_up", args=[choice.pk]),
        {"passport_name": "Els Janssens", "passport_number": "EM1"},
    )
    assert response.status_code == 302
    choice.refresh_from_db()
    assert choice.follow_up["passport_name"] == "Els Janssens"
    # Another company's person does not see it.
    other = client_for(PersonFactory(company=CompanyFactory()).user or _user_for_new_person())
    assert other.get(reverse("events:mission_follow_up", args=[choice.pk])).status_code == 404


def _user_for_new_person():
    from tests.factories import UserFactory

    user = UserFactory()
    PersonFactory(company=CompanyFactory(), user=user, email=user.email)
    return user


def test_partners_read_the_applications_of_the_missions_they_co_organise(mission, person):
    from rest_framework.test import APIClient

    from chambers import services as chamber_services
    from chambers.models import ApiScope
    from tests.factories import PartnerFactory

    agency, stranger = PartnerFactory(slug="agentschap"), PartnerFactory(slug="vreemde")
    mission.partners.add(agency)
    apply_for(person, mission)

    def read(partner):
        _, key = chamber_services.api_key_create(
            partner=partner,
            name="missies",
            scopes=[ApiScope.MISSIONS_READ],
            expires_at=timezone.now() + datetime.timedelta(days=30),
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        response = client.get(reverse("api:mission_applications"))
        assert response.status_code == 200, response.content
        return response.json()

    rows = read(agency)
    assert [(r["mission"], r["company"], r["priority"]) for r in rows] == [
        (mission.slug, person.company.name, 1)
    ]
    assert read(stranger) == []

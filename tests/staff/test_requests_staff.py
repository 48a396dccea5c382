"""The back-office's service requests: the inbox, one request, assign, reply, done, decline."""

import pytest
from django.core import mail
from django.urls import reverse

from alliance.base.models import DomainError
from chambers.models import StaffRole
from members import services
from members.models import ServiceRequest
from tests.factories import (
    CompanyFactory,
    CompetenceCentreFactory,
    MembershipFactory,
    PersonFactory,
    ServiceFactory,
    ServiceRequestFactory,
    UserFactory,
    staff_user,
)
from tests.helpers import client_for
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


@pytest.fixture
def lead_admin(kempen):
    """A chamber admin of Kempen, which leads the `centre` fixture (Integrale innovatie)."""
    return staff_user(
        Role.CHAMBER_ADMIN, kempen, username="karel", first_name="Karel", last_name="Mertens"
    )


@pytest.fixture
def question(centre, person):
    """Els (member at Mechelen) asks Kempen's centre for help."""
    return ServiceRequestFactory(
        person=person,
        centre=centre,
        service=ServiceFactory(centre=centre, name="Innovatiescan"),
        message="Kunnen jullie ons helpen met een innovatiesubsidie?",
    )


def ask(centre, text="Een vraag", chamber=None):
    company = CompanyFactory()
    if chamber is not None:
        MembershipFactory(company=company, chamber=chamber)
    person = PersonFactory(company=company)
    return ServiceRequestFactory(person=person, centre=centre, message=text)


# --- the inbox ------------------------------------------------------------------------------------


def test_inbox_holds_the_led_centres_requests_and_the_own_members_requests(
    alliance, mechelen, kempen, limburg, centre, question
):
    mechelen_centre = CompetenceCentreFactory(lead_chamber=mechelen, alliance=alliance)
    led_by_mechelen = ask(mechelen_centre, "Vraag aan Mechelen", chamber=limburg)
    elsewhere = ask(centre, "Van een lid van Limburg bij Kempen", chamber=limburg)
    viewer = staff_user(Role.VIEWER, mechelen)
    response = client_for(viewer).get(reverse("staff:requests"))
    shown = {service_request.pk for service_request in response.context["service_requests"]}
    # Mechelen leads one centre, and Els of Mechelen asked Kempen's centre (read only).
    assert shown == {led_by_mechelen.pk, question.pk}
    assert elsewhere.pk not in shown
    rows = {sr.pk: sr for sr in response.context["service_requests"]}
    assert rows[led_by_mechelen.pk].is_ours and not rows[led_by_mechelen.pk].can_act
    assert not rows[question.pk].is_ours
    content = response.content.decode()
    assert "lezen (thuiskamer)" in content and "lezen (trekkende kamer)" in content


def test_inbox_filters_by_scope_and_status(alliance, mechelen, centre, question, person):
    mechelen_centre = CompetenceCentreFactory(lead_chamber=mechelen, alliance=alliance)
    ours = ask(mechelen_centre, "Aan ons")
    done = ask(mechelen_centre, "Al klaar")
    done.status, done.closed_at = "declined", done.created_at
    done.save()
    client = client_for(staff_user(Role.CHAMBER_ADMIN, mechelen))

    def shown(query):
        response = client.get(reverse("staff:requests"), query)
        return {sr.pk for sr in response.context["service_requests"]}

    assert shown({"scope": "inbox"}) == {ours.pk, done.pk}
    assert shown({"scope": "members"}) == {question.pk}
    assert shown({"scope": "inbox", "status": "open"}) == {ours.pk}
    assert shown({"status": "declined"}) == {done.pk}


def test_inbox_query_count_does_not_grow_with_the_rows(lead_admin, centre):
    client = client_for(lead_admin)

    def count_for(rows: int) -> None:
        ServiceRequest.objects.all().delete()
        for _ in range(rows):
            ask(centre)
        response = assert_request_query_count(
            "staff:requests as lead chamber admin", client, reverse("staff:requests")
        )
        assert len(response.context["service_requests"]) == rows

    count_for(3)
    count_for(12)


def test_request_page_shows_the_question_and_the_contact(lead_admin, question, person):
    response = client_for(lead_admin).get(reverse("staff:request_detail", args=[question.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kunnen jullie ons helpen met een innovatiesubsidie?" in content
    assert person.email in content and "Innovatiescan" in content
    assert response.context["can_act"]
    assert list(response.context["assign_form"].fields["assignee"].queryset) == [lead_admin]


# --- assign ---------------------------------------------------------------------------------------


def test_assign_to_a_staff_member_of_the_lead_chamber(lead_admin, kempen, question):
    colleague = staff_user(Role.CHAMBER_ADMIN, kempen, first_name="Lies")
    response = client_for(lead_admin).post(
        reverse("staff:request_assign", args=[question.pk]), {"assignee": colleague.pk}
    )
    question.refresh_from_db()
    assert response.status_code == 302
    assert (question.status, question.assignee) == ("assigned", colleague)
    assert question.assigned_at is not None


def test_assign_to_anyone_else_is_a_domain_error(lead_admin, mechelen, kempen, question):
    other_chamber = staff_user(Role.CHAMBER_ADMIN, mechelen)
    viewer_of_lead = staff_user(Role.VIEWER, kempen)
    for assignee in (other_chamber, viewer_of_lead, UserFactory()):
        with pytest.raises(DomainError) as refused:
            services.service_request_assign(
                service_request=question, assignee=assignee, actor=lead_admin
            )
        assert refused.value.code == "assignee_not_lead_staff"
    question.refresh_from_db()
    assert question.status == "new"
    # Through the page the choice is not even offered: a message, nothing written.
    response = client_for(lead_admin).post(
        reverse("staff:request_assign", args=[question.pk]),
        {"assignee": other_chamber.pk},
        follow=True,
    )
    assert "Kies een beheerder van de trekkende kamer." in response.content.decode()


def test_only_lead_staff_act_even_through_the_service(mechelen, question):
    home_admin = staff_user(Role.CHAMBER_ADMIN, mechelen)
    with pytest.raises(DomainError) as refused:
        services.service_request_complete(service_request=question, actor=home_admin)
    assert refused.value.code == "not_request_staff"


# --- reply, done, decline -------------------------------------------------------------------------


def test_reply_e_mails_the_member_in_their_language_and_starts_the_work(
    lead_admin, question, person, django_capture_on_commit_callbacks
):
    person.preferred_language = "fr"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lead_admin).post(
            reverse("staff:request_reply", args=[question.pk]),
            {"message": "We bellen je dinsdag om de subsidie te bespreken."},
        )
    question.refresh_from_db()
    assert response.status_code == 302
    # A new request is taken by whoever answers it.
    assert (question.status, question.assignee) == ("in_progress", lead_admin)
    [message] = mail.outbox
    assert message.to == [person.email]
    assert "We bellen je dinsdag om de subsidie te bespreken." in message.body
    assert "Karel Mertens" in message.body
    assert "Integrale innovatie" in message.subject
    assert "Kunnen jullie ons helpen" in message.body  # the question, for context
    html = message.alternatives[0][0]
    assert "We bellen je dinsdag" in html


def test_an_empty_reply_sends_nothing(lead_admin, question, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lead_admin).post(
            reverse("staff:request_reply", args=[question.pk]), {"message": "  "}, follow=True
        )
    assert "Schrijf je antwoord." in response.content.decode()
    assert mail.outbox == []
    question.refresh_from_db()
    assert question.status == "new"


def test_alliance_admins_may_be_assigned_and_take_what_they_answer(lead_admin, question):
    alliance_admin = staff_user(Role.ALLIANCE_ADMIN)
    assignees = list(services.service_request_assignees(question.centre))
    assert set(assignees) == {lead_admin, alliance_admin}
    services.service_request_reply(service_request=question, actor=alliance_admin, message="Dag")
    question.refresh_from_db()
    assert (question.status, question.assignee) == ("in_progress", alliance_admin)


def test_a_superuser_without_a_role_assigns_before_replying(question):
    superuser = UserFactory(is_superuser=True)
    with pytest.raises(DomainError) as refused:
        services.service_request_reply(service_request=question, actor=superuser, message="Dag")
    assert refused.value.code == "not_assigned"


def test_mark_done_from_assigned_passes_through_in_progress(lead_admin, question):
    services.service_request_assign(service_request=question, assignee=lead_admin, actor=lead_admin)
    response = client_for(lead_admin).post(reverse("staff:request_complete", args=[question.pk]))
    question.refresh_from_db()
    assert response.status_code == 302
    assert question.status == "done" and question.closed_at is not None


def test_mark_done_on_a_new_request_is_refused_with_a_message(lead_admin, question):
    response = client_for(lead_admin).post(
        reverse("staff:request_complete", args=[question.pk]), follow=True
    )
    question.refresh_from_db()
    assert question.status == "new"
    assert "kan niet naar" in response.content.decode()


def test_decline_with_a_reason_tells_the_member(
    lead_admin, question, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(lead_admin).post(
            reverse("staff:request_decline", args=[question.pk]),
            {"message": "Daarvoor ben je beter bij het VLAIO."},
        )
    question.refresh_from_db()
    assert question.status == "declined"
    [message] = mail.outbox
    assert message.to == [person.email]
    assert "niet in behandeling" in message.subject
    assert "Daarvoor ben je beter bij het VLAIO." in message.body


def test_decline_without_a_reason_sends_nothing(
    lead_admin, question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(lead_admin).post(
            reverse("staff:request_decline", args=[question.pk]), {"message": ""}
        )
    question.refresh_from_db()
    assert question.status == "declined"
    assert mail.outbox == []


def test_a_closed_request_has_no_actions_and_refuses_replies(lead_admin, question):
    services.service_request_decline(service_request=question, actor=lead_admin)
    client = client_for(lead_admin)
    page = client.get(reverse("staff:request_detail", args=[question.pk]))
    assert not page.context["can_act"]
    assert "Verstuur antwoord" not in page.content.decode()
    response = client.post(
        reverse("staff:request_reply", args=[question.pk]), {"message": "Toch nog"}, follow=True
    )
    assert "Deze vraag is afgesloten." in response.content.decode()


def test_unknown_request_is_404(lead_admin):
    assert (
        client_for(lead_admin).get(reverse("staff:request_detail", args=[999999])).status_code
        == 404
    )

"""A service request keeps its conversation: the answers the member reads (e-mailed and shown in
/me/) and the notes the lead chamber's staff keep for themselves, which the member never sees."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import ServiceRequest, ServiceRequestMessage
from tests.factories import ServiceRequestFactory, staff_user
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_admin(kempen):
    """A chamber admin of Kempen, which leads the centre the question went to."""
    return staff_user("chamber_admin", kempen, first_name="Karen", last_name="Kempen")


@pytest.fixture
def service_request(person, centre, lead_admin):
    return ServiceRequestFactory(
        person=person,
        centre=centre,
        status=ServiceRequest.Status.ASSIGNED,
        assignee=lead_admin,
        assigned_at=timezone.now(),
        message="Hoe vragen we een innovatiesubsidie aan?",
    )


def test_an_answer_is_kept_and_the_member_reads_it_in_me_a_note_is_not_shown(
    service_request, lead_admin, member_user, django_capture_on_commit_callbacks
):
    staff = client_for(lead_admin)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("staff:request_reply", args=[service_request.pk]),
            {"message": "We bellen je deze week voor een afspraak."},
        )
        staff.post(
            reverse("staff:request_note", args=[service_request.pk]),
            {"message": "Dossier VLAIO loopt al; geen offerte nodig."},
        )

    kinds = list(service_request.messages.values_list("kind", "author", "body"))
    assert kinds == [
        ("reply", lead_admin.pk, "We bellen je deze week voor een afspraak."),
        ("note", lead_admin.pk, "Dossier VLAIO loopt al; geen offerte nodig."),
    ]
    # The answer went out by e-mail; the note did not.
    assert len(mail.outbox) == 1 and "We bellen je deze week" in mail.outbox[0].body
    mine = client_for(member_user).get(reverse("me:service_requests")).content.decode()
    assert "We bellen je deze week voor een afspraak." in mine
    assert "Antwoord van Karen Kempen" in mine
    assert "VLAIO" not in mine
    detail = staff.get(reverse("staff:request_detail", args=[service_request.pk])).content.decode()
    assert "Interne notitie" in detail and "VLAIO" in detail and "We bellen je" in detail


def test_the_members_home_chamber_reads_the_answers_but_not_the_notes(
    service_request, lead_admin, mechelen
):
    ServiceRequestMessage.objects.create(
        service_request=service_request, kind="reply", author=lead_admin, body="Antwoord X"
    )
    ServiceRequestMessage.objects.create(
        service_request=service_request, kind="note", author=lead_admin, body="Notitie Y"
    )
    home = client_for(staff_user("chamber_admin", mechelen))

    page = home.get(reverse("staff:request_detail", args=[service_request.pk])).content.decode()

    assert "Antwoord X" in page and "Notitie Y" not in page
    response = home.post(
        reverse("staff:request_note", args=[service_request.pk]), {"message": "Ik ook"}
    )
    assert response.status_code == 403
    assert service_request.messages.count() == 2


def test_an_empty_note_is_refused_and_a_declines_reason_is_kept(service_request, lead_admin):
    staff = client_for(lead_admin)

    refused = staff.post(
        reverse("staff:request_note", args=[service_request.pk]), {"message": "  "}, follow=True
    )
    staff.post(
        reverse("staff:request_decline", args=[service_request.pk]),
        {"message": "Dit valt buiten onze werking."},
    )

    assert "Schrijf je notitie." in refused.content.decode()
    (reason,) = service_request.messages.all()
    assert (reason.kind, reason.body) == ("reply", "Dit valt buiten onze werking.")

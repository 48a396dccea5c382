"""The accreditation pages (/staff/accreditation/): the whole cycle through the pages, as a
federation reviewer and a chamber admin; uploads checked; who may do what (the reviewer's rows,
which the permission matrix's roles do not have); nothing changes on a decided cycle."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chambers import accreditation
from chambers.models import (
    Accreditation,
    AccreditationAnswer,
    AccreditationCycle,
    AccreditationEvidence,
    StaffRole,
)
from tests.factories import staff_user
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def reviewer(db):
    return staff_user(StaffRole.Role.FEDERATION_REVIEWER, first_name="Fien", last_name="Federatie")


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def open_by_page(client, chamber) -> AccreditationCycle:
    today = timezone.localdate()
    response = client.post(
        reverse("staff:accreditation_cycle_new"),
        {
            "chamber": chamber.pk,
            "self_assessment_due": (today + datetime.timedelta(days=30)).isoformat(),
            "decision_due": (today + datetime.timedelta(days=60)).isoformat(),
        },
    )
    cycle = AccreditationCycle.objects.get(chamber=chamber)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:accreditation_cycle", args=[cycle.pk])
    return cycle


def answer_url(answer):
    return reverse("staff:accreditation_answer", args=[answer.cycle_id, answer.pk])


def answer_data(answer, status="meets", explanation="Zie het jaarverslag.", **extra):
    prefix = f"a{answer.pk}"
    return {f"{prefix}-status": status, f"{prefix}-explanation": explanation} | {
        f"{prefix}-{name}": value for name, value in extra.items()
    }


def test_the_whole_cycle_through_the_pages(kempen, chamber_admin, reviewer):
    federation, chamber = client_for(reviewer), client_for(chamber_admin)
    cycle = open_by_page(federation, kempen)

    page = chamber.get(reverse("staff:accreditation_cycle", args=[cycle.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "1. " in content and "Bewaar principe 12" in content
    assert "Dien in bij de federatie" in content

    answers = list(cycle.answers.select_related("principle"))
    for answer in answers:
        data = answer_data(answer, explanation=f"Toelichting {answer.principle.number}")
        if answer.principle.number == 1:
            data[f"a{answer.pk}-file"] = SimpleUploadedFile("jaarverslag.pdf", PDF)
        response = chamber.post(answer_url(answer), data)
        assert response.status_code == 302
    evidence = AccreditationEvidence.objects.get()
    download = chamber.get(reverse("staff:accreditation_evidence", args=[cycle.pk, evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="jaarverslag.pdf"' in download["Content-Disposition"]

    response = chamber.post(reverse("staff:accreditation_submit", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.status == AccreditationCycle.Status.SUBMITTED

    # The reviewer comments, asks for more; the chamber adds a file and resubmits.
    first = answers[0]
    response = federation.post(
        reverse("staff:accreditation_review", args=[cycle.pk, first.pk]),
        {f"r{first.pk}-comment": "Ook de jaarrekening graag.", f"r{first.pk}-more_evidence": "on"},
    )
    assert response.status_code == 302
    federation.post(reverse("staff:accreditation_more_evidence", args=[cycle.pk]), {})
    cycle.refresh_from_db()
    assert cycle.status == AccreditationCycle.Status.MORE_EVIDENCE_REQUESTED
    page = chamber.get(reverse("staff:accreditation_cycle", args=[cycle.pk])).content.decode()
    assert "Ook de jaarrekening graag." in page and "Dien opnieuw in" in page
    chamber.post(
        answer_url(first),
        answer_data(first, file=SimpleUploadedFile("jaarrekening.pdf", PDF)),
    )
    chamber.post(reverse("staff:accreditation_submit", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.status == AccreditationCycle.Status.RESUBMITTED

    today = timezone.localdate()
    response = federation.post(
        reverse("staff:accreditation_decide", args=[cycle.pk]),
        {
            "decision": "granted",
            "valid_from": today.isoformat(),
            "valid_until": today.replace(year=today.year + 3).isoformat(),
            "comment": "Proficiat.",
        },
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.status, cycle.decision) == ("decided", "granted")
    assert Accreditation.objects.get(chamber=kempen).valid_until == today.replace(
        year=today.year + 3
    )
    page = chamber.get(reverse("staff:accreditation_cycle", args=[cycle.pk])).content.decode()
    assert "niemand wijzigt ze nog" in page and "Bewaar principe" not in page


def test_a_wrong_file_is_refused_with_a_message_and_nothing_changes(
    kempen, chamber_admin, reviewer, media, settings
):
    cycle = open_by_page(client_for(reviewer), kempen)
    answer = cycle.answers.first()
    chamber = client_for(chamber_admin)
    response = chamber.post(
        answer_url(answer),
        answer_data(answer, file=SimpleUploadedFile("virus.exe", b"MZ\x90\x00")),
        follow=True,
    )
    assert any("Dit soort bestand nemen we niet aan" in m for m in _messages(response))
    settings.ACCREDITATION_EVIDENCE_MAX_BYTES = 10
    response = chamber.post(
        answer_url(answer),
        answer_data(answer, file=SimpleUploadedFile("groot.pdf", PDF)),
        follow=True,
    )
    assert any("te groot" in m for m in _messages(response))
    answer.refresh_from_db()
    assert answer.status == "" and not AccreditationEvidence.objects.exists()
    assert not list(media.rglob("*.*"))


def test_the_reviewers_rows(kempen, chamber_admin, reviewer):
    """A federation reviewer: every cycle, opens and decides, never answers for a chamber."""
    federation = client_for(reviewer)
    assert federation.get(reverse("staff:accreditation_cycles")).status_code == 200
    assert federation.get(reverse("staff:accreditation_cycle_new")).status_code == 200
    cycle = open_by_page(federation, kempen)
    answer = cycle.answers.first()
    assert federation.get(reverse("staff:accreditation_cycle", args=[cycle.pk])).status_code == 200
    assert federation.post(answer_url(answer), answer_data(answer)).status_code == 403
    submit = reverse("staff:accreditation_submit", args=[cycle.pk])
    assert federation.post(submit).status_code == 403
    answer.refresh_from_db()
    assert answer.status == ""
    # ... and the chamber admin neither opens nor decides.
    chamber = client_for(chamber_admin)
    assert chamber.get(reverse("staff:accreditation_cycle_new")).status_code == 403
    response = chamber.post(
        reverse("staff:accreditation_decide", args=[cycle.pk]), {"decision": "refused"}
    )
    assert response.status_code == 403


def test_nobody_edits_a_decided_cycle_through_the_pages(kempen, chamber_admin, reviewer):
    cycle = open_by_page(client_for(reviewer), kempen)
    for answer in cycle.answers.all():
        accreditation.accreditation_answer_save(
            answer=answer, status="meets", explanation="ok", actor=chamber_admin
        )
    accreditation.accreditation_cycle_submit(cycle=cycle, actor=chamber_admin)
    accreditation.accreditation_cycle_decide(
        cycle=cycle, decision="refused", comment="Nee.", actor=reviewer
    )
    answer = cycle.answers.first()
    chamber, federation = client_for(chamber_admin), client_for(reviewer)
    responses = [
        chamber.post(answer_url(answer), answer_data(answer, status="partly"), follow=True),
        chamber.post(reverse("staff:accreditation_submit", args=[cycle.pk]), follow=True),
        federation.post(
            reverse("staff:accreditation_review", args=[cycle.pk, answer.pk]),
            {f"r{answer.pk}-comment": "later"},
            follow=True,
        ),
        federation.post(
            reverse("staff:accreditation_decide", args=[cycle.pk]),
            {"decision": "refused"},
            follow=True,
        ),
    ]
    for response in responses:
        assert response.status_code == 200
        assert any("niemand wijzigt ze nog" in m for m in _messages(response)), _messages(response)
    answer.refresh_from_db()
    assert (answer.status, answer.reviewer_comment) == ("meets", "")
    assert AccreditationAnswer.objects.filter(cycle=cycle, status="partly").count() == 0


def test_evidence_the_storage_lost_is_a_404_not_a_500(kempen, chamber_admin, reviewer):
    cycle = open_by_page(client_for(reviewer), kempen)
    answer = cycle.answers.first()
    evidence = accreditation.accreditation_evidence_add(
        answer=answer, uploaded_file=SimpleUploadedFile("a.pdf", PDF), actor=chamber_admin
    )
    url = reverse("staff:accreditation_evidence", args=[cycle.pk, evidence.pk])
    assert client_for(chamber_admin).get(url).status_code == 200
    evidence.file.storage.delete(evidence.file.name)
    assert client_for(chamber_admin).get(url).status_code == 404

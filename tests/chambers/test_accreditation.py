"""The accreditation cycle's services (chambers/accreditation.py): open, fill, submit, ask for more
evidence, resubmit, decide; upload checks; who may; decided cycles hold still; reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.base.models import DomainError
from chambers import accreditation
from chambers.models import (
    Accreditation,
    AccreditationAnswer,
    AccreditationCycle,
    AccreditationEvidence,
    AccreditationLogEntry,
    AccreditationPrinciple,
    Chamber,
    StaffRole,
)
from tests.factories import ChamberFactory, staff_user
from tests.helpers import travel_to

pytestmark = pytest.mark.django_db

Status = AccreditationCycle.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def reviewer(db):
    return staff_user(StaffRole.Role.FEDERATION_REVIEWER, first_name="Fien")


def open_cycle(chamber, reviewer, days=30):
    today = timezone.localdate()
    return accreditation.accreditation_cycle_open(
        chamber=chamber,
        self_assessment_due=today + datetime.timedelta(days=days),
        decision_due=today + datetime.timedelta(days=days + 30),
        actor=reviewer,
    )


def fill(cycle, actor):
    for answer in cycle.answers.all():
        accreditation.accreditation_answer_save(
            answer=answer,
            status=AccreditationAnswer.Status.MEETS,
            explanation=f"Toelichting bij {answer.principle.number}",
            actor=actor,
        )


def test_the_whole_cycle(kempen, chamber_admin, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cycle = open_cycle(kempen, reviewer)
    assert cycle.status == Status.OPEN
    assert [a.principle.number for a in cycle.answers.select_related("principle")] == list(
        range(1, 13)
    )
    assert [m.to for m in mail.outbox] == [[chamber_admin.email]]

    with pytest.raises(DomainError) as refused:
        accreditation.accreditation_cycle_submit(cycle=cycle, actor=chamber_admin)
    assert refused.value.code == "answers_missing"

    fill(cycle, chamber_admin)
    first = cycle.answers.get(principle__number=1)
    evidence = accreditation.accreditation_evidence_add(
        answer=first,
        uploaded_file=SimpleUploadedFile("jaarverslag.pdf", PDF),
        actor=chamber_admin,
    )
    assert evidence.content_type == "application/pdf"
    assert evidence.file.storage.exists(evidence.file.name)
    assert evidence.file.read() == PDF

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cycle = accreditation.accreditation_cycle_submit(cycle=cycle, actor=chamber_admin)
    assert cycle.status == Status.SUBMITTED and cycle.submitted_at is not None
    assert [m.to for m in mail.outbox] == [[reviewer.email]]

    # Submitted: the chamber waits.
    with pytest.raises(DomainError) as refused:
        accreditation.accreditation_answer_save(
            answer=first, status="partly", explanation="x", actor=chamber_admin
        )
    assert refused.value.code == "cycle_not_editable"

    accreditation.accreditation_answer_review(
        answer=first,
        comment="Voeg de goedgekeurde jaarrekening toe.",
        more_evidence=True,
        actor=reviewer,
    )
    cycle = accreditation.accreditation_more_evidence_request(
        cycle=cycle, comment="", actor=reviewer
    )
    assert cycle.status == Status.MORE_EVIDENCE_REQUESTED
    accreditation.accreditation_evidence_add(
        answer=first,
        uploaded_file=SimpleUploadedFile("jaarrekening.png", PNG),
        actor=chamber_admin,
    )
    cycle = accreditation.accreditation_cycle_submit(cycle=cycle, actor=chamber_admin)
    assert cycle.status == Status.RESUBMITTED

    today = timezone.localdate()
    cycle = accreditation.accreditation_cycle_decide(
        cycle=cycle,
        decision=AccreditationCycle.Decision.GRANTED,
        comment="Een degelijke kamer.",
        valid_from=today,
        valid_until=today.replace(year=today.year + 3),
        actor=reviewer,
    )
    assert cycle.status == Status.DECIDED
    granted = Accreditation.objects.get(chamber=kempen)
    assert (granted.status, granted.valid_from, granted.valid_until) == (
        Accreditation.Status.GRANTED,
        today,
        today.replace(year=today.year + 3),
    )
    assert list(cycle.log.values_list("action", "actor_id")) == [
        ("opened", reviewer.pk),
        *[("answered", chamber_admin.pk)] * 12,
        ("evidence_added", chamber_admin.pk),
        ("submitted", chamber_admin.pk),
        ("commented", reviewer.pk),
        ("more_evidence_requested", reviewer.pk),
        ("evidence_added", chamber_admin.pk),
        ("resubmitted", chamber_admin.pk),
        ("decided", reviewer.pk),
    ]


def test_one_undecided_cycle_per_chamber(kempen, reviewer):
    open_cycle(kempen, reviewer)
    with pytest.raises(DomainError) as refused:
        open_cycle(kempen, reviewer)
    assert refused.value.code == "cycle_already_open"
    with pytest.raises(IntegrityError), transaction.atomic():
        AccreditationCycle.objects.create(
            chamber=kempen,
            self_assessment_due=timezone.localdate(),
            decision_due=timezone.localdate(),
        )


def test_deadlines_are_checked(kempen, reviewer):
    today = timezone.localdate()
    with pytest.raises(DomainError) as refused:
        accreditation.accreditation_cycle_open(
            chamber=kempen,
            self_assessment_due=today + datetime.timedelta(days=10),
            decision_due=today + datetime.timedelta(days=5),
            actor=reviewer,
        )
    assert refused.value.field == "decision_due"
    assert not AccreditationCycle.objects.exists()


def test_a_bilateral_chamber_is_assessed_on_three_pillars(reviewer):
    abroad = ChamberFactory(kind=Chamber.Kind.BILATERAL, country="CN")
    cycle = open_cycle(abroad, reviewer)
    assert list(cycle.answers.values_list("principle__number", flat=True)) == [1, 2, 3]
    assert AccreditationPrinciple.objects.filter(chamber_kind="local").count() == 12


def test_reviewers_do_not_answer_and_chamber_admins_do_not_review(
    kempen, chamber_admin, alliance_admin, reviewer, other_chamber_admin
):
    cycle = open_cycle(kempen, reviewer)
    answer = cycle.answers.first()
    for outsider in (reviewer, alliance_admin, other_chamber_admin):
        with pytest.raises(PermissionDenied):
            accreditation.accreditation_answer_save(
                answer=answer, status="meets", explanation="x", actor=outsider
            )
        with pytest.raises(PermissionDenied):
            accreditation.accreditation_evidence_add(
                answer=answer,
                uploaded_file=SimpleUploadedFile("a.pdf", PDF),
                actor=outsider,
            )
    fill(cycle, chamber_admin)
    accreditation.accreditation_cycle_submit(cycle=cycle, actor=chamber_admin)
    with pytest.raises(PermissionDenied):
        accreditation.accreditation_answer_review(
            answer=answer, comment="ok", more_evidence=False, actor=chamber_admin
        )
    with pytest.raises(PermissionDenied):
        accreditation.accreditation_cycle_decide(
            cycle=cycle, decision="refused", comment="", actor=chamber_admin
        )
    with pytest.raises(PermissionDenied):
        open_cycle(ChamberFactory(), chamber_admin)
    assert not AccreditationEvidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("script.exe", b"MZ\x90\x00", "evidence_type"),
        ("notities.txt", b"hello", "evidence_type"),
        ("vermomd.pdf", b"MZ\x90\x00 not a pdf", "evidence_content"),
        ("zip.docx", b"%PDF-1.4", "evidence_content"),
        ("foto.jpg", PNG, "evidence_content"),
    ],
)
def test_wrong_evidence_types_are_refused(
    kempen, chamber_admin, reviewer, media, name, content, code
):
    cycle = open_cycle(kempen, reviewer)
    with pytest.raises(DomainError) as refused:
        accreditation.accreditation_evidence_add(
            answer=cycle.answers.first(),
            uploaded_file=SimpleUploadedFile(name, content),
            actor=chamber_admin,
        )
    assert (refused.value.code, refused.value.field) == (code, "file")
    assert not AccreditationEvidence.objects.exists()
    assert not list(media.rglob("*.*"))


def test_too_large_evidence_is_refused(kempen, chamber_admin, reviewer, settings, media):
    settings.ACCREDITATION_EVIDENCE_MAX_BYTES = 1000
    cycle = open_cycle(kempen, reviewer)
    with pytest.raises(DomainError) as refused:
        accreditation.accreditation_evidence_add(
            answer=cycle.answers.first(),
            uploaded_file=SimpleUploadedFile("groot.pdf", PDF + b"0" * 1000),
            actor=chamber_admin,
        )
    assert refused.value.code == "evidence_too_large"
    assert not list(media.rglob("*.*"))
    accreditation.accreditation_evidence_add(
        answer=cycle.answers.first(),
        uploaded_file=SimpleUploadedFile("klein.pdf", PDF),
        actor=chamber_admin,
    )


def decided_cycle(kempen, chamber_admin, reviewer):
    cycle = open_cycle(kempen, reviewer)
    fill(cycle, chamber_admin)
    accreditation.accreditation_cycle_submit(cycle=cycle, actor=chamber_admin)
    return accreditation.accreditation_cycle_decide(
        cycle=cycle, decision="refused", comment="Te weinig bewijs.", actor=reviewer
    )


def test_nobody_changes_a_decided_cycle(kempen, chamber_admin, reviewer):
    cycle = decided_cycle(kempen, chamber_admin, reviewer)
    answer = cycle.answers.first()
    calls = [
        lambda: accreditation.accreditation_answer_save(
            answer=answer, status="partly", explanation="later", actor=chamber_admin
        ),
        lambda: accreditation.accreditation_cycle_submit(cycle=cycle, actor=chamber_admin),
        lambda: accreditation.accreditation_answer_review(
            answer=answer, comment="nog", more_evidence=False, actor=reviewer
        ),
        lambda: accreditation.accreditation_more_evidence_request(
            cycle=cycle, comment="nog", actor=reviewer
        ),
        lambda: accreditation.accreditation_cycle_decide(
            cycle=cycle, decision="refused", comment="", actor=reviewer
        ),
    ]
    for call in calls:
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == "cycle_decided"
    # ... and the database refuses what bypasses the services.
    with pytest.raises(IntegrityError), transaction.atomic():
        AccreditationCycle.objects.filter(pk=cycle.pk).update(decision_comment="anders")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccreditationAnswer.objects.filter(pk=answer.pk).update(explanation="anders")
    # A new cycle may open once the last one is decided.
    assert open_cycle(kempen, reviewer).status == Status.OPEN


def test_a_grant_with_conditions_states_them_and_ends_the_earlier_grant(
    kempen, chamber_admin, reviewer
):
    today = timezone.localdate()
    earlier = Accreditation.objects.create(
        chamber=kempen,
        valid_from=today.replace(year=today.year - 3),
        valid_until=today + datetime.timedelta(days=10),
        status=Accreditation.Status.GRANTED,
    )
    cycle = open_cycle(kempen, reviewer)
    fill(cycle, chamber_admin)
    accreditation.accreditation_cycle_submit(cycle=cycle, actor=chamber_admin)
    with pytest.raises(DomainError) as refused:
        accreditation.accreditation_cycle_decide(
            cycle=cycle,
            decision="granted_with_conditions",
            comment="",
            valid_from=today,
            valid_until=today.replace(year=today.year + 3),
            actor=reviewer,
        )
    assert refused.value.field == "conditions"
    with pytest.raises(DomainError) as refused:
        accreditation.accreditation_cycle_decide(
            cycle=cycle, decision="granted", comment="", actor=reviewer
        )
    assert refused.value.code == "validity_needed"
    cycle = accreditation.accreditation_cycle_decide(
        cycle=cycle,
        decision="granted_with_conditions",
        conditions="Een kwaliteitshandboek binnen een jaar.",
        comment="",
        valid_from=today,
        valid_until=today.replace(year=today.year + 3),
        actor=reviewer,
    )
    earlier.refresh_from_db()
    assert earlier.status == Accreditation.Status.EXPIRED
    assert cycle.accreditation.status == Accreditation.Status.GRANTED


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


def test_self_assessment_reminders_go_once_per_threshold(
    kempen, chamber_admin, reviewer, django_capture_on_commit_callbacks
):
    cycle = open_cycle(kempen, reviewer, days=20)
    due = cycle.self_assessment_due
    mail.outbox.clear()

    def run(day):
        with travel_to(_at(day)), django_capture_on_commit_callbacks(execute=True):
            return accreditation.accreditation_reminders_send()

    assert run(due - datetime.timedelta(days=15)) == 0
    assert run(due - datetime.timedelta(days=14)) == 1
    assert run(due - datetime.timedelta(days=13)) == 0  # the 14-day reminder went already
    assert run(due - datetime.timedelta(days=3)) == 1
    assert run(due - datetime.timedelta(days=2)) == 0
    assert [m.to for m in mail.outbox] == [[chamber_admin.email]] * 2
    assert "3 dagen" in mail.outbox[1].subject
    assert cycle.log.filter(action=AccreditationLogEntry.Action.REMINDED).count() == 2
    # A submitted self-assessment needs no reminder.
    fill(cycle, chamber_admin)
    accreditation.accreditation_cycle_submit(cycle=cycle, actor=chamber_admin)
    AccreditationCycle.objects.filter(pk=cycle.pk).update(
        self_assessment_due=due + datetime.timedelta(days=30),
        decision_due=due + datetime.timedelta(days=60),
    )
    assert run(due + datetime.timedelta(days=20)) == 0


def test_expiry_reminders_go_to_the_chamber_and_the_reviewers_once(
    kempen, chamber_admin, reviewer, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    granted = Accreditation.objects.create(
        chamber=kempen,
        valid_from=today.replace(year=today.year - 2),
        valid_until=today + datetime.timedelta(days=200),
        status=Accreditation.Status.GRANTED,
    )
    mail.outbox.clear()

    def run(day):
        with travel_to(_at(day)), django_capture_on_commit_callbacks(execute=True):
            return accreditation.accreditation_reminders_send()

    end = granted.valid_until
    assert run(end - datetime.timedelta(days=91)) == 0
    assert run(end - datetime.timedelta(days=90)) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chamber_admin.email, reviewer.email])
    assert run(end - datetime.timedelta(days=89)) == 0
    assert run(end - datetime.timedelta(days=30)) == 1
    assert run(end - datetime.timedelta(days=30)) == 0
    assert len(mail.outbox) == 4


def test_the_chamber_hears_in_its_own_language(
    kempen, chamber_admin, reviewer, django_capture_on_commit_callbacks
):
    kempen.language = "fr"
    kempen.save()
    with django_capture_on_commit_callbacks(execute=True):
        open_cycle(kempen, reviewer)
    (message,) = mail.outbox
    assert message.subject == f"Accréditation de {kempen.name} : l'autoévaluation est ouverte"

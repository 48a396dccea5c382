"""The federation's accreditation of chambers: who may do what in a cycle, and every write.

A cycle goes open → submitted → (more_evidence_requested → resubmitted)* → decided
(docs/accreditation.md). The rules:
- federation reviewers and alliance admins (roles.ACCREDITATION_REVIEW_ROLES, alliance-wide)
  open cycles, comment per principle, ask for more evidence and decide; they never change a
  chamber's answers;
- a chamber's own chamber admins (a role held for that chamber) fill its self-assessment while
  the cycle is open or more evidence was asked, and submit it;
- the chamber's other staff read their cycles; nobody changes a decided cycle (the services
  refuse, and a trigger refuses it in the database too).

Lock order: the cycle's row, then its answers and evidence. Every write records a log entry in
the same transaction; e-mails go out after the commit.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.base import mail
from alliance.base.models import DomainError, SentMessage
from chambers import roles
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

Status = AccreditationCycle.Status
Action = AccreditationLogEntry.Action

# Evidence: the extension a file may have, the bytes its content must start with, and the type
# it is served back with. The extension alone proves nothing; the first bytes alone would let
# any zip through as a document: both must agree.
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
EVIDENCE_TYPES = {
    ".pdf": ((b"%PDF-",), "application/pdf"),
    ".png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
    ".jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    ".jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
    ".docx": (
        _ZIP,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": (
        _ZIP,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ".odt": (_ZIP, "application/vnd.oasis.opendocument.text"),
    ".ods": (_ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
    ".odp": (_ZIP, "application/vnd.oasis.opendocument.presentation"),
    ".doc": (_OLE, "application/msword"),
    ".xls": (_OLE, "application/vnd.ms-excel"),
    ".ppt": (_OLE, "application/vnd.ms-powerpoint"),
}

# Reminders: this many days before the self-assessment is due, and before an accreditation ends.
SELF_ASSESSMENT_REMINDER_DAYS = (14, 3)
EXPIRY_REMINDER_DAYS = (90, 30)


# --- who may -------------------------------------------------------------------------------------


def cycles_visible_to(user) -> QuerySet:
    """Reviewers and alliance admins see every cycle; a chamber's staff their chamber's."""
    if roles.is_accreditation_reviewer(user):
        return AccreditationCycle.objects.all()
    return AccreditationCycle.objects.filter(
        chamber_id__in=roles.chamber_ids_where(user, roles.READ_ROLES)
    )


def may_review(user) -> bool:
    return roles.is_accreditation_reviewer(user)


def may_see_accreditation(user) -> bool:
    """The accreditation pages: reviewers, and staff of a chamber."""
    return may_review(user) or bool(roles.chamber_ids_where(user, roles.READ_ROLES))


def may_answer(user, cycle: AccreditationCycle) -> bool:
    """Fill this cycle's self-assessment: its chamber's own chamber admins, while it is open."""
    return cycle.is_editable and cycle.chamber_id in roles.self_assessment_chamber_ids(user)


def may_answer_chamber(user, cycle: AccreditationCycle) -> bool:
    """The role part of `may_answer`, whatever the cycle's state (pages: 403 or a message)."""
    return cycle.chamber_id in roles.self_assessment_chamber_ids(user)


# --- the checks the writes share ---------------------------------------------------------------


def _lock(cycle: AccreditationCycle) -> AccreditationCycle:
    return AccreditationCycle.objects.select_for_update().select_related("chamber").get(pk=cycle.pk)


def _refuse_decided(cycle: AccreditationCycle) -> None:
    if cycle.is_decided:
        raise DomainError(
            _("Over deze ronde is beslist: niemand wijzigt ze nog."), code="cycle_decided"
        )


def _check_answerer(cycle: AccreditationCycle, actor) -> None:
    if not may_answer_chamber(actor, cycle):
        raise PermissionDenied
    _refuse_decided(cycle)
    if not cycle.is_editable:
        raise DomainError(
            _(
                "De zelfevaluatie is ingediend; je past ze pas weer aan als de federatie extra "
                "bewijs vraagt."
            ),
            code="cycle_not_editable",
        )


def _check_reviewer(cycle: AccreditationCycle, actor) -> None:
    if not may_review(actor):
        raise PermissionDenied
    _refuse_decided(cycle)
    if not cycle.is_under_review:
        raise DomainError(
            _("De kamer heeft haar zelfevaluatie nog niet (opnieuw) ingediend."),
            code="cycle_not_submitted",
        )


def _log(cycle, action, actor, *, principle=None, comment="") -> AccreditationLogEntry:
    return AccreditationLogEntry.objects.create(
        cycle=cycle,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        principle=principle,
        comment=comment,
    )


def _notify(
    cycle: AccreditationCycle,
    users,
    step: str,
    *,
    key: str | None = None,
    language: str | None = None,
    **extra,
):
    """E-mail `users` about `step` of the cycle, after the commit: the chamber's admins in the
    chamber's language, the federation in the site's (the portal keeps no language per staff
    member)."""
    for user in users:
        mail.send_on_commit(
            "accreditation_step",
            to=[user.email],
            language=language or settings.LANGUAGE_CODE,
            key=f"{key}:{user.pk}" if key else None,
            context={
                "step": step,
                "first_name": user.first_name,
                "chamber": cycle.chamber.name,
                "self_assessment_due": cycle.self_assessment_due,
                "decision_due": cycle.decision_due,
                "decision": cycle.get_decision_display() if cycle.decision else "",
                "cycle_url": mail.absolute_url(
                    reverse("staff:accreditation_cycle", kwargs={"pk": cycle.pk})
                ),
                **extra,
            },
        )


def _chamber_admins(chamber: Chamber):
    return roles.staff_users_of(chamber, roles.SELF_ASSESSMENT_ROLES)


def _reviewers():
    return (
        StaffRole.objects.filter(
            chamber__isnull=True,
            role__in=roles.ACCREDITATION_REVIEW_ROLES,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )


def _reviewer_users():
    return [staff_role.user for staff_role in _reviewers()]


# --- the federation opens a cycle -----------------------------------------------------------------


def accreditation_cycle_open(
    *,
    chamber: Chamber,
    self_assessment_due: datetime.date,
    decision_due: datetime.date,
    actor,
) -> AccreditationCycle:
    """Open a cycle for `chamber`: one empty answer per principle of its kind (twelve principles,
    or three pillars for a bilateral chamber), and an e-mail to its chamber admins."""
    if not may_review(actor):
        raise PermissionDenied
    if self_assessment_due < timezone.localdate():
        raise DomainError(
            _("De uiterste datum voor de zelfevaluatie ligt in het verleden."),
            code="due_in_past",
            field="self_assessment_due",
        )
    if decision_due < self_assessment_due:
        raise DomainError(
            _("De beslissing valt na de zelfevaluatie, niet ervoor."),
            code="decision_before_self_assessment",
            field="decision_due",
        )
    principles = list(AccreditationPrinciple.objects.for_chamber(chamber))
    if not principles:
        raise DomainError(
            _("Er zijn geen accreditatieprincipes voor dit soort kamer."), code="no_principles"
        )
    with transaction.atomic():
        chamber = Chamber.objects.select_for_update().get(pk=chamber.pk)
        if chamber.accreditation_cycles.undecided().exists():
            raise DomainError(
                _("%(chamber)s heeft al een lopende accreditatieronde.")
                % {"chamber": chamber.name},
                code="cycle_already_open",
                field="chamber",
            )
        try:
            with transaction.atomic():
                cycle = AccreditationCycle.objects.create(
                    chamber=chamber,
                    self_assessment_due=self_assessment_due,
                    decision_due=decision_due,
                    opened_by=actor,
                )
        except IntegrityError as error:  # a cycle opened at the same moment
            raise DomainError(
                _("%(chamber)s heeft al een lopende accreditatieronde.")
                % {"chamber": chamber.name},
                code="cycle_already_open",
                field="chamber",
            ) from error
        AccreditationAnswer.objects.bulk_create(
            AccreditationAnswer(cycle=cycle, principle=principle) for principle in principles
        )
        _log(cycle, Action.OPENED, actor)
        _notify(cycle, _chamber_admins(chamber), "opened", language=cycle.chamber.language)
    return cycle


# --- the chamber fills its self-assessment ------------------------------------------------------


def accreditation_answer_save(
    *,
    answer: AccreditationAnswer,
    status: str,
    explanation: str,
    actor,
    uploaded_file: UploadedFile | None = None,
) -> AccreditationAnswer:
    """The chamber's status and explanation for one principle, and a file of evidence if given
    (checked before anything is written: a wrong file changes nothing)."""
    if status not in AccreditationAnswer.Status.values:
        raise DomainError(_("Kies een van de beoordelingen."), code="bad_status", field="status")
    if uploaded_file is not None:
        evidence_check(uploaded_file)
    with transaction.atomic():
        cycle = _lock(answer.cycle)
        _check_answerer(cycle, actor)
        answer = (
            AccreditationAnswer.objects.select_for_update()
            .select_related("principle", "cycle")
            .get(pk=answer.pk)
        )
        explanation = explanation.strip()
        if (answer.status, answer.explanation) != (status, explanation):
            answer.status, answer.explanation = status, explanation
            answer.answered_at = timezone.now()
            answer.save(update_fields=["status", "explanation", "answered_at"])
            _log(cycle, Action.ANSWERED, actor, principle=answer.principle)
        if uploaded_file is not None:
            accreditation_evidence_add(answer=answer, uploaded_file=uploaded_file, actor=actor)
    return answer


def evidence_check(uploaded_file: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable evidence file, else a DomainError."""
    name = uploaded_file.name or ""
    dot = name.rfind(".")
    extension = name[dot:].lower() if dot > 0 else ""
    if extension not in EVIDENCE_TYPES:
        raise DomainError(
            _(
                "Dit soort bestand nemen we niet aan: kies een PDF, een kantoordocument "
                "(Word, Excel, PowerPoint, OpenDocument) of een afbeelding (PNG, JPEG)."
            ),
            code="evidence_type",
            field="file",
        )
    limit = settings.ACCREDITATION_EVIDENCE_MAX_BYTES
    if uploaded_file.size > limit:
        raise DomainError(
            _("Dit bestand is te groot: hoogstens %(size)s MB.") % {"size": f"{limit / 2**20:.0f}"},
            code="evidence_too_large",
            field="file",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    signatures, content_type = EVIDENCE_TYPES[extension]
    if not any(head.startswith(signature) for signature in signatures):
        raise DomainError(
            _("De inhoud van dit bestand past niet bij zijn naam (%(extension)s).")
            % {"extension": extension},
            code="evidence_content",
            field="file",
        )
    return extension, content_type


def accreditation_evidence_add(
    *, answer: AccreditationAnswer, uploaded_file: UploadedFile, actor
) -> AccreditationEvidence:
    """Keep a file as evidence for one principle, through Django's default storage."""
    _extension, content_type = evidence_check(uploaded_file)
    stored = None
    try:
        with transaction.atomic():
            cycle = _lock(answer.cycle)
            _check_answerer(cycle, actor)
            evidence = AccreditationEvidence(
                answer=answer,
                original_name=(uploaded_file.name or "")[-200:],
                content_type=content_type,
                size=uploaded_file.size,
                uploaded_by=actor,
            )
            evidence.file.save(uploaded_file.name, uploaded_file, save=False)
            stored = evidence.file
            evidence.save()
            _log(
                cycle,
                Action.EVIDENCE_ADDED,
                actor,
                principle=answer.principle,
                comment=evidence.original_name,
            )
    except BaseException:
        # A refused or failed write leaves no file behind that no row points at.
        if stored is not None:
            stored.storage.delete(stored.name)
        raise
    return evidence


def accreditation_evidence_remove(*, evidence: AccreditationEvidence, actor) -> None:
    """Take a file back out of the self-assessment (while it may still change)."""
    with transaction.atomic():
        cycle = _lock(evidence.answer.cycle)
        _check_answerer(cycle, actor)
        evidence = AccreditationEvidence.objects.select_related("answer__principle").get(
            pk=evidence.pk
        )
        name, storage = evidence.file.name, evidence.file.storage
        principle, original = evidence.answer.principle, evidence.original_name
        evidence.delete()
        _log(cycle, Action.EVIDENCE_REMOVED, actor, principle=principle, comment=original)
        transaction.on_commit(lambda: storage.delete(name))


def accreditation_cycle_submit(*, cycle: AccreditationCycle, actor) -> AccreditationCycle:
    """Hand the self-assessment to the federation: every principle answered and explained."""
    with transaction.atomic():
        cycle = _lock(cycle)
        _check_answerer(cycle, actor)
        missing = [
            answer.principle.number
            for answer in cycle.answers.select_related("principle")
            if not answer.is_complete
        ]
        if missing:
            raise DomainError(
                _("Geef nog een beoordeling en een toelichting bij principe %(numbers)s.")
                % {"numbers": ", ".join(str(number) for number in missing)},
                code="answers_missing",
            )
        again = cycle.status == Status.MORE_EVIDENCE_REQUESTED
        cycle.status = Status.RESUBMITTED if again else Status.SUBMITTED
        cycle.submitted_at = timezone.now()
        cycle.save(update_fields=["status", "submitted_at", "updated_at"])
        _log(cycle, Action.RESUBMITTED if again else Action.SUBMITTED, actor)
        _notify(cycle, _reviewer_users(), "resubmitted" if again else "submitted")
    return cycle


# --- the federation reviews and decides ---------------------------------------------------


def accreditation_answer_review(
    *, answer: AccreditationAnswer, comment: str, more_evidence: bool, actor
) -> AccreditationAnswer:
    """The reviewer's comment on one principle, and whether it needs more evidence."""
    comment = comment.strip()
    if more_evidence and not comment:
        raise DomainError(
            _("Zeg welk bewijs je nog nodig hebt."), code="comment_needed", field="comment"
        )
    with transaction.atomic():
        cycle = _lock(answer.cycle)
        _check_reviewer(cycle, actor)
        answer = AccreditationAnswer.objects.select_for_update().get(pk=answer.pk)
        answer.reviewer_comment = comment
        answer.more_evidence_requested = more_evidence
        answer.save(update_fields=["reviewer_comment", "more_evidence_requested"])
        _log(cycle, Action.COMMENTED, actor, principle=answer.principle, comment=comment)
    return answer


def accreditation_more_evidence_request(
    *, cycle: AccreditationCycle, comment: str, actor
) -> AccreditationCycle:
    """Send the self-assessment back to the chamber: it may change its answers again."""
    comment = comment.strip()
    with transaction.atomic():
        cycle = _lock(cycle)
        _check_reviewer(cycle, actor)
        flagged = cycle.answers.filter(more_evidence_requested=True).exists()
        if not comment and not flagged:
            raise DomainError(
                _("Zeg welk bewijs je nog nodig hebt: hier, of bij een principe."),
                code="comment_needed",
                field="comment",
            )
        cycle.status = Status.MORE_EVIDENCE_REQUESTED
        cycle.save(update_fields=["status", "updated_at"])
        _log(cycle, Action.MORE_EVIDENCE_REQUESTED, actor, comment=comment)
        _notify(
            cycle,
            _chamber_admins(cycle.chamber),
            "more_evidence_requested",
            comment=comment,
            language=cycle.chamber.language,
        )
    return cycle


def accreditation_cycle_decide(
    *,
    cycle: AccreditationCycle,
    decision: str,
    comment: str,
    actor,
    conditions: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> AccreditationCycle:
    """The federation's decision. A grant (with or without conditions) becomes the chamber's
    Accreditation for its validity period; an earlier grant of the chamber ends (expired)."""
    Decision = AccreditationCycle.Decision
    if decision not in Decision.values:
        raise DomainError(_("Kies een beslissing."), code="bad_decision", field="decision")
    conditions = conditions.strip()
    granted = decision != Decision.REFUSED
    if decision == Decision.GRANTED_WITH_CONDITIONS and not conditions:
        raise DomainError(
            _("Schrijf de voorwaarden uit."), code="conditions_needed", field="conditions"
        )
    if granted:
        if valid_from is None or valid_until is None:
            raise DomainError(
                _("Een toekenning heeft een geldigheid: vanaf en tot."),
                code="validity_needed",
                field="valid_until",
            )
        if valid_until <= valid_from:
            raise DomainError(
                _("De geldigheid eindigt na haar begin."),
                code="validity_order",
                field="valid_until",
            )
    else:
        valid_from = valid_until = None
        conditions = ""
    with transaction.atomic():
        cycle = _lock(cycle)
        _check_reviewer(cycle, actor)
        if granted:
            Accreditation.objects.filter(
                chamber=cycle.chamber, status=Accreditation.Status.GRANTED
            ).update(status=Accreditation.Status.EXPIRED, updated_at=timezone.now())
            cycle.accreditation = Accreditation.objects.create(
                chamber=cycle.chamber,
                valid_from=valid_from,
                valid_until=valid_until,
                status=Accreditation.Status.GRANTED,
            )
        cycle.status = Status.DECIDED
        cycle.decision = decision
        cycle.decision_comment = comment.strip()
        cycle.conditions = conditions
        cycle.valid_from, cycle.valid_until = valid_from, valid_until
        cycle.decided_at = timezone.now()
        cycle.decided_by = actor
        cycle.save()
        _log(cycle, Action.DECIDED, actor, comment=cycle.decision_comment)
        _notify(cycle, _chamber_admins(cycle.chamber), "decided", language=cycle.chamber.language)
    return cycle


# --- reminders --------------------------------------------------------------------------------


def _threshold(days_left: int, thresholds: Iterable[int]) -> int | None:
    """The tightest reminder threshold reached: one message per threshold, none skipped twice."""
    reached = [days for days in thresholds if days_left <= days]
    return min(reached) if reached else None


def accreditation_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind chamber admins of a self-assessment that is due soon, and chamber admins and
    reviewers of an accreditation that ends soon. Idempotent: each reminder has a key, and a key
    sent once (a SentMessage row) is never sent again. Returns how many reminders went out."""
    today = today or timezone.localdate()
    sent = 0
    horizon = today + datetime.timedelta(days=max(SELF_ASSESSMENT_REMINDER_DAYS))
    due_cycles = AccreditationCycle.objects.filter(
        status__in=AccreditationCycle.EDITABLE,
        self_assessment_due__gte=today,
        self_assessment_due__lte=horizon,
    ).select_related("chamber")
    for cycle in due_cycles:
        days_left = (cycle.self_assessment_due - today).days
        threshold = _threshold(days_left, SELF_ASSESSMENT_REMINDER_DAYS)
        key = f"accreditation-due:{cycle.pk}:{threshold}"
        users = list(_chamber_admins(cycle.chamber))
        if not users or SentMessage.objects.filter(key__startswith=key + ":").exists():
            continue
        with transaction.atomic():
            _log(cycle, Action.REMINDED, None, comment=_("%(days)s dagen") % {"days": days_left})
            _notify(
                cycle, users, "due_soon", key=key, days=days_left, language=cycle.chamber.language
            )
        sent += 1
    horizon = today + datetime.timedelta(days=max(EXPIRY_REMINDER_DAYS))
    ending = Accreditation.objects.filter(
        status=Accreditation.Status.GRANTED, valid_until__gte=today, valid_until__lte=horizon
    ).select_related("chamber", "cycle")
    for accreditation in ending:
        days_left = (accreditation.valid_until - today).days
        threshold = _threshold(days_left, EXPIRY_REMINDER_DAYS)
        key = f"accreditation-expiry:{accreditation.pk}:{threshold}"
        users = list(_chamber_admins(accreditation.chamber)) + _reviewer_users()
        if not users or SentMessage.objects.filter(key__startswith=key + ":").exists():
            continue
        for user in users:
            mail.send_on_commit(
                "accreditation_expiry",
                to=[user.email],
                language=settings.LANGUAGE_CODE,
                key=f"{key}:{user.pk}",
                context={
                    "first_name": user.first_name,
                    "chamber": accreditation.chamber.name,
                    "valid_until": accreditation.valid_until,
                    "days": days_left,
                    "cycles_url": mail.absolute_url(reverse("staff:accreditation_cycles")),
                },
            )
        sent += 1
    return sent


# --- what the public sees ---------------------------------------------------------------------


def public_status(chamber: Chamber, *, on: datetime.date | None = None) -> dict:
    """What a chamber's public page says about its accreditation: the grant in force today (and
    whether it came with conditions), else the last one that ended, and whether a cycle runs."""
    on = on or timezone.localdate()
    accreditations = chamber.accreditations.select_related("cycle").order_by("-valid_until")
    current = accreditations.filter(
        status=Accreditation.Status.GRANTED, valid_from__lte=on, valid_until__gte=on
    ).first()
    ended = None
    if current is None:
        ended = accreditations.filter(valid_until__lt=on).first()
    cycle = getattr(current, "cycle", None) if current else None
    return {
        "current": current,
        "with_conditions": bool(
            cycle and cycle.decision == AccreditationCycle.Decision.GRANTED_WITH_CONDITIONS
        ),
        "ended": ended,
        "in_review": chamber.accreditation_cycles.undecided().exists(),
    }

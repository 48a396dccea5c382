"""Trade-mission applications: for events that select participants, members apply and staff select.

A company applies through a confirmed person for up to three missions in order of priority
(MissionApplication with its MissionChoice rows); the ordinary registration is refused for such
events (events.services.registration_create). Staff score each choice and accept, decline or put
it on the reserve list. Accepting makes a confirmed registration through the registration
services, under the event's lock and against its places and per-chamber seat allocations
(events/seats.py): when no place is left for the member's chamber, accepting is refused.
Accepted applicants get a confirmation with a follow-up form (travel data, documents) and its
deadline; declined ones a kind answer. Every action is one transaction, written to the selection
log (MissionSelectionLog) and audited (MissionChoice is a tracked model).
"""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.base import mail
from alliance.base.models import DomainError
from events import services
from events.models import (
    Event,
    MissionApplication,
    MissionChoice,
    MissionSelectionLog,
    Registration,
    RegistrationState,
)
from events.rules import terms_for
from members.models import Person

MAX_CHOICES = 3
# How long an accepted applicant has for the follow-up form, unless staff say otherwise
# (and never past the mission's start).
FOLLOW_UP_DAYS = 14


def open_missions():
    """Published missions that select participants and still take applications."""
    now = timezone.now()
    return [
        event
        for event in Event.objects.filter(
            selects_participants=True, status=Event.Status.PUBLISHED, starts_at__gt=now
        ).order_by("starts_at")
        if event.registration_window(now)
        in (RegistrationState.OPEN, RegistrationState.WAITING_LIST)
    ]


def _log(choice: MissionChoice, action: str, actor=None, note: str = "") -> None:
    MissionSelectionLog.objects.create(choice=choice, action=action, actor=actor, note=note[:300])


def apply(
    *, person: Person, events: list[Event], motivation: str, target_markets: str
) -> MissionApplication:
    """Apply for `events` (1 to 3 missions, first = highest priority) for the person's company."""
    motivation, target_markets = (motivation or "").strip(), (target_markets or "").strip()
    if not motivation:
        raise DomainError(_("Vertel waarom je mee wilt."), code="motivation", field="motivation")
    if not target_markets:
        raise DomainError(
            _("Geef je doelmarkten op."), code="target_markets", field="target_markets"
        )
    events = list(dict.fromkeys(events))
    if not 1 <= len(events) <= MAX_CHOICES:
        raise DomainError(_("Kies één tot drie missies."), code="choices", field="events")
    open_ids = {event.pk for event in open_missions()}
    for event in events:
        if event.pk not in open_ids:
            raise DomainError(
                _("Voor %(title)s kun je je niet (meer) kandidaat stellen.") % {"title": event},
                code="not_open",
                field="events",
            )
        terms = terms_for(event, person.company)
        if event.audience == Event.Audience.MEMBERS and not terms.member_terms:
            raise DomainError(
                _("Deze activiteit is enkel voor leden van de kamers van de alliantie."),
                code="members_only",
            )
    try:
        with transaction.atomic():
            application = MissionApplication.objects.create(
                company=person.company,
                person=person,
                motivation=motivation,
                target_markets=target_markets[:300],
            )
            for priority, event in enumerate(events, start=1):
                choice = MissionChoice.objects.create(
                    application=application,
                    event=event,
                    company=person.company,
                    priority=priority,
                )
                _log(choice, MissionSelectionLog.Action.APPLIED, person.user)
    except IntegrityError as error:
        raise DomainError(
            _("Je onderneming is al kandidaat voor deze missie."), code="already_applied"
        ) from error
    return application


def _locked_choice(choice: MissionChoice, actor) -> tuple[Event, MissionChoice]:
    event = services._lock_event(choice.event)
    services._refuse_unless_event_manager(actor, event)
    services._refuse_if_cancelled(event)
    choice = (
        MissionChoice.objects.select_for_update(of=("self",))
        .select_related("application__person", "company")
        .get(pk=choice.pk)
    )
    return event, choice


def score(*, choice: MissionChoice, score: int, note: str = "", actor) -> MissionChoice:
    """Give a choice its score (0 to 100) and, optionally, a staff note."""
    if score is None or not 0 <= score <= 100:
        raise DomainError(_("Een score ligt tussen 0 en 100."), code="score", field="score")
    with transaction.atomic():
        event, choice = _locked_choice(choice, actor)
        choice.score = score
        if note:
            choice.staff_note = note
        choice.save(update_fields=["score", "staff_note", "updated_at"])
        _log(choice, MissionSelectionLog.Action.SCORED, actor, f"{score}")
    return choice


def _refuse_unless_undecided(choice: MissionChoice) -> None:
    if choice.status not in (MissionChoice.Status.SUBMITTED, MissionChoice.Status.RESERVE):
        raise DomainError(_("Over deze kandidatuur is al beslist."), code="already_decided")


def accept(
    *, choice: MissionChoice, actor, follow_up_deadline: datetime.datetime | None = None
) -> MissionChoice:
    """Select the applicant: a confirmed registration for the applying person, against the
    event's places and the seats reserved for the member's chamber; refused when none is left."""
    now = timezone.now()
    with transaction.atomic():
        event, choice = _locked_choice(choice, actor)
        _refuse_unless_undecided(choice)
        person = choice.application.person
        registration = services.registration_create(event=event, person=person, selected=True)
        if registration.status != Registration.Status.CONFIRMED:
            raise DomainError(
                _("Er is geen plaats meer vrij voor deze kandidaat."), code="event_full"
            )
        deadline = follow_up_deadline or now + datetime.timedelta(days=FOLLOW_UP_DAYS)
        deadline = min(deadline, event.starts_at)
        if deadline <= now:
            raise DomainError(
                _("De termijn voor de opvolging ligt in de toekomst."),
                code="follow_up_deadline",
                field="follow_up_deadline",
            )
        choice.status = MissionChoice.Status.ACCEPTED
        choice.registration = registration
        choice.follow_up_deadline = deadline
        choice.decided_at = now
        choice.save()
        _log(choice, MissionSelectionLog.Action.ACCEPTED, actor)
        _mail(choice, "mission_accepted")
    return choice


def decline(*, choice: MissionChoice, actor, reserve: bool = False) -> MissionChoice:
    """Decline the applicant with a kind answer, or put them on the reserve list."""
    with transaction.atomic():
        event, choice = _locked_choice(choice, actor)
        _refuse_unless_undecided(choice)
        if reserve and choice.status == MissionChoice.Status.RESERVE:
            raise DomainError(
                _("Deze kandidaat staat al op de reservelijst."), code="already_reserve"
            )
        choice.status = MissionChoice.Status.RESERVE if reserve else MissionChoice.Status.DECLINED
        choice.decided_at = timezone.now()
        choice.save()
        _log(
            choice,
            MissionSelectionLog.Action.RESERVE if reserve else MissionSelectionLog.Action.DECLINED,
            actor,
        )
        _mail(choice, "mission_reserve" if reserve else "mission_declined")
    return choice


def follow_up_submit(*, choice: MissionChoice, person: Person, data: dict) -> MissionChoice:
    """The accepted applicant's follow-up (travel data, documents), before the deadline."""
    with transaction.atomic():
        choice = (
            MissionChoice.objects.select_for_update(of=("self",))
            .select_related("application")
            .get(pk=choice.pk)
        )
        if choice.company_id != person.company_id:
            raise DomainError(_("Deze kandidatuur is niet van je onderneming."), code="not_yours")
        if choice.status != MissionChoice.Status.ACCEPTED:
            raise DomainError(
                _("Enkel geselecteerde kandidaten vullen de opvolging in."), code="not_accepted"
            )
        if not choice.follow_up_open():
            raise DomainError(
                _("De termijn voor de opvolging is verstreken."), code="follow_up_closed"
            )
        choice.follow_up = {key: str(value).strip() for key, value in data.items()}
        choice.followed_up_at = timezone.now()
        choice.save(update_fields=["follow_up", "followed_up_at", "updated_at"])
        _log(choice, MissionSelectionLog.Action.FOLLOWED_UP, person.user)
    return choice


def _mail(choice: MissionChoice, message: str) -> None:
    person, event = choice.application.person, choice.event
    mail.send_on_commit(
        message,
        to=[person.email],
        language=person.preferred_language,
        context=lambda: {
            "choice": choice,
            "event": event,
            "person": person,
            "follow_up_url": mail.absolute_url(
                reverse("events:mission_follow_up", args=[choice.pk])
            ),
            "me_url": mail.absolute_url(reverse("me:home")),
        },
    )

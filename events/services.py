"""Registrations: the one place where places are given, taken back and passed on.

Every function runs in one transaction and locks the event row first, so that two requests for
the last place are served one after the other and capacity is never exceeded. E-mails go out
after the commit (alliance.base.mail.send_on_commit).
"""

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.base import mail
from alliance.base.models import DomainError
from events import calendar
from events.models import Event, Registration
from events.rules import terms_for
from members.models import Person


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("organiser").get(pk=event.pk)


def _refuse_unless_open(event: Event, now) -> None:
    if event.status == Event.Status.CANCELLED:
        raise DomainError(_("Deze activiteit is geannuleerd."), code="event_cancelled")
    if event.status != Event.Status.PUBLISHED:
        raise DomainError(
            _("Deze activiteit is nog niet gepubliceerd."), code="event_not_published"
        )
    if event.registration_opens_at and now < event.registration_opens_at:
        raise DomainError(
            _("De inschrijvingen zijn nog niet geopend."), code="registration_not_open"
        )
    if (event.registration_closes_at and now >= event.registration_closes_at) or (
        now >= event.starts_at
    ):
        raise DomainError(_("De inschrijvingen zijn afgesloten."), code="registration_closed")


def registration_create(*, event: Event, person: Person) -> Registration:
    """Register `person` on the terms their company gets; confirmed, waitlisted or refused."""
    now = timezone.now()
    with transaction.atomic():
        event = _lock_event(event)
        _refuse_unless_open(event, now)
        if event.registrations.live().filter(person=person).exists():
            raise DomainError(
                _("Je bent al ingeschreven voor deze activiteit."), code="already_registered"
            )
        terms = terms_for(event, person.company)
        if event.audience == Event.Audience.MEMBERS and not terms.member_terms:
            raise DomainError(
                _("Deze activiteit is enkel voor leden van de kamers van de alliantie."),
                code="members_only",
            )
        registration = Registration(
            event=event,
            person=person,
            company=person.company,
            member_terms=terms.member_terms,
            member_terms_chamber=terms.via_chamber,
            price=terms.price,
        )
        if event.capacity is None or event.places_taken() < event.capacity:
            registration.status = Registration.Status.CONFIRMED
        elif event.has_waiting_list:
            registration.status = Registration.Status.WAITLISTED
            registration.waiting_list_position = _next_waiting_position(event)
        else:
            raise DomainError(_("Deze activiteit is volzet."), code="event_full")
        registration.save()
        _notify(
            registration,
            "registration_confirmed" if registration.holds_a_place else "registration_waitlisted",
        )
    return registration


def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel a confirmed or waiting registration; a freed place goes to the first in line."""
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in (
            Registration.Status.CONFIRMED,
            Registration.Status.WAITLISTED,
        ):
            raise DomainError(
                _("Deze inschrijving kan niet meer geannuleerd worden."), code="not_cancellable"
            )
        if timezone.now() >= event.starts_at:
            raise DomainError(
                _("De activiteit is al begonnen; annuleren kan niet meer."), code="event_started"
            )
        freed_a_place = registration.holds_a_place
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.waiting_list_position = None
        registration.save()
        _notify(registration, "registration_cancelled")
        if freed_a_place:
            waiting_list_promote(event=event)
    return registration


def waiting_list_promote(*, event: Event) -> list[Registration]:
    """Give free places to the waiting list, first in line first. The caller holds the lock."""
    promoted = []
    free = event.places_left()
    waiting = event.registrations.waiting().select_for_update()
    for registration in waiting[: free if free is not None else None]:
        registration.status = Registration.Status.CONFIRMED
        registration.waiting_list_position = None
        registration.save(update_fields=["status", "waiting_list_position", "updated_at"])
        _notify(registration, "registration_promoted")
        promoted.append(registration)
    return promoted


def waiting_list_rank(registration: Registration) -> int | None:
    """1 for the first in line; None unless the registration is on the waiting list."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ranked = Registration.objects.filter(pk=registration.pk).with_waiting_rank()
    return ranked.values_list("waiting_rank", flat=True).get()


def _next_waiting_position(event: Event) -> int:
    last = event.registrations.filter(status=Registration.Status.WAITLISTED).aggregate(
        last=Max("waiting_list_position")
    )["last"]
    return (last or 0) + 1


def _notify(registration: Registration, message: str) -> None:
    person, event = registration.person, registration.event
    with_ticket = message in ("registration_confirmed", "registration_promoted")

    def context():
        registration.refresh_from_db()
        return {
            "registration": registration,
            "event": event,
            "person": person,
            "rank": waiting_list_rank(registration),
            "manage_url": mail.absolute_url(reverse("events:detail", args=[event.slug])),
        }

    def attachments():
        if not with_ticket:
            return []
        return [(f"{event.slug}.ics", calendar.calendar_file(event).decode(), "text/calendar")]

    mail.send_on_commit(
        message,
        to=[person.email],
        language=person.preferred_language,
        context=context,
        attachments=attachments,
    )

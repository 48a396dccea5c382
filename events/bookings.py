"""Company bookings: a company admin registers several colleagues for an event in one go.

All or nothing: one transaction under the event's lock (and its allocations', events/seats.py),
each colleague registered by the one registration service (events.services.registration_create:
window, audience, terms, price, allocations, waiting list). If anyone of the booking would not get
a confirmed place (or any rule refuses one of them), the whole booking is rolled back: no
registration, no new person, no e-mail. Each colleague gets their own ticket and e-mail (sent after
the commit). A colleague without an account is added to the company and invited to make one with
their address (members.services.invited_admin_link links it when they confirm it).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.base import mail
from alliance.base.models import DomainError
from events import services
from events.models import Event, Registration
from members import permissions as member_permissions
from members.models import Person

# The most people one booking registers (a delegation larger than that talks to the chamber).
MAX_BOOKING = 20


@dataclass(frozen=True)
class Newcomer:
    """A colleague the portal does not know yet."""

    first_name: str
    last_name: str
    email: str
    preferred_language: str = "nl"


def company_booking_create(
    *,
    event: Event,
    actor,
    colleagues: list[Person] = (),
    newcomers: list[Newcomer] = (),
    purchase_order: str = "",
) -> list[Registration]:
    """Register `colleagues` (people of the actor's company) and `newcomers` for `event`, all
    with a confirmed place, or none of them (code not_enough_places, or the rule that refused
    one of them, with their name). Only a company admin books for others."""
    booker = member_permissions.person_of(actor)
    if booker is None or not booker.is_company_admin:
        raise PermissionDenied
    company = booker.company
    colleagues, newcomers = list(colleagues), list(newcomers)
    if not colleagues and not newcomers:
        raise DomainError(_("Kies minstens één collega."), code="nobody_booked")
    if len(colleagues) + len(newcomers) > MAX_BOOKING:
        raise DomainError(
            _("Je boekt hoogstens %(most)s mensen tegelijk.") % {"most": MAX_BOOKING},
            code="booking_too_large",
        )
    if any(person.company_id != company.pk for person in colleagues):
        raise DomainError(_("Kies een collega van je onderneming."), code="not_a_colleague")
    now = timezone.now()
    with transaction.atomic():
        # The event's lock first, held for the whole booking (registration_create takes it
        # again in the same transaction: no wait, and nobody else's registration in between).
        event = services._lock_event(event)
        people = list(colleagues)
        for newcomer in newcomers:
            people.append(_newcomer_person(company, newcomer, now))
        if len({person.pk for person in people}) != len(people):
            raise DomainError(
                _("Je koos dezelfde persoon twee keer."), code="booked_twice", field="newcomers"
            )
        registrations = []
        for person in people:
            try:
                registration = services.registration_create(
                    event=event, person=person, purchase_order=purchase_order
                )
            except DomainError as error:
                raise DomainError(
                    _("%(name)s: %(reason)s Er is niemand geboekt.")
                    % {"name": person.full_name, "reason": error.message},
                    code=error.code,
                ) from error
            if not registration.holds_a_place:
                raise DomainError(
                    _(
                        "Er zijn niet genoeg plaatsen voor %(count)s mensen (nog %(left)s vrij "
                        "voor je onderneming). Er is niemand geboekt."
                    )
                    % {"count": len(people), "left": len(registrations)},
                    code="not_enough_places",
                )
            registrations.append(registration)
        for person in people:
            if person.invited_at == now:
                _invite(person, booker, event)
    return registrations


def _newcomer_person(company, newcomer: Newcomer, now) -> Person:
    """The company's Person with this address (when the name is theirs), else a new one,
    invited to make an account."""
    email = newcomer.email.strip()
    person = services._known_person(
        company, email, newcomer.first_name, newcomer.last_name, field="newcomers"
    )
    if person is not None:
        return person
    person = Person(
        company=company,
        first_name=newcomer.first_name.strip(),
        last_name=newcomer.last_name.strip(),
        email=email,
        preferred_language=newcomer.preferred_language,
        invited_at=now,
    )
    try:
        person.full_clean(exclude=["user", "calendar_token_hash"])
    except ValidationError as error:
        raise DomainError(
            _("%(email)s: %(reason)s") % {"email": email, "reason": " ".join(error.messages)},
            code="bad_newcomer",
            field="newcomers",
        ) from error
    person.save()
    return person


def _invite(person: Person, booker: Person, event: Event) -> None:
    mail.send_on_commit(
        "colleague_invited",
        to=[person.email],
        language=person.preferred_language,
        context={
            "person": person,
            "booker": booker,
            "company": booker.company,
            "event": event,
            "signup_url": mail.absolute_url(reverse("account_signup")),
        },
    )

"""Registrations: the one place where places are given, taken back and passed on.

Every function runs in one transaction and locks the event row first, so that two requests for
the last place are served one after the other and capacity is never exceeded. E-mails go out
after the commit (alliance.base.mail.send_on_commit).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.base import mail
from alliance.base.models import DomainError
from chambers import roles
from chambers.models import Chamber, Partner, WebhookEventType
from chambers.services import webhook_enqueue
from competences.models import CompetenceCentre
from events import billing, calendar, free_seats, payloads, permissions, seats
from events.models import (
    CancellationTerms,
    DelegationQuota,
    Event,
    Registration,
    RegistrationState,
)
from events.rules import terms_for
from members import identifiers
from members import permissions as member_permissions
from members import services as member_services
from members.models import Company, Person, Sector

# PostgreSQL's code for "could not obtain lock" (lock_timeout expired).
LOCK_NOT_AVAILABLE = "55P03"


def _lock_event(event: Event) -> Event:
    """Lock the event's row: the one lock that guards its places, taken first by every writer.

    Waiting is bounded (settings.EVENT_LOCK_TIMEOUT_SECONDS, for the rest of the transaction):
    when a hot event keeps the lock longer, the request is refused with code "busy" (a 409 in
    the API, a message on the page) instead of queueing until the web server gives up.
    """
    timeout_ms = max(int(settings.EVENT_LOCK_TIMEOUT_SECONDS * 1000), 1)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = {timeout_ms}")
    try:
        return Event.objects.select_for_update().select_related("organiser").get(pk=event.pk)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise DomainError(
            _("Er schrijven nu veel mensen tegelijk in. Probeer het over enkele seconden opnieuw."),
            code="busy",
        ) from error


# Why a registration is refused, per state of the window (Event.registration_window).
WINDOW_REFUSALS = {
    RegistrationState.CANCELLED: (
        gettext_lazy("Deze activiteit is geannuleerd."),
        "event_cancelled",
    ),
    RegistrationState.NOT_PUBLISHED: (
        gettext_lazy("Deze activiteit is nog niet gepubliceerd."),
        "event_not_published",
    ),
    RegistrationState.NOT_YET_OPEN: (
        gettext_lazy("De inschrijvingen zijn nog niet geopend."),
        "registration_not_open",
    ),
    RegistrationState.CLOSED: (
        gettext_lazy("De inschrijvingen zijn afgesloten."),
        "registration_closed",
    ),
    RegistrationState.PAST: (
        gettext_lazy("De inschrijvingen zijn afgesloten."),
        "registration_closed",
    ),
}


def _refuse_unless_open(event: Event, now) -> None:
    state = event.registration_window(now)
    if state in WINDOW_REFUSALS:
        message, code = WINDOW_REFUSALS[state]
        raise DomainError(str(message), code=code)


def registration_create(
    *,
    event: Event,
    person: Person,
    partner: Partner | None = None,
    purchase_order: str = "",
    selected: bool = False,
) -> Registration:
    """Register `person` on the terms their company gets; confirmed, waitlisted or refused.

    `purchase_order`: the member's reference for the invoice, kept with the registration.

    With `partner`, the person is part of that partner's delegation (registered through the
    API), within the quota staff gave the partner for this event.

    An event that selects participants takes no registrations but those of the applicants
    staff accept (`selected`, from events/missions.py): confirmed, or refused when no place is
    left (never waitlisted), also after applications closed.
    """
    now = timezone.now()
    with transaction.atomic():
        event = _lock_event(event)
        if event.selects_participants and not selected:
            raise DomainError(
                _("Voor deze activiteit stel je je kandidaat; het personeel selecteert."),
                code="selects_participants",
            )
        if selected:
            if event.registration_window(now) in (
                RegistrationState.CANCELLED,
                RegistrationState.NOT_PUBLISHED,
                RegistrationState.PAST,
            ):
                _refuse_unless_open(event, now)
        else:
            _refuse_unless_open(event, now)
        if partner is not None:
            _refuse_beyond_quota(event, partner)
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
        # A free seat of the company's tier, under the membership's lock (after the event's).
        price, free_seat = free_seats.price_for(event, person.company, terms, lock=True)
        registration = Registration(
            event=event,
            person=person,
            company=person.company,
            member_terms=terms.member_terms,
            member_terms_chamber=terms.via_chamber,
            price=price,
            free_seat=free_seat,
            partner=partner,
            purchase_order=(purchase_order or "").strip()[:50],
        )
        # Strictly in order: a free place goes to the first in line, and a newcomer waits
        # while anyone is waiting (also when a place was added or freed outside this service);
        # with seats reserved per chamber, within the place left for the member's chamber.
        waiting_list_promote(event=event)
        if seats.place_free(event, terms.via_chamber.pk if terms.via_chamber else None):
            registration.status = Registration.Status.CONFIRMED
        elif event.has_waiting_list and not selected:
            registration.status = Registration.Status.WAITLISTED
            registration.waiting_list_position = _next_waiting_position(event)
        else:
            raise DomainError(_("Deze activiteit is volzet."), code="event_full")
        registration.save()
        _notify(
            registration,
            "registration_confirmed" if registration.holds_a_place else "registration_waitlisted",
        )
        if registration.holds_a_place:
            billing.registration_invoice(registration)
            _announce_registration(registration, WebhookEventType.REGISTRATION_CONFIRMED)
    return registration


def registration_cancel(
    *,
    registration: Registration,
    by: str = Registration.CancelledBy.PERSON,
    charge_fee: bool | None = None,
    actor=None,
    reason: str = "",
) -> Registration:
    """Cancel a confirmed, offered or waiting registration; a freed place goes to the first in
    line.

    The event's cancellation terms apply to a confirmed place (Event.cancellation_terms):
    free until the deadline, then the late-cancellation fee, or no cancellation by the person
    at all. Staff (`by` staff, with `actor`) may always cancel before the start and choose
    whether the fee is charged (`charge_fee`). Nothing changes and nothing is sent for a
    cancelled event (its registrations were ended by event_cancel) or one that has started.
    """
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if by == Registration.CancelledBy.STAFF:
            _refuse_unless_event_manager(actor, event)
        _refuse_if_cancelled(event)
        if registration.status not in Registration.CANCELLABLE:
            raise DomainError(
                _("Deze inschrijving kan niet meer geannuleerd worden."), code="not_cancellable"
            )
        terms = event.cancellation_terms()
        if terms == CancellationTerms.CLOSED:
            raise DomainError(
                _("De activiteit is al begonnen; annuleren kan niet meer."), code="event_started"
            )
        late = registration.status == Registration.Status.CONFIRMED and terms in (
            CancellationTerms.FEE,
            CancellationTerms.REFUSED,
        )
        if late and terms == CancellationTerms.REFUSED and by == Registration.CancelledBy.PERSON:
            raise DomainError(
                _(
                    "Gratis annuleren kon tot %(deadline)s; daarna kan je niet meer annuleren. "
                    "Neem contact op met de organiserende kamer."
                )
                % {
                    "deadline": formats.date_format(
                        timezone.localtime(event.cancellation_deadline), "DATETIME_FORMAT"
                    )
                },
                code="late_cancellation_refused",
            )
        freed_a_place = registration.status in Registration.TAKING_CAPACITY
        had_a_place = registration.holds_a_place
        if charge_fee is None:
            charge_fee = by == Registration.CancelledBy.PERSON
        fee = event.late_cancellation_fee if late and charge_fee else None
        registration.cancel(by=by)
        registration.cancellation_fee = fee if fee else None
        if by == Registration.CancelledBy.STAFF:
            registration.log(
                actor,
                _("geannuleerd met annuleringskost")
                if registration.cancellation_fee
                else _("geannuleerd"),
                reason,
            )
        registration.save()
        if had_a_place:
            billing.registration_credit(registration)
        _notify(registration, "registration_cancelled", had_a_place=had_a_place)
        _announce_registration(registration, WebhookEventType.REGISTRATION_CANCELLED)
        if freed_a_place:
            waiting_list_promote(event=event)
    return registration


def registration_substitute(
    *, registration: Registration, colleague: Person, actor
) -> Registration:
    """Send a colleague instead: a confirmed place passes to another person of the same company.

    No cancellation cost and no move on the waiting list: the place is not freed, it changes
    hands, on the same terms and price. The person replaced gets the message that removes the
    calendar entry, the colleague a ticket of their own. The registered person or an admin of
    their company may do it, until the event starts.
    """
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("person", "company")
            .get(pk=registration.pk)
        )
        if not (
            registration.person.user_id == getattr(actor, "pk", None)
            or member_permissions.is_company_admin_of(actor, registration.company)
        ):
            raise PermissionDenied
        _refuse_if_cancelled(event)
        if timezone.now() >= event.starts_at:
            raise DomainError(
                _("De activiteit is al begonnen; je kunt je plaats niet meer doorgeven."),
                code="event_started",
            )
        if registration.status != Registration.Status.CONFIRMED:
            raise DomainError(
                _("Enkel een bevestigde plaats kan je doorgeven aan een collega."),
                code="not_substitutable",
            )
        if (
            colleague.company_id != registration.company_id
            or colleague.pk == registration.person_id
        ):
            raise DomainError(
                _("Kies een collega van je onderneming."), code="not_a_colleague", field="colleague"
            )
        if event.registrations.live().filter(person=colleague).exists():
            raise DomainError(
                _("%(name)s is al ingeschreven voor deze activiteit.")
                % {"name": colleague.full_name},
                code="already_registered",
                field="colleague",
            )
        registration.cancel(by=Registration.CancelledBy.PERSON)
        registration.log(
            actor, _("plaats doorgegeven aan %(name)s") % {"name": colleague.full_name}
        )
        registration.save()
        substitute = Registration.objects.create(
            event=event,
            person=colleague,
            company=registration.company,
            member_terms=registration.member_terms,
            member_terms_chamber=registration.member_terms_chamber,
            price=registration.price,
            free_seat=registration.free_seat,
            partner=registration.partner,
            purchase_order=registration.purchase_order,
            status=Registration.Status.CONFIRMED,
        )
        billing.registration_transfer(registration, substitute)
        _notify(registration, "registration_cancelled", had_a_place=True)
        _notify(substitute, "registration_confirmed")
        _announce_registration(registration, WebhookEventType.REGISTRATION_CANCELLED)
        _announce_registration(substitute, WebhookEventType.REGISTRATION_CONFIRMED)
    return substitute


def registration_mark_no_show(*, registration: Registration, actor) -> Registration:
    """Staff record, once the event has started, that a confirmed person did not come; the
    figures' no-show rate counts them."""
    with transaction.atomic():
        event = _lock_event(registration.event)
        _refuse_unless_event_manager(actor, event)
        _refuse_if_cancelled(event)
        if timezone.now() < event.starts_at:
            raise DomainError(
                _("Niet opgedaagd kan pas vanaf het begin van de activiteit."),
                code="event_not_started",
            )
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.mark_no_show()
        registration.log(actor, _("niet opgedaagd"))
        registration.save(update_fields=["status", "staff_log", "updated_at"])
    return registration


def registration_undo_check_in(*, registration: Registration, actor) -> Registration:
    """Staff take back a check-in made by mistake: the registration is confirmed again."""
    with transaction.atomic():
        event = _lock_event(registration.event)
        _refuse_unless_event_manager(actor, event)
        _refuse_if_cancelled(event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.undo_check_in()
        registration.log(actor, _("check-in ongedaan gemaakt"))
        registration.save(update_fields=["status", "checked_in_at", "staff_log", "updated_at"])
    return registration


def _promotes(event: Event, now=None) -> bool:
    """Places are passed on only for a published event that has not started."""
    return event.status == Event.Status.PUBLISHED and (now or timezone.now()) < event.starts_at


def waiting_list_promote(*, event: Event) -> list[Registration]:
    """Give free places to the waiting list, first in line first. The caller holds the lock.

    With the event's waiting_list_mode "automatic" the first in line is registered at once;
    with "offer" they are offered the place until Event.offer_expiry (offers_expire passes an
    expired one on). Nobody is promoted on a cancelled, unpublished, started or past event.
    """
    if not _promotes(event):
        return []
    promoted = []
    waiting = event.registrations.waiting().select_for_update()
    offering = event.waiting_list_mode == Event.WaitingListMode.OFFER
    for registration in seats.next_in_line(event, waiting):
        registration.waiting_list_position = None
        if offering:
            registration.status = Registration.Status.OFFERED
            registration.offer_expires_at = event.offer_expiry()
            registration.save(
                update_fields=["status", "waiting_list_position", "offer_expires_at", "updated_at"]
            )
            _notify(registration, "registration_offered")
        else:
            registration.status = Registration.Status.CONFIRMED
            registration.save(update_fields=["status", "waiting_list_position", "updated_at"])
            billing.registration_invoice(registration)
            _notify(registration, "registration_promoted")
            _announce_registration(registration, WebhookEventType.REGISTRATION_CONFIRMED)
        promoted.append(registration)
    return promoted


def _locked_offer(registration: Registration) -> tuple[Event, Registration]:
    event = _lock_event(registration.event)
    registration = (
        Registration.objects.select_for_update().select_related("person").get(pk=registration.pk)
    )
    _refuse_if_cancelled(event)
    if registration.status != Registration.Status.OFFERED:
        raise DomainError(_("Er staat geen aanbod voor je open."), code="no_offer")
    return event, registration


def registration_offer_accept(*, registration: Registration) -> Registration:
    """Take the offered place: registered, with the ticket. Refused once the offer expired."""
    with transaction.atomic():
        event, registration = _locked_offer(registration)
        if timezone.now() >= registration.offer_expires_at:
            raise DomainError(
                _("Dit aanbod is verlopen; de plaats ging naar de volgende op de wachtlijst."),
                code="offer_expired",
            )
        registration.status = Registration.Status.CONFIRMED
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        registration.event = event
        billing.registration_invoice(registration)
        _notify(registration, "registration_confirmed")
        _announce_registration(registration, WebhookEventType.REGISTRATION_CONFIRMED)
    return registration


def registration_offer_decline(*, registration: Registration) -> Registration:
    """Let the offered place go: the registration is cancelled, the next in line gets it."""
    with transaction.atomic():
        _locked_offer(registration)
        return registration_cancel(registration=registration)


def offers_expire(*, now=None) -> int:
    """Pass expired offers on to the next in line (a scheduled task, every five minutes).

    Idempotent: an offer is expired once; each event is handled in its own transaction, under
    its lock. Returns how many offers expired.
    """
    now = now or timezone.now()
    expired = Registration.objects.filter(
        status=Registration.Status.OFFERED, offer_expires_at__lte=now
    )
    count = 0
    for event_id in expired.values_list("event_id", flat=True).distinct().order_by("event_id"):
        with transaction.atomic():
            event = _lock_event(Event(pk=event_id))
            rows = list(
                expired.filter(event=event).select_for_update(of=("self",)).select_related("person")
            )
            for registration in rows:
                registration.cancel(by=Registration.CancelledBy.EXPIRED, now=now)
                registration.save()
                registration.event = event
                _notify(registration, "registration_offer_expired")
            count += len(rows)
            waiting_list_promote(event=event)
    return count


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


def _notify(registration: Registration, message: str, *, had_a_place: bool = False) -> None:
    """E-mail the person after the commit. A place given comes with the calendar entry
    (METHOD:REQUEST); a place given up with the message that removes it (METHOD:CANCEL)."""
    person, event = registration.person, registration.event
    with_ticket = message in ("registration_confirmed", "registration_promoted")
    removes_entry = message == "registration_cancelled" and had_a_place

    def context():
        registration.refresh_from_db()
        return {
            "registration": registration,
            "event": event,
            "person": person,
            "rank": waiting_list_rank(registration),
            "manage_url": mail.absolute_url(reverse("events:detail", args=[event.slug])),
            "offer_url": mail.absolute_url(
                reverse("events:offer", args=[registration.ticket_code])
            ),
            "ticket_url": mail.absolute_url(
                reverse("events:ticket", args=[registration.ticket_code])
            ),
        }

    def attachments():
        if not (with_ticket or removes_entry):
            return []
        ics = calendar.registration_file(registration, cancel=removes_entry)
        return [(f"{event.slug}.ics", ics.decode(), "text/calendar")]

    mail.send_on_commit(
        message,
        to=[person.email],
        language=person.preferred_language,
        context=context,
        attachments=attachments,
    )


def event_cancel(*, event: Event, actor) -> Event:
    """Cancel an event; everyone registered (confirmed or waiting) hears it in their language.

    Their registrations are cancelled with cancelled_by "event", so that staff still see who was
    coming and nobody's place can be cancelled, passed on or checked in any more. Those who had
    a ticket get a calendar file that removes the event from their agenda.
    """
    with transaction.atomic():
        event = _lock_event(event)
        if not permissions.can_cancel_event(actor, event):
            raise DomainError(_("Je mag deze activiteit niet annuleren."), code="not_event_manager")
        if event.status == Event.Status.CANCELLED:
            raise DomainError(_("Deze activiteit is al geannuleerd."), code="event_cancelled")
        if timezone.now() >= event.starts_at:
            raise DomainError(
                _("De activiteit is al begonnen; annuleren kan niet meer."), code="event_started"
            )
        was = event.status
        event.status = Event.Status.CANCELLED
        event.save(update_fields=["status", "updated_at"])
        if was == Event.Status.PUBLISHED:
            _announce_event(event, WebhookEventType.EVENT_CANCELLED)
        elif was == Event.Status.PROPOSED:
            # A proposal turned down: only the partner that proposed it knew of it.
            _announce_event(
                event, WebhookEventType.EVENT_CANCELLED, partner_ids=[event.proposed_by_id]
            )
        registrations = list(
            event.registrations.filter(status__in=Registration.CANCELLABLE)
            .select_for_update(of=("self",))
            .select_related("person")
        )
        events_url = mail.absolute_url(reverse("events:list"))
        now = timezone.now()
        for registration in registrations:
            had_a_place = registration.holds_a_place
            registration.cancel(by=Registration.CancelledBy.EVENT, now=now)
            registration.save(
                update_fields=[
                    "status",
                    "cancelled_at",
                    "cancelled_by",
                    "waiting_list_position",
                    "updated_at",
                ]
            )
            if had_a_place:
                billing.registration_credit(registration)
            _notify_cancelled(event, registration, events_url, had_a_place=had_a_place)
    return event


def _notify_cancelled(
    event: Event, registration: Registration, events_url: str, *, had_a_place: bool
) -> None:
    person = registration.person

    def attachments():
        if not had_a_place:
            return []
        ics = calendar.registration_file(registration, cancel=True)
        return [(f"{event.slug}.ics", ics.decode(), "text/calendar")]

    mail.send_on_commit(
        "event_cancelled",
        to=[person.email],
        language=person.preferred_language,
        key=f"event_cancelled:{registration.pk}",
        context={"event": event, "person": person, "events_url": events_url},
        attachments=attachments,
    )


# The back-office (events/staff_views.py): staff create, change, publish and duplicate events,
# manage their places and waiting list, register guests and check people in. Each function checks
# that `actor` manages the event (events.permissions), so the API and commands may reuse them.


EVENT_RELATIONS = ("co_organisers", "partners", "sectors")


def _refuse_unless_event_manager(actor, event: Event) -> None:
    if not permissions.can_edit_event(actor, event):
        raise DomainError(_("Je mag deze activiteit niet beheren."), code="not_event_manager")


def _refuse_if_cancelled(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise DomainError(_("Deze activiteit is geannuleerd."), code="event_cancelled")


# Addresses under /staff/events/ and /events/ that an event's slug would hide.
RESERVED_SLUGS = {"new", "aanbod", "ticket", "missie"}


def _free_slug(base: str) -> str:
    base = (slugify(base) or "activiteit")[:200].strip("-")
    taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _save_new_event(event: Event, slug_base: str) -> None:
    """Save with a free slug; a slug taken meanwhile by a concurrent request is tried again."""
    for attempt in range(5):
        event.slug = _free_slug(slug_base)
        try:
            with transaction.atomic():
                event.save()
            return
        except IntegrityError:
            if attempt == 4 or not Event.objects.filter(slug=event.slug).exists():
                raise


def _split_event_data(data: dict) -> tuple[dict, dict]:
    fields = {name: value for name, value in data.items() if name not in EVENT_RELATIONS}
    relations = {name: data[name] for name in EVENT_RELATIONS if name in data}
    return fields, relations


def _set_relations(event: Event, relations: dict) -> None:
    for name, values in relations.items():
        getattr(event, name).set(values)


def event_create(*, actor, data: dict) -> Event:
    """A new event, as a draft, from the staff form's cleaned data (fields and relations).

    The slug comes from the Dutch title. The organiser must be a chamber where `actor` manages
    events; publishing is a step of its own (event_publish).
    """
    fields, relations = _split_event_data(data)
    if not roles.is_staff_of(actor, fields["organiser"], roles.EVENT_ROLES):
        raise DomainError(
            _("Je mag geen activiteiten organiseren voor deze kamer."), code="not_event_manager"
        )
    with transaction.atomic():
        event = Event(**fields)
        event.status = Event.Status.DRAFT
        _save_new_event(event, fields.get("title_nl") or fields.get("title") or "")
        _set_relations(event, relations)
    return event


def event_update(*, event: Event, actor, data: dict) -> Event:
    """Change an event's facts; a larger capacity gives the new places to the waiting list.

    A capacity below the places already taken is refused (code capacity_below_taken): staff
    cancel registrations first. A cancelled event is no longer changed.
    """
    fields, relations = _split_event_data(data)
    with transaction.atomic():
        event = _lock_event(event)
        _refuse_unless_event_manager(actor, event)
        _refuse_if_cancelled(event)
        organiser = fields.get("organiser")
        if (
            organiser is not None
            and organiser.pk != event.organiser_id
            and not (
                permissions.can_change_organiser(actor, event)
                and roles.is_staff_of(actor, organiser, roles.EVENT_ROLES)
            )
        ):
            raise DomainError(
                _("Je mag geen activiteiten organiseren voor deze kamer."),
                code="not_event_manager",
            )
        if "capacity" in fields:
            _refuse_capacity_below_taken(event, fields["capacity"])
        for name, value in fields.items():
            setattr(event, name, value)
        event.save()
        _set_relations(event, relations)
        if event.status == Event.Status.PUBLISHED:
            waiting_list_promote(event=event)
            _announce_event(event, WebhookEventType.EVENT_UPDATED)
    return event


def event_duplicate(*, event: Event, actor) -> Event:
    """A draft copy of `event` (texts, places, prices, organisers, partners, sectors), without
    registrations, to be edited and published as a new event."""
    _refuse_unless_event_manager(actor, event)
    # "title" and "description" read and write the active language (modeltranslation): the
    # _nl/_fr/_en columns are copied instead, and the Dutch one fills the original on save.
    skipped = {"id", "slug", "status", "proposed_by", "created_at", "updated_at"}
    skipped |= {"title", "description"}
    copy = Event()
    for field in Event._meta.concrete_fields:
        if field.attname in skipped or field.name in skipped or getattr(field, "generated", False):
            continue
        setattr(copy, field.attname, getattr(event, field.attname))
    copy.status = Event.Status.DRAFT
    with transaction.atomic():
        _save_new_event(copy, f"{event.slug}-kopie")
        _set_relations(copy, {name: getattr(event, name).all() for name in EVENT_RELATIONS})
    return copy


def event_publish(*, event: Event, actor) -> Event:
    """Publish a draft (or approve a partner's proposal): members see it and may register."""
    with transaction.atomic():
        event = _lock_event(event)
        _refuse_unless_event_manager(actor, event)
        _refuse_if_cancelled(event)
        if event.status == Event.Status.PUBLISHED:
            raise DomainError(_("Deze activiteit is al gepubliceerd."), code="already_published")
        if timezone.now() >= event.ends_at:
            raise DomainError(_("Deze activiteit is al voorbij."), code="event_over")
        event.status = Event.Status.PUBLISHED
        event.save(update_fields=["status", "updated_at"])
        _announce_event(event, WebhookEventType.EVENT_PUBLISHED)
    return event


def _refuse_capacity_below_taken(event: Event, capacity: int | None) -> None:
    seats.refuse_capacity_below_reserved(event, capacity)
    if capacity is None:
        return
    if capacity <= 0:
        raise DomainError(
            _("De capaciteit moet minstens 1 zijn."), code="capacity_not_positive", field="capacity"
        )
    taken = event.places_taken()
    if capacity < taken:
        raise DomainError(
            _("Er zijn al %(taken)s plaatsen bezet: kies een capaciteit van minstens %(taken)s.")
            % {"taken": taken},
            code="capacity_below_taken",
            field="capacity",
        )


def event_capacity_change(*, event: Event, capacity: int | None, actor) -> list[Registration]:
    """Set the number of places (None: unlimited); new places go to the waiting list at once.

    Returns the registrations promoted from the waiting list (they are e-mailed after commit).
    """
    with transaction.atomic():
        event = _lock_event(event)
        _refuse_unless_event_manager(actor, event)
        _refuse_if_cancelled(event)
        _refuse_capacity_below_taken(event, capacity)
        event.capacity = capacity
        event.save(update_fields=["capacity", "updated_at"])
        if event.status != Event.Status.PUBLISHED:
            return []
        promoted = waiting_list_promote(event=event)
        _announce_event(event, WebhookEventType.EVENT_UPDATED)
        return promoted


def registration_promote(*, registration: Registration, actor, reason: str = "") -> Registration:
    """Give one person on the waiting list a free place, ahead of the others (staff's choice).

    Out of the ordinary order, so the reason is kept in the registration's staff_log. A free
    place exists when staff raised the capacity meanwhile or no offer holds it; otherwise raise
    the capacity first (event_capacity_change gives new places to the list in order).
    """
    with transaction.atomic():
        event = _lock_event(registration.event)
        _refuse_unless_event_manager(actor, event)
        _refuse_if_cancelled(event)
        registration = (
            Registration.objects.select_for_update()
            .select_related("person")
            .get(pk=registration.pk)
        )
        if registration.status != Registration.Status.WAITLISTED:
            raise DomainError(_("Deze persoon staat niet op de wachtlijst."), code="not_waitlisted")
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(
                _("Geef een reden op om iemand voor te laten gaan."),
                code="reason_required",
                field="reason",
            )
        if not _promotes(event):
            raise DomainError(
                _("De activiteit is al begonnen; niemand schuift nog door."), code="event_started"
            )
        if seats.places_left_for(event, registration.member_terms_chamber_id) == 0:
            raise DomainError(
                _("Er is geen vrije plaats. Verhoog eerst de capaciteit."), code="event_full"
            )
        registration.status = Registration.Status.CONFIRMED
        registration.waiting_list_position = None
        registration.log(actor, _("voorgelaten op de wachtlijst"), reason)
        registration.save(
            update_fields=["status", "waiting_list_position", "staff_log", "updated_at"]
        )
        registration.event = event
        billing.registration_invoice(registration)
        _notify(registration, "registration_promoted")
        _announce_registration(registration, WebhookEventType.REGISTRATION_CONFIRMED)
    return registration


def waiting_list_move(*, registration: Registration, direction: str, actor) -> None:
    """Swap a waiting registration with its neighbour ("up": ahead of, "down": behind it).

    Positions are unique per event among waiting rows and PostgreSQL checks that row by row, so
    the swap parks one row past the end of the list first. The event row is locked, so two moves
    on the same list run one after the other.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"unknown direction {direction!r}")
    with transaction.atomic():
        event = _lock_event(registration.event)
        _refuse_unless_event_manager(actor, event)
        _refuse_if_cancelled(event)
        waiting = list(event.registrations.waiting().select_for_update())
        index = next((i for i, row in enumerate(waiting) if row.pk == registration.pk), None)
        if index is None:
            raise DomainError(_("Deze persoon staat niet op de wachtlijst."), code="not_waitlisted")
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(waiting):
            raise DomainError(
                _("Deze persoon staat al vooraan op de wachtlijst.")
                if direction == "up"
                else _("Deze persoon staat al achteraan op de wachtlijst."),
                code="cannot_move",
            )
        moving, neighbour = waiting[index], waiting[other]
        parking = waiting[-1].waiting_list_position + 1
        rows = Registration.objects.filter(event=event)
        rows.filter(pk=moving.pk).update(waiting_list_position=parking)
        rows.filter(pk=neighbour.pk).update(waiting_list_position=moving.waiting_list_position)
        rows.filter(pk=moving.pk).update(waiting_list_position=neighbour.waiting_list_position)


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _known_person(company, email: str, first_name: str, last_name: str, field=None):
    """The company's Person with this e-mail address when the name given is theirs too.

    Whoever registers someone by e-mail (staff, a partner) must already know who it is: an
    address that belongs to someone of another name is refused without saying that name, so
    that nobody learns a stored name, or who attends, by trying addresses.
    """
    person = company.people.filter(email__iexact=email).first()
    if person is None:
        return None
    if not (_same_name(person.first_name, first_name) and _same_name(person.last_name, last_name)):
        raise DomainError(
            _(
                "Dit e-mailadres hoort bij deze onderneming bij iemand met een andere naam. "
                "Controleer de naam en het e-mailadres."
            ),
            code="person_mismatch",
            field=field,
        )
    return person


def registration_create_guest(
    *,
    event: Event,
    enterprise_number: str,
    first_name: str,
    last_name: str,
    email: str,
    preferred_language: str = "nl",
    country: str = "BE",
    actor,
) -> Registration:
    """Staff register someone by hand, for a company that exists (found by the number in
    `enterprise_number`: an enterprise, KvK or VAT number of a company of `country`).

    The person is the company's Person with that e-mail address when there is one and the name
    given is theirs (another name is refused, `_known_person`), else a new Person of the
    company. Then the ordinary rules apply
    (registration_create: window, audience, capacity, price on the company's terms); when they
    refuse, nothing is written, not even the new Person.
    """
    _refuse_unless_event_manager(actor, event)
    try:
        number = identifiers.parse(enterprise_number, country)
    except ValidationError as error:
        raise DomainError(
            error.messages[0], code="bad_enterprise_number", field="enterprise_number"
        ) from error
    company = Company.objects.filter(number.lookup()).first()
    if company is None:
        raise DomainError(
            _("Er is geen onderneming met %(number)s.") % {"number": identifiers.described(number)},
            code="unknown_company",
            field="enterprise_number",
        )
    email = email.strip()
    with transaction.atomic():
        person = _known_person(company, email, first_name, last_name, field="email")
        if person is None:
            person = Person.objects.create(
                company=company,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=email,
                preferred_language=preferred_language,
            )
        return registration_create(event=event, person=person)


def registration_create_prospect(
    *,
    event: Event,
    identifier: str,
    company_data: dict,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str = "",
    preferred_language: str = "nl",
    user=None,
) -> Registration:
    """Someone who is no member registers for an event open to everyone, for their company.

    The company is looked up by its identifier (Company.objects.by_identifier); unknown, it is
    created as a non-member from `company_data` (members.services.prospect_company_create).
    The price is the non-member price; the company becomes a prospect of the organising
    chamber. The person is the company's Person with this e-mail address when the name given is
    theirs and they have no account (else a new Person). `user`: a logged-in account without a
    Person; it becomes the Person of a company it creates here (its admin: the first confirmed
    person of a company without one), never of a company that existed (a join request decides
    that). Refused, with nothing written: members-only events, a company that is a member (its
    people register as members, at the member price), a person with an account of their own
    (they log in), and every rule of registration_create.
    """
    if event.audience == Event.Audience.MEMBERS:
        raise DomainError(
            _("Deze activiteit is enkel voor leden van de kamers van de alliantie."),
            code="members_only",
        )
    if user is not None and member_permissions.person_of(user) is not None:
        raise DomainError(
            _("Je hoort al bij een onderneming: schrijf je in vanuit je account."),
            code="already_a_person",
        )
    try:
        company = Company.objects.by_identifier(identifier, (company_data or {}).get("country"))
    except ValidationError as error:
        raise DomainError(
            error.messages[0], code="identifier_invalid", field="identifier"
        ) from error
    if company is not None and terms_for(event, company).member_terms:
        raise DomainError(
            _(
                "Je onderneming is lid van een kamer van de alliantie. Meld je aan en sluit je "
                "aan bij je onderneming om aan de ledenprijs in te schrijven."
            ),
            code="company_is_member",
            field="identifier",
        )
    email = email.strip()
    with transaction.atomic():
        created = company is None
        if created:
            company = member_services.prospect_company_create(
                identifier=identifier, data=company_data
            )
        person = _known_person(company, email, first_name, last_name, field="email")
        if (
            person is not None
            and person.user_id is not None
            and person.user_id != getattr(user, "pk", None)
        ):
            raise DomainError(
                _("Dit e-mailadres hoort bij een account. Meld je aan om in te schrijven."),
                code="log_in_first",
                field="email",
            )
        if person is None:
            linked = user if created else None
            person = Person.objects.create(
                company=company,
                user=linked,
                role=Person.Role.ADMIN if linked else Person.Role.EMPLOYEE,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                job_title=job_title.strip(),
                email=email,
                preferred_language=preferred_language,
            )
        member_services.prospect_mark(
            company=company,
            chamber=event.organiser,
            source_detail=event.title,
            contact=person,
        )
        return registration_create(event=event, person=person)


def ticket_code_from(scanned: str) -> str:
    """The code a scanner typed: the bare code, or the last part of a ticket's address."""
    scanned = (scanned or "").strip()
    return scanned.rstrip("/").rsplit("/", 1)[-1]


def registration_check_in(*, event: Event, ticket_code: str, actor) -> Registration:
    """Check a ticket in at the door: the registration must be this event's and hold a place.

    A second scan of the same ticket is refused with code already_checked_in.
    """
    _refuse_unless_event_manager(actor, event)
    _refuse_if_cancelled(event)
    code = ticket_code_from(ticket_code)
    with transaction.atomic():
        registration = (
            event.registrations.select_for_update(of=("self",))
            .select_related("person", "company")
            .filter(ticket_code=code)
            .first()
            if code
            else None
        )
        if registration is None:
            raise DomainError(
                _("Geen ticket met deze code voor deze activiteit."), code="unknown_ticket"
            )
        registration.check_in()
        registration.save(update_fields=["status", "checked_in_at", "updated_at"])
    return registration


# The partners' side (the REST API): delegations within a quota, proposed events, webhooks.


def _refuse_beyond_quota(event: Event, partner: Partner) -> None:
    """A partner registers a delegation within the places staff gave it. The caller holds the
    event's lock, so two delegates cannot take the last place of the quota together."""
    places = event.delegation_quotas.filter(partner=partner).values_list("places", flat=True)
    places = places.first()
    if places is None:
        raise DomainError(
            _("Je hebt geen plaatsen voor een delegatie op deze activiteit."), code="no_quota"
        )
    if event.registrations.live().filter(partner=partner).count() >= places:
        raise DomainError(
            _("Het quotum van je delegatie is bereikt (%(places)s plaatsen).") % {"places": places},
            code="quota_exhausted",
        )


def registration_create_for_partner(
    *,
    event: Event,
    partner: Partner,
    first_name: str,
    last_name: str,
    email: str,
    enterprise_number: str,
    preferred_language: str = "nl",
    country: str = "BE",
) -> Registration:
    """Register one person of a partner's delegation, through the same rules as the portal.

    The person works at a company the portal knows (found by its number in `country`:
    members/identifiers.parse): the company's
    Person with that e-mail address (when the name given is theirs: `_known_person`), else a
    new one. They get the usual e-mails. When the
    registration is refused (quota, window, audience, capacity) nothing is written.
    """
    try:
        number = identifiers.parse(enterprise_number, country)
    except ValidationError as error:
        raise ValidationError({"enterprise_number": error.messages}) from error
    company = Company.objects.filter(number.lookup()).first()
    if company is None:
        raise DomainError(
            _("Er is geen onderneming met %(number)s.") % {"number": identifiers.described(number)},
            code="unknown_company",
        )
    with transaction.atomic():
        person = _known_person(company, email, first_name, last_name)
        if person is None:
            person = Person(
                company=company,
                first_name=first_name,
                last_name=last_name,
                email=email,
                preferred_language=preferred_language,
            )
            person.full_clean(exclude=["user", "calendar_token_hash"])
            person.save()
        return registration_create(event=event, person=person, partner=partner)


# How far ahead a partner may propose an event.
PROPOSAL_HORIZON = datetime.timedelta(days=3 * 365)


def event_propose(
    *,
    partner: Partner,
    organiser: Chamber,
    title: str,
    description: str = "",
    language: str = "nl",
    centre: CompetenceCentre | None = None,
    sectors: list[Sector] = (),
    co_organisers: list[Chamber] = (),
    allowed_chamber_ids: list[int] | None = None,
    **fields,
) -> Event:
    """A partner proposes an event it co-organises with `organiser`; staff publish it
    (event_publish) or turn it down (event_cancel).

    The text is stored in Dutch (the portal's first language) and, for an event held in another
    language, in that language too. `allowed_chamber_ids` are the chambers the partner's key is
    limited to (empty: all).
    """
    chambers = [organiser, *co_organisers]
    if allowed_chamber_ids and any(chamber.pk not in allowed_chamber_ids for chamber in chambers):
        raise ValidationError(
            {"organiser": _("Deze sleutel mag enkel activiteiten met de eigen kamers voorstellen.")}
        )
    now = timezone.now()
    starts_at = fields.get("starts_at")
    if starts_at and not now < starts_at <= now + PROPOSAL_HORIZON:
        raise ValidationError(
            {"starts_at": _("Een voorstel begint in de toekomst, binnen de drie jaar.")}
        )
    with translation.override(settings.LANGUAGE_CODE):
        event = Event(
            title=title,
            description=description,
            organiser=organiser,
            centre=centre,
            language=language,
            status=Event.Status.PROPOSED,
            proposed_by=partner,
            **fields,
        )
    if language != settings.LANGUAGE_CODE:
        setattr(event, f"title_{language}", title)
        setattr(event, f"description_{language}", description)
    event.full_clean(exclude=["slug"])
    with transaction.atomic():
        _save_new_event(event, title)
        _set_relations(
            event,
            {
                "sectors": sectors,
                "co_organisers": [chamber for chamber in co_organisers if chamber != organiser],
                "partners": [partner],
            },
        )
    return event


def _announce_event(event: Event, event_type: str, partner_ids: list[int] | None = None) -> None:
    """Tell partners' webhooks (events/payloads.py says what).

    Called inside the change's transaction: the deliveries are written with it, sent after it.
    """
    # Read again as the API reads it, so that the data shows what was saved.
    event = Event.objects.for_api().get(pk=event.pk)
    payload = payloads.event_payload(event)
    chamber_ids = [event.organiser_id, *(chamber.pk for chamber in event.co_organisers.all())]
    webhook_enqueue(
        event_type=event_type, payload=payload, chamber_ids=chamber_ids, partner_ids=partner_ids
    )


def _announce_registration(registration: Registration, event_type: str) -> None:
    """A registration's webhooks go only to the partner whose delegation it belongs to."""
    if registration.partner_id is None:
        return
    registration = Registration.objects.for_api().get(pk=registration.pk)
    payload = payloads.registration_payload(registration)
    event = registration.event
    chamber_ids = [event.organiser_id, *event.co_organisers.values_list("pk", flat=True)]
    webhook_enqueue(
        event_type=event_type,
        payload=payload,
        chamber_ids=chamber_ids,
        partner_ids=[registration.partner_id],
    )


# --- delegation quotas: how many a partner may register through the API, set by event staff ----


def _quota_used(event: Event, partner: Partner) -> int:
    return event.registrations.live().filter(partner=partner).count()


def delegation_quota_set(*, event: Event, partner: Partner, places: int, actor) -> DelegationQuota:
    """Give `partner` `places` for its delegation to `event` (a new quota, or a changed one).

    Under the event's lock, the one `registration_create_for_partner` takes: a quota is never set
    below what the partner has registered already (set it to that number to stop further ones).
    """
    if places < 1:
        raise DomainError(
            _("Geef minstens één plaats, of verwijder het quotum."),
            code="quota_places",
            field="places",
        )
    with transaction.atomic():
        event = _lock_event(event)
        _refuse_unless_event_manager(actor, event)
        _refuse_if_cancelled(event)
        used = _quota_used(event, partner)
        if places < used:
            raise DomainError(
                _(
                    "%(partner)s schreef al %(used)s mensen in: geef minstens %(used)s plaatsen "
                    "(evenveel plaatsen: geen nieuwe inschrijvingen meer)."
                )
                % {"partner": partner.name, "used": used},
                code="quota_below_use",
                field="places",
            )
        quota, _created = DelegationQuota.objects.update_or_create(
            event=event, partner=partner, defaults={"places": places}
        )
    return quota


def delegation_quota_remove(*, quota: DelegationQuota, actor) -> None:
    """Take a partner's quota away; only while it registered nobody (else lower it to its use)."""
    with transaction.atomic():
        event = _lock_event(quota.event)
        _refuse_unless_event_manager(actor, event)
        quota = (
            DelegationQuota.objects.select_for_update().select_related("partner").get(pk=quota.pk)
        )
        used = _quota_used(event, quota.partner)
        if used:
            raise DomainError(
                _(
                    "%(partner)s schreef al %(used)s mensen in: verlaag het quotum tot %(used)s "
                    "om nieuwe inschrijvingen te stoppen."
                )
                % {"partner": quota.partner.name, "used": used},
                code="quota_in_use",
            )
        quota.delete()

"""Who may do what with events and registrations, written once for pages, templates and API.

In the back-office a chamber's staff see and manage the events their chamber organises or
co-organises; nothing else exists for them (404, never a leak). Reading needs any staff role
there (READ_ROLES), writing an event role (EVENT_ROLES): viewers only read. The scopes themselves
are EventQuerySet.visible_to / manageable_by.
"""

from chambers import roles
from chambers.models import Chamber
from events.models import Event, Registration
from members.permissions import person_of


def can_register(user) -> bool:
    """Only people confirmed at a company register: nobody acts for a company unconfirmed."""
    return person_of(user) is not None


def can_view_ticket(user, registration: Registration) -> bool:
    """A ticket is for the registered person, and for their company's admins."""
    person = person_of(user)
    if person is None:
        return False
    if registration.person_id == person.pk:
        return True
    return person.is_company_admin and registration.company_id == person.company_id


def can_create_events(user) -> bool:
    """A new event needs an organising chamber where the user manages events."""
    return bool(roles.chamber_ids_where(user, roles.EVENT_ROLES))


def organiser_choices(user, event: Event | None = None):
    """The chambers `user` may name as organiser. An event may keep its organiser; only the
    organiser's own staff hand it to another chamber (a co-organiser does not take it over)."""
    chambers = roles.chambers_where(user, roles.EVENT_ROLES)
    if event is None or not event.organiser_id:
        return chambers
    current = Chamber.objects.filter(pk=event.organiser_id)
    if not can_change_organiser(user, event):
        return current
    return Chamber.objects.filter(pk__in=chambers.values("pk")) | current


def can_change_organiser(user, event: Event) -> bool:
    """Hand an event to another chamber: the organising chamber's event staff only."""
    return event.organiser_id in roles.chamber_ids_where(user, roles.EVENT_ROLES)


def can_edit_event(user, event: Event) -> bool:
    """Edit, publish, duplicate, manage places and attendees, check in.

    Decided from the user's chambers (asked once per request) and the event's co-organisers:
    prefetch those on lists, and a list of events costs no query per row.
    """
    chamber_ids = roles.chamber_ids_where(user, roles.EVENT_ROLES)
    if not chamber_ids:
        return False
    if event.organiser_id in chamber_ids:
        return True
    return any(chamber.pk in chamber_ids for chamber in event.co_organisers.all())


def can_cancel_event(user, event: Event) -> bool:
    """Cancelling is the organising chamber's decision, not a co-organiser's (see event_cancel)."""
    return event.organiser_id in roles.chamber_ids_where(user, roles.EVENT_ROLES)


def can_export_attendees(user, event: Event) -> bool:
    """Take the attendee list away as a file (names, e-mails, companies): the event's managers,
    not the read-only viewers, who see the list on the page only (data minimisation)."""
    return can_edit_event(user, event)

"""Who may do what with events and registrations, written once for pages, templates and API."""

from chambers import roles
from chambers.models import Chamber
from events.models import Event
from members.models import Person


def person_of(user) -> Person | None:
    """The confirmed person a user acts as; None for visitors and users not yet in a company."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def can_register(user) -> bool:
    """Only people confirmed at a company register: nobody acts for a company unconfirmed."""
    return person_of(user) is not None


# The back-office (/staff/events/). A chamber's staff see and manage the events their chamber
# organises or co-organises; nothing else exists for them (404, never a leak). Reading needs any
# staff role there (READ_ROLES), writing an event role (EVENT_ROLES): viewers only read.


def can_use_staff_events(user) -> bool:
    """Anyone with a staff role opens the events back-office; members and visitors do not."""
    return roles.is_staff(user)


def events_visible_to_staff(user):
    """The events `user` may see in the back-office: their chambers' own and co-organised."""
    return Event.objects.organised_or_co_organised_by_any(
        roles.chambers_where(user, roles.READ_ROLES)
    )


def events_manageable_by(user):
    """The events `user` may change: organised or co-organised where they hold an event role."""
    return Event.objects.organised_or_co_organised_by_any(
        roles.chambers_where(user, roles.EVENT_ROLES)
    )


def manageable_chamber_ids(user) -> set[int]:
    """The chambers where `user` manages events, once per request, for lists of events."""
    return set(roles.chambers_where(user, roles.EVENT_ROLES).values_list("pk", flat=True))


def can_create_events(user) -> bool:
    """A new event needs an organising chamber where the user manages events."""
    return roles.chambers_where(user, roles.EVENT_ROLES).exists()


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
    return roles.is_staff_of(user, event.organiser, roles.EVENT_ROLES)


def can_edit_event(user, event: Event, *, chamber_ids: set[int] | None = None) -> bool:
    """Edit, publish, duplicate, manage places and attendees, check in.

    Pass `chamber_ids` (manageable_chamber_ids) to decide for many events without a query each;
    the event's co-organisers must then be prefetched.
    """
    if not user.is_authenticated:
        return False
    if chamber_ids is None:
        return events_manageable_by(user).filter(pk=event.pk).exists()
    if event.organiser_id in chamber_ids:
        return True
    return any(chamber.pk in chamber_ids for chamber in event.co_organisers.all())


def can_cancel_event(user, event: Event) -> bool:
    """Cancelling is the organising chamber's decision, not a co-organiser's (see event_cancel)."""
    return roles.is_staff_of(user, event.organiser, roles.EVENT_ROLES)

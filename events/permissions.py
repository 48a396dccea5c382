"""Who may do what with events and registrations, written once for pages, templates and API."""

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

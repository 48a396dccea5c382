"""Who may act for a company, written once for the /me/ pages, their templates and services.

A user acts for a company only through a confirmed Person (an approved join request or a row
the chamber made): a user without a Person gets no company pages. Beside the company's own
admins, the staff of the company's current home chamber (chamber admins) and alliance admins
may manage the company and decide on the requests to join it.
"""

from django.core.exceptions import ObjectDoesNotExist

from chambers import roles
from members.models import Company, JoinRequest, Person
from members.selectors import current_membership


def person_of(user) -> Person | None:
    """The user's Person (cached on the user by Django's one-to-one accessor), or None."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.person
    except ObjectDoesNotExist:
        return None


def is_company_admin_of(user, company: Company) -> bool:
    """True for a confirmed admin Person of `company` (not for chamber staff)."""
    person = person_of(user)
    return person is not None and person.company_id == company.pk and person.is_company_admin


def can_manage_company(user, company: Company) -> bool:
    """Edit the profile, people and consent of `company`, and confirm who may join it."""
    if user is None or not user.is_authenticated:
        return False
    if is_company_admin_of(user, company):
        return True
    if roles.is_alliance_admin(user):
        return True
    membership = current_membership(company)
    return membership is not None and roles.is_staff_of(
        user, membership.chamber, roles.MEMBER_ROLES
    )


def can_decide_join_request(user, join_request: JoinRequest) -> bool:
    """Approve or reject a request to join: the same people who manage its company."""
    return can_manage_company(user, join_request.company)


def can_view_ticket(user, registration) -> bool:
    """A ticket is for the registered person, and for their company's admins."""
    person = person_of(user)
    if person is None:
        return False
    if registration.person_id == person.pk:
        return True
    return person.is_company_admin and registration.company_id == person.company_id

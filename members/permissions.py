"""Who may act for a company, written once for the /me/ pages, their templates and services.

A user acts for a company only through a confirmed Person (an approved join request or a row
the chamber made): a user without a Person gets no company pages. Beside the company's own
admins, the staff of the company's current home chamber (chamber admins) and alliance admins
may manage the company and decide on the requests to join it.
"""

from django.core.exceptions import ObjectDoesNotExist

from chambers import roles
from members.models import Company, JoinRequest, Membership, Person
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


def can_erase_staff_side(user, company: Company) -> bool:
    """can_erase_person for every person of `company` (one query for the page)."""
    if roles.is_alliance_admin(user):
        return True
    chamber_ids = roles.chamber_ids_where(user, {roles.Role.CHAMBER_ADMIN})
    return (
        bool(chamber_ids)
        and Membership.objects.filter(company_id=company.pk, chamber_id__in=chamber_ids).exists()
    )


def can_erase_person(user, person: Person) -> bool:
    """Erase a person on request: an alliance admin, or a chamber admin of a chamber where the
    person's company is (or was) a member. Never the company's own admins (they ask staff)."""
    return can_erase_staff_side(user, person.company)


def can_decide_join_request(user, join_request: JoinRequest) -> bool:
    """Approve or reject a request to join: the same people who manage its company."""
    return can_manage_company(user, join_request.company)


# --- the back-office (/staff/): members, service requests, imports, figures ---------------------
#
# Staff see what their chambers hold (READ_ROLES): companies with a membership there, requests
# to the centres they lead and the requests of their own members. Writing needs the role set of
# that kind of write (MEMBER_ROLES, REQUEST_ROLES, IMPORT_ROLES) at the chamber concerned.


def can_manage_memberships_at(user, chamber_id: int) -> bool:
    """New, renew, lapse and end memberships at this chamber."""
    return chamber_id in roles.chamber_ids_where(user, roles.MEMBER_ROLES)


def can_add_members(user) -> bool:
    return bool(roles.chamber_ids_where(user, roles.MEMBER_ROLES))


def membership_actions(user, membership: Membership) -> dict[str, bool]:
    """Which changes `user` may make to a period from MembershipQuerySet.with_followed(): the
    model's rule (Membership.may_*) at a chamber whose members the user manages."""
    manage = can_manage_memberships_at(user, membership.chamber_id)
    followed = membership.is_followed
    return {
        "can_renew": manage and membership.may_renew(followed=followed),
        "can_lapse": manage and membership.may_lapse(followed=followed),
        "can_end": manage and membership.may_end(followed=followed),
    }


def can_handle_service_request(user, service_request) -> bool:
    """Assign, reply, mark done or decline: staff of the centre's lead chamber with REQUEST_ROLES.

    The requesting member's home chamber reads the request but does not act on it.
    """
    return service_request.centre.lead_chamber_id in roles.chamber_ids_where(
        user, roles.REQUEST_ROLES
    )


def can_import(user) -> bool:
    return bool(roles.chamber_ids_where(user, roles.IMPORT_ROLES))


def sees_alliance_figures(user) -> bool:
    """The alliance as a whole is for alliance-wide roles (chamber left empty) and superusers."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or user.staff_roles.filter(chamber__isnull=True).exists()

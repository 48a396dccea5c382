"""Staff roles and the look-ups over them, written once for pages, templates and the API.

A role held for a chamber applies to that chamber; an alliance-wide role (chamber empty)
applies to every chamber. Alliance admins and superusers may do everything.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from chambers.models import Chamber, StaffRole

Role = StaffRole.Role

# Which roles include which abilities: a chamber admin can do what an event manager can.
# Every staff page reads with READ_ROLES; each kind of write names its own set.
READ_ROLES = {Role.VIEWER, Role.EVENT_MANAGER, Role.CHAMBER_ADMIN, Role.ALLIANCE_ADMIN}
EVENT_ROLES = {Role.EVENT_MANAGER, Role.CHAMBER_ADMIN, Role.ALLIANCE_ADMIN}
MEMBER_ROLES = {Role.CHAMBER_ADMIN, Role.ALLIANCE_ADMIN}
REQUEST_ROLES = {Role.CHAMBER_ADMIN, Role.ALLIANCE_ADMIN}
IMPORT_ROLES = MEMBER_ROLES
PARTNER_ROLES = {Role.CHAMBER_ADMIN, Role.ALLIANCE_ADMIN}
# Who manages a chamber's staff (its team page), and the roles they hand out there: roles held
# for one chamber. An alliance-wide role is the alliance admins' to give (the Django admin).
TEAM_ROLES = {Role.CHAMBER_ADMIN, Role.ALLIANCE_ADMIN}
# Who reads the audit trail (/staff/audit/): a chamber admin for their chambers' rows, an
# alliance admin everything.
AUDIT_ROLES = {Role.CHAMBER_ADMIN, Role.ALLIANCE_ADMIN}
# The settlement ledger between chambers (events/ledger.py): their chamber admins.
LEDGER_ROLES = {Role.CHAMBER_ADMIN, Role.ALLIANCE_ADMIN}
TEAM_ASSIGNABLE = (Role.VIEWER, Role.EVENT_MANAGER, Role.CHAMBER_ADMIN)
# Who edits a chamber's public page (texts, contact data) and the competence centres it leads,
# with their services: its chamber admins; alliance admins for every chamber.
CHAMBER_PAGE_ROLES = {Role.CHAMBER_ADMIN, Role.ALLIANCE_ADMIN}
CENTRE_ROLES = CHAMBER_PAGE_ROLES


def roles_held(user) -> tuple[tuple[str, int | None], ...]:
    """The (role, chamber id) pairs `user` holds, read once and kept on the user object: a page
    asks the database once, however many checks and rows read them. Services that write check
    with `is_staff_of`, which reads afresh."""
    if user is None or not user.is_authenticated:
        return ()
    if "_roles_held" not in user.__dict__:
        user.__dict__["_roles_held"] = tuple(
            StaffRole.objects.filter(user=user).values_list("role", "chamber_id")
        )
    return user.__dict__["_roles_held"]


def is_staff(user) -> bool:
    """Anyone with a staff role (or a superuser) may open the back-office."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_held(user))


def is_alliance_admin(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or any(role == Role.ALLIANCE_ADMIN for role, _ in roles_held(user))


def chambers_where(user, roles: set) -> QuerySet:
    """The chambers where `user` holds one of `roles` (all chambers for alliance-wide roles)."""
    if user is None or not user.is_authenticated:
        return Chamber.objects.none()
    if user.is_superuser:
        return Chamber.objects.all()
    held = StaffRole.objects.filter(user=user, role__in=roles)
    if held.filter(chamber__isnull=True).exists():
        return Chamber.objects.all()
    return Chamber.objects.filter(pk__in=held.values("chamber_id"))


def chamber_ids_where(user, roles: set) -> frozenset[int]:
    """The ids of the chambers where `user` holds one of `roles`, from `roles_held`."""
    if user is None or not user.is_authenticated:
        return frozenset()
    held = [chamber_id for role, chamber_id in roles_held(user) if role in roles]
    if user.is_superuser or None in held:
        if "_all_chamber_ids" not in user.__dict__:
            user.__dict__["_all_chamber_ids"] = frozenset(
                Chamber.objects.values_list("pk", flat=True)
            )
        return user.__dict__["_all_chamber_ids"]
    return frozenset(held)


def may_manage_team(user) -> bool:
    """Chamber admins (of some chamber) and alliance admins run a chamber's team page."""
    return bool(chamber_ids_where(user, TEAM_ROLES))


def may_read_audit(user) -> bool:
    return bool(chamber_ids_where(user, AUDIT_ROLES))


def may_edit_chambers(user) -> bool:
    """Chamber admins (of some chamber) and alliance admins edit chambers' pages and centres."""
    return bool(chamber_ids_where(user, CHAMBER_PAGE_ROLES))


def is_staff_of(user, chamber, roles: set = READ_ROLES) -> bool:
    return chambers_where(user, roles).filter(pk=chamber.pk).exists()


def staff_users_of(chamber, roles: set = READ_ROLES):
    """The users holding one of `roles` at `chamber` (for notifications)."""
    return (
        get_user_model()
        .objects.filter(staff_roles__chamber=chamber, staff_roles__role__in=roles, is_active=True)
        .distinct()
    )


# The federation's accreditation (chambers/accreditation.py): reviewers and alliance admins open,
# review and decide cycles for every chamber; a chamber's own chamber admins fill its
# self-assessment (a role held for that chamber: the federation's people do not answer for it).
ACCREDITATION_REVIEW_ROLES = {Role.FEDERATION_REVIEWER, Role.ALLIANCE_ADMIN}
SELF_ASSESSMENT_ROLES = {Role.CHAMBER_ADMIN}


def is_accreditation_reviewer(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or any(
        role in ACCREDITATION_REVIEW_ROLES and chamber_id is None
        for role, chamber_id in roles_held(user)
    )


def self_assessment_chamber_ids(user) -> frozenset[int]:
    """The chambers whose self-assessment `user` fills: chamber admin there, by a role held for
    that very chamber (never an alliance-wide role)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(
        chamber_id
        for role, chamber_id in roles_held(user)
        if role in SELF_ASSESSMENT_ROLES and chamber_id is not None
    )

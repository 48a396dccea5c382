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


def is_staff(user) -> bool:
    """Anyone with a staff role (or a superuser) may open the back-office."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or StaffRole.objects.filter(user=user).exists()


def is_alliance_admin(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return StaffRole.objects.filter(user=user, role=Role.ALLIANCE_ADMIN).exists()


def chambers_where(user, roles: set) -> QuerySet:
    """The chambers where `user` holds one of `roles` (all chambers for alliance-wide roles)."""
    if not user.is_authenticated:
        return Chamber.objects.none()
    if user.is_superuser:
        return Chamber.objects.all()
    held = StaffRole.objects.filter(user=user, role__in=roles)
    if held.filter(chamber__isnull=True).exists():
        return Chamber.objects.all()
    return Chamber.objects.filter(pk__in=held.values("chamber_id"))


def chamber_ids_where(user, roles: set) -> frozenset[int]:
    """The ids of `chambers_where(user, roles)`, kept on the user object: a page asks the
    database once per role set, however many rows check it."""
    if user is None or not user.is_authenticated:
        return frozenset()
    known = user.__dict__.setdefault("_chamber_ids_where", {})
    key = frozenset(roles)
    if key not in known:
        known[key] = frozenset(chambers_where(user, roles).values_list("pk", flat=True))
    return known[key]


def is_staff_of(user, chamber, roles: set = READ_ROLES) -> bool:
    return chambers_where(user, roles).filter(pk=chamber.pk).exists()


def staff_users_of(chamber, roles: set = READ_ROLES):
    """The users holding one of `roles` at `chamber` (for notifications)."""
    return (
        get_user_model()
        .objects.filter(staff_roles__chamber=chamber, staff_roles__role__in=roles, is_active=True)
        .distinct()
    )

"""What every page's frame needs: the alliance's name, its chambers, the language switcher."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from chambers import roles
from chambers.models import Chamber
from invoicing.payments import permissions as payment_permissions


def portal(request):
    return {
        "portal_name": _("Alliantie van Kamers van Koophandel"),
        "portal_languages": settings.LANGUAGES,
        # Lazy: a page that does not render the frame (JSON, files) costs no query.
        "portal_chambers": SimpleLazyObject(
            lambda: list(Chamber.objects.active().filter(kind=Chamber.Kind.LOCAL))
        ),
        # The roles are read once per request (chambers.roles.roles_held), so this is free.
        "staff_may_manage_team": SimpleLazyObject(
            lambda: roles.may_manage_team(getattr(request, "user", None))
        ),
        "staff_may_read_audit": SimpleLazyObject(
            lambda: roles.may_read_audit(getattr(request, "user", None))
        ),
        "staff_may_edit_chambers": SimpleLazyObject(
            lambda: roles.may_edit_chambers(getattr(request, "user", None))
        ),
        "staff_may_manage_payments": SimpleLazyObject(
            lambda: payment_permissions.may_manage_payments(getattr(request, "user", None))
        ),
        # Staff see a link to the back-office on every page (one query, shared with the
        # back-office's own checks through roles.roles_held; none for visitors).
        "portal_user_is_staff": SimpleLazyObject(
            lambda: roles.is_staff(getattr(request, "user", None))
        ),
    }

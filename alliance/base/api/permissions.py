"""Scopes: what a key may do, declared per action on each view.

A view declares `required_scopes = {"list": "events:read", "create": "events:write"}` (keyed by
viewset action, or by lower-case HTTP method on a plain APIView); an action it does not name
needs no scope, only a caller. The portal's logged-in users (their session) may use the actions
whose scope is in API_SESSION_SCOPES. Nobody else gets past a 401.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from alliance.base.api.authentication import api_key_of


def required_scope(request, view) -> str | None:
    scopes = getattr(view, "required_scopes", {})
    action = getattr(view, "action", None) or request.method.lower()
    return scopes.get(action)


class MissingScope(exceptions.PermissionDenied):
    default_code = "missing_scope"


class HasScope(permissions.BasePermission):
    """A key with the action's scope, or a portal session for the scopes sessions may use."""

    def has_permission(self, request, view):
        scope = required_scope(request, view)
        key = api_key_of(request)
        if key is not None:
            if scope and not key.has_scope(scope):
                raise MissingScope(
                    _("Deze sleutel heeft het recht ‘%(scope)s’ niet.") % {"scope": scope}
                )
            return True
        if request.user and request.user.is_authenticated:
            if scope and scope not in settings.API_SESSION_SCOPES:
                raise MissingScope(
                    _("Dit kan enkel met een partnersleutel met het recht ‘%(scope)s’.")
                    % {"scope": scope}
                )
            return True
        return False  # DRF answers 401 with WWW-Authenticate


class PartnerKeyRequired(exceptions.PermissionDenied):
    default_code = "partner_key_required"
    default_detail = _("Dit kan enkel met een partnersleutel.")


class IsPartnerKey(permissions.BasePermission):
    """For what belongs to a partner (its log, its webhooks): a session has no partner."""

    def has_permission(self, request, view):
        if api_key_of(request) is not None:
            return True
        if request.user and request.user.is_authenticated:
            raise PartnerKeyRequired()
        return False

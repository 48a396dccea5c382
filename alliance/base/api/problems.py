"""Errors as RFC 9457 problem details (`application/problem+json`), each with a stable `code`.

    {"type": "urn:alliance:problem:missing_scope", "title": "Geen toegang", "status": 403,
     "detail": "Deze sleutel heeft het recht ‘stats:read’ niet.", "code": "missing_scope",
     "instance": "/api/v1/stats/"}

Validation errors add `errors`: one entry per field and message. `code` never changes once
published; `title` and `detail` are for people and follow the request's language.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

from alliance.base.models import DomainError

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:alliance:problem:"

# A title per status: short, the same for every problem with that status.
TITLES = {
    400: _("Ongeldige aanvraag"),
    401: _("Niet aangemeld"),
    403: _("Geen toegang"),
    404: _("Niet gevonden"),
    405: _("Methode niet toegestaan"),
    406: _("Formaat niet beschikbaar"),
    409: _("Niet mogelijk"),
    415: _("Formaat niet ondersteund"),
    429: _("Te veel aanvragen"),
    500: _("Serverfout"),
}

# DRF's own codes, renamed where ours say more.
CODES = {
    "invalid": "invalid_input",
    "authentication_failed": "invalid_key",
    "error": "server_error",
}


class InvalidCursor(exceptions.NotFound):
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = _("Deze cursor is ongeldig; gebruik de links ‘next’ en ‘previous’.")
    default_code = "invalid_cursor"


class InvalidPageSize(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("page_size moet een geheel getal tussen 1 en %(max)s zijn.")
    default_code = "invalid_page_size"


def problem(
    *, status_code: int, code: str, detail, request=None, errors=None, headers=None
) -> Response:
    """A problem+json response."""
    body = {
        "type": TYPE_PREFIX + code,
        "title": str(TITLES.get(status_code, TITLES[400 if status_code < 500 else 500])),
        "status": status_code,
        "detail": str(detail),
        "code": code,
    }
    if request is not None:
        body["instance"] = request.path
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=CONTENT_TYPE)


def field_errors(detail, field: str | None = None) -> list[dict]:
    """DRF's nested error detail as a flat list: [{"field": "event.title", "code", "detail"}]."""
    if isinstance(detail, dict):
        errors = []
        for name, value in detail.items():
            if name in ("non_field_errors", "__all__"):
                errors += field_errors(value, field)
            elif isinstance(name, int):  # a list's item, as DRF's ListField reports it
                errors += field_errors(value, f"{field or ''}[{name}]")
            else:
                errors += field_errors(value, f"{field}.{name}" if field else str(name))
        return errors
    if isinstance(detail, list):
        errors = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                errors += field_errors(value, f"{field}[{index}]" if field else f"[{index}]")
            else:
                errors += field_errors(value, field)
        return errors
    return [
        {"field": field, "code": getattr(detail, "code", None) or "invalid", "detail": str(detail)}
    ]


def _code_of(exc: exceptions.APIException) -> str:
    detail = exc.detail
    code = getattr(detail, "code", None) if not isinstance(detail, dict | list) else None
    code = code or exc.default_code
    return CODES.get(code, code)


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every exception becomes a problem; nothing escapes as HTML."""
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))

    # Like DRF's own handler: an ATOMIC_REQUESTS transaction must not commit half a change.
    set_rollback()
    if isinstance(exc, DomainError):
        # The request was understood and valid, but the domain refuses it in its current state.
        return problem(
            status_code=status.HTTP_409_CONFLICT, code=exc.code, detail=exc.message, request=request
        )

    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        return problem(
            status_code=status.HTTP_400_BAD_REQUEST,
            code="invalid_input",
            detail=errors[0]["detail"] if len(errors) == 1 else _("De invoer is ongeldig."),
            request=request,
            errors=errors,
        )

    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(max(int(exc.wait + 0.999), 1))
        detail = exc.detail if not isinstance(exc.detail, dict | list) else exc.default_detail
        return problem(
            status_code=exc.status_code,
            code=_code_of(exc),
            detail=detail,
            request=request,
            headers=headers,
        )

    # A bug: still a problem body, never Django's HTML page. The log has the traceback.
    logger.exception("API error on %s", getattr(request, "path", "?"))
    return problem(
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        code="server_error",
        detail=_("Er liep iets mis aan onze kant. Probeer het later opnieuw."),
        request=request,
    )

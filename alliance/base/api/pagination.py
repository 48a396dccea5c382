"""Cursor (keyset) pagination: no COUNT(*) on large tables, stable while rows are added.

Cursors are signed, so that a forged or truncated one is a 404 `invalid_cursor` (no such page),
never a query built from whatever a client sent. Signed without a timestamp: the same page
gets the same `next` link, so its body and its ETag stay the same while the data does
(signing.dumps would sign the second it was made in, and change the ETag every second).
"""

from django.core import signing
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.pagination import Cursor
from rest_framework.utils.urls import replace_query_param

from alliance.base.api.problems import InvalidCursor, InvalidPageSize

_SALT = "alliance.api.cursor"
_SIGNER = signing.Signer(salt=_SALT)


class CursorPagination(pagination.CursorPagination):
    """`?cursor=` from the `next` / `previous` links; `?page_size=` from 1 to 200 (50).

    A view orders its list with `cursor_ordering` (a unique last field keeps pages stable).
    """

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("-created_at", "-pk")

    def get_ordering(self, request, queryset, view):
        return tuple(getattr(view, "cursor_ordering", self.ordering))

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise InvalidPageSize(InvalidPageSize.default_detail % {"max": self.max_page_size})
        return int(raw)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None
        try:
            offset, reverse, position = _SIGNER.unsign_object(encoded)
            offset, reverse = int(offset), bool(reverse)
            if not 0 <= offset <= self.offset_cutoff or not (
                position is None or isinstance(position, str)
            ):
                raise ValueError
        except (signing.BadSignature, ValueError, TypeError):
            raise InvalidCursor() from None
        return Cursor(offset=offset, reverse=reverse, position=position)

    def encode_cursor(self, cursor):
        encoded = _SIGNER.sign_object(
            [cursor.offset, cursor.reverse, cursor.position], compress=True
        )
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(_("De cursor uit de link ‘next’ of ‘previous’.")),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Aantal resultaten per pagina (standaard 50).")),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

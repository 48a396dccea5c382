"""The OpenAPI schema: every operation documents its problems, its scope and its limits."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from alliance.base.api.permissions import required_scope
from alliance.base.api.problems import CONTENT_TYPE, TITLES


class ProblemFieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text=_("Het veld; leeg voor de hele invoer.")
    )
    code = serializers.CharField()
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details with a stable `code`."""

    type = serializers.CharField(help_text=_("urn:alliance:problem:<code>"))
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(help_text=_("Stabiel: hierop mag je programmeren."))
    instance = serializers.CharField(required=False)
    errors = ProblemFieldErrorSerializer(many=True, required=False)

    class Meta:
        ref_name = "Problem"


class AutoSchema(SpectacularAutoSchema):
    """Adds the problem responses each operation can give, and names the scope it needs."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        method = self.method.upper()
        codes = [401, 403, 429]
        if self._get_request_body() is not None or method != "GET" or self._has_parameters():
            codes.append(400)
        if "{" in self.path or self._get_pagination_parameters():
            codes.append(404)
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append(409)
        if method in ("POST", "PUT", "PATCH"):
            codes.append(415)
        for code in sorted(codes):
            if str(code) not in responses:
                response = self._get_response_for_code(
                    ProblemSerializer, str(code), media_types=[CONTENT_TYPE]
                )
                response["description"] = str(TITLES[code])
                responses[str(code)] = response
        if method == "GET" and "304" not in responses:
            responses["304"] = {"description": str(_("Niet gewijzigd (If-None-Match)"))}
        return responses

    def _has_parameters(self) -> bool:
        return bool(
            self._get_filter_parameters()
            or self._get_pagination_parameters()
            or self.get_override_parameters()
        )

    def get_description(self):
        description = super().get_description() or ""
        scope = required_scope(_SchemaRequest(self.method), self.view)
        if scope:
            description = (description + "\n\n" if description else "") + str(
                _("Recht nodig: `%(scope)s`.") % {"scope": scope}
            )
        return description


class _SchemaRequest:
    """Enough of a request for `required_scope` while the schema is generated."""

    def __init__(self, method: str):
        self.method = method

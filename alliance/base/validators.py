"""Rules on values that many apps store, for every way in (forms, imports, the API, the admin).

A web address a user gives is shown as a link to other users: only http and https, never
`javascript:` or `data:` (a stored script one click away). The database holds the same rule
(each model's `*_website_http` check constraint, from `web_address_check`). Models use
`WebAddressField`, whose forms say what is wrong in one sentence.
"""

from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

WEB_ADDRESS_PATTERN = r"^https?://"


validate_web_address = URLValidator(
    schemes=["http", "https"],
    message=_("Geef een webadres dat begint met http:// of https://."),
    code="web_address",
)


def web_address_check(field: str) -> Q:
    """The constraint's condition: empty, or an http(s) address."""
    return Q(**{field: ""}) | Q(**{f"{field}__iregex": WEB_ADDRESS_PATTERN})


class WebAddressFormField(forms.URLField):
    """A form's web address: http or https only, said in one sentence."""

    default_validators = [validate_web_address]


class WebAddressField(models.URLField):
    """A stored web address, shown to others as a link: http or https only (forms, the admin,
    full_clean), beside the model's check constraint (`web_address_check`)."""

    default_validators = [validate_web_address]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebAddressFormField, **kwargs})

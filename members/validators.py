"""Rules on a company's and a membership's values, for every way in: the forms, the import, the
admin. The database holds the same rules (the constraints in members/models.py); these say what
is wrong in a sentence, next to the field, instead of naming a constraint."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, F, Q, When
from django.db.models.lookups import Regex
from django.utils.translation import gettext_lazy as _

# Per country whose form we know; the check constraint company_postcode_per_country uses the
# same patterns. 1000–9999 in Belgium.
POSTCODE_PATTERNS = {
    "BE": r"^[1-9][0-9]{3}$",
    "NL": r"^[1-9][0-9]{3} [A-Z]{2}$",
    "DE": r"^[0-9]{5}$",
    "FR": r"^[0-9]{5}$",
    "LU": r"^[0-9]{4}$",
}
# Elsewhere: letters, digits, spaces and hyphens, up to 10 (the field's length).
OTHER_POSTCODE_PATTERN = r"^[A-Z0-9][A-Z0-9 \-]{0,9}$"
POSTCODE_PATTERN = POSTCODE_PATTERNS["BE"]

POSTCODE_ERRORS = {
    "BE": _("Een Belgische postcode telt 4 cijfers (1000–9999)."),
    "NL": _("Een Nederlandse postcode heeft 4 cijfers en 2 letters (bv. 6211 AB)."),
    "DE": _("Een Duitse postcode telt 5 cijfers (bv. 52062)."),
    "FR": _("Een Franse postcode telt 5 cijfers (bv. 59000)."),
    "LU": _("Een Luxemburgse postcode telt 4 cijfers (bv. 1009)."),
}


def normalise_postcode(value: str, country: str = "BE") -> str:
    """The postcode as the country writes it ('6211ab' → '6211 AB', 'L-1009' → '1009'), or a
    ValidationError that says what it should look like."""
    postcode = re.sub(r"\s+", " ", (value or "").strip().upper())
    if country == "NL":
        postcode = re.sub(r"^([0-9]{4}) ?([A-Z]{2})$", r"\1 \2", postcode)
    elif country == "LU":
        postcode = postcode.removeprefix("L-")
    validate_postcode(postcode, country)
    return postcode


def validate_postcode(value: str, country: str = "BE") -> None:
    """A postcode of `country` (Belgian by default), in its stored form."""
    if not re.fullmatch(POSTCODE_PATTERNS.get(country, OTHER_POSTCODE_PATTERN), value or ""):
        raise ValidationError(
            POSTCODE_ERRORS.get(
                country, _("Een postcode telt hoogstens 10 letters, cijfers of streepjes.")
            ),
            code="postcode",
        )


def postcode_check() -> Q:
    """company_postcode_per_country: the patterns above, chosen by the row's country."""
    return Q(
        Case(
            *[
                When(country=code, then=Regex(F("postcode"), pattern))
                for code, pattern in POSTCODE_PATTERNS.items()
            ],
            default=Regex(F("postcode"), OTHER_POSTCODE_PATTERN),
            output_field=BooleanField(),
        )
    )


def validate_period(valid_from: datetime.date, valid_until: datetime.date) -> None:
    """A membership period ends after it starts (the constraint membership_until_after_from).

    The error names `valid_until`, so that a form shows it there (form.add_error(None, error)).
    """
    if valid_until <= valid_from:
        raise ValidationError(
            {
                "valid_until": ValidationError(
                    _("De einddatum moet na de begindatum liggen."), code="period_order"
                )
            }
        )

"""Rules on a company's and a membership's values, for every way in: the forms, the import, the
admin. The database holds the same rules (the constraints in members/models.py); these say what
is wrong in a sentence, next to the field, instead of naming a constraint."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# 1000–9999; the check constraint company_postcode_belgian uses the same pattern.
POSTCODE_PATTERN = r"^[1-9][0-9]{3}$"


def validate_postcode(value: str) -> None:
    """A Belgian postcode: four digits, the first not 0."""
    if not re.fullmatch(POSTCODE_PATTERN, value or ""):
        raise ValidationError(
            _("Een Belgische postcode telt 4 cijfers (1000–9999)."), code="postcode"
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

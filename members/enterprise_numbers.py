"""Belgian enterprise numbers (KBO / BCE): 10 digits, starting with 0 or 1, mod-97 check digits."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Mod, Substr
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.be import vat

PATTERN = r"^[01][0-9]{9}$"


def normalise(value: str) -> str:
    """'BE 0403.170.701' → '0403170701'; raises ValidationError with the reason, in Dutch first."""
    try:
        return vat.validate(value or "")
    except stdnum_errors.InvalidChecksum as error:
        raise ValidationError(
            _("Het controlegetal van dit ondernemingsnummer klopt niet."), code="checksum"
        ) from error
    except stdnum_errors.ValidationError as error:
        raise ValidationError(
            _("Een ondernemingsnummer telt 10 cijfers en begint met 0 of 1 (bv. 0403.170.701)."),
            code="format",
        ) from error


def validate_enterprise_number(value: str) -> None:
    normalise(value)


def formatted(number: str) -> str:
    """'0403170701' → '0403.170.701', as the KBO writes it."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}" if len(number) == 10 else number


def database_check(field: str) -> Q:
    """The same rule for the database: shape first, then (first 8 digits + last 2) mod 97 = 0.

    The cast only runs on rows that have the right shape, so bad input is a check violation,
    not a cast error.
    """
    digits_ok = Exact(
        Mod(
            Cast(Substr(field, 1, 8), models.BigIntegerField())
            + Cast(Substr(field, 9, 2), models.BigIntegerField()),
            97,
        ),
        0,
    )
    return Q(
        models.Case(
            models.When(Q(**{f"{field}__regex": PATTERN}), then=digits_ok),
            default=models.Value(False),
            output_field=models.BooleanField(),
        )
    )


def with_check_digits(first_eight: str) -> str:
    """Complete 8 leading digits with the two check digits: '04031707' → '0403170701'."""
    check = 97 - int(first_eight) % 97
    return f"{first_eight}{check:02d}"

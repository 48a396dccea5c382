"""Checks of a chamber's seller details (python-stdnum): the numbers its invoices carry."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat

BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def validate_enterprise_number(value: str) -> None:
    """Ten digits with the mod-97 check digits (the Belgian enterprise number)."""
    if value and not (re.fullmatch(r"[0-9]{10}", value) and be_vat.is_valid(value)):
        raise ValidationError(
            _("Geef een geldig ondernemingsnummer: 10 cijfers, bv. 0417123754."), code="invalid"
        )


def validate_vat_number(value: str) -> None:
    if value and not (value == eu_vat.compact(value) and eu_vat.is_valid(value)):
        raise ValidationError(
            _("Geef een geldig btw-nummer met landcode, zonder spaties: bv. BE0417123754."),
            code="invalid",
        )


def validate_iban(value: str) -> None:
    if value and not (value == iban.compact(value) and iban.is_valid(value)):
        raise ValidationError(
            _("Geef een geldig IBAN zonder spaties, bv. BE33001712345646."), code="invalid"
        )


def validate_bic(value: str) -> None:
    if value and not BIC.match(value):
        raise ValidationError(_("Geef een geldige BIC, bv. GKCCBEBB."), code="invalid")

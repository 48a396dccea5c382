"""A chamber's seller details are checked where staff enter them (stdnum)."""

import pytest
from django.core.exceptions import ValidationError

from chambers import validators


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (validators.validate_enterprise_number, "0417123754", "0417123755"),
        (validators.validate_vat_number, "BE0417123754", "BE0417123755"),
        (validators.validate_iban, "BE33001712345646", "BE33001712345647"),
        (validators.validate_bic, "GKCCBEBB", "GKCC"),
    ],
)
def test_seller_details_are_checked(check, good, bad):
    check(good)
    check("")  # not filled in yet: the chamber does not invoice
    with pytest.raises(ValidationError):
        check(bad)

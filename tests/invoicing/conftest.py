import pytest

from members.enterprise_numbers import with_check_digits


def make_seller(chamber, n: int = 1):
    """Give a chamber the seller details it needs to invoice (docs/invoicing.md)."""
    number = with_check_digits(f"0{4100000 + n:07d}")
    chamber.enterprise_number = number
    chamber.vat_number = f"BE{number}"
    chamber.street = "Grote Markt 1"
    chamber.postcode = "2800"
    chamber.municipality = "Mechelen"
    chamber.iban = "BE33001712345646"
    chamber.bic = "GKCCBEBB"
    chamber.save()
    return chamber


@pytest.fixture
def seller(kempen):
    """Kempen, ready to invoice."""
    return make_seller(kempen)

"""Belgian enterprise numbers: normalised, check digits validated, in Python and in the database."""

import pytest
from django.core.exceptions import ValidationError

from members import enterprise_numbers
from members.models import Company
from tests.factories import CompanyFactory
from tests.helpers import rejected_by_database


@pytest.mark.parametrize(
    "given",
    ["0403.170.701", "BE 0403 170 701", "BE0403170701", "403170701", " 0403-170-701 "],
)
def test_valid_numbers_are_normalised(given):
    assert enterprise_numbers.normalise(given) == "0403170701"


@pytest.mark.parametrize("given", ["0403.170.702", "0403170799", "1000000001"])
def test_wrong_check_digits_are_refused_with_their_reason(given):
    with pytest.raises(ValidationError) as caught:
        enterprise_numbers.normalise(given)
    assert caught.value.code == "checksum"
    assert "controlegetal" in caught.value.messages[0]


@pytest.mark.parametrize("given", ["", "abc", "12345", "04031707", "04031707011", "2403170701"])
def test_malformed_numbers_are_refused(given):
    with pytest.raises(ValidationError) as caught:
        enterprise_numbers.normalise(given)
    assert caught.value.code == "format"


def test_formatted_the_kbo_way():
    assert enterprise_numbers.formatted("0403170701") == "0403.170.701"


def test_with_check_digits_makes_valid_numbers():
    assert enterprise_numbers.with_check_digits("04031707") == "0403170701"
    assert enterprise_numbers.normalise(enterprise_numbers.with_check_digits("12345678"))


@pytest.mark.django_db
def test_model_validation_normalises_and_refuses():
    company = CompanyFactory.build(enterprise_number="BE 0403.170.701", slug="x", name="x")
    company.full_clean(exclude=["enterprise_number"])
    company.clean()
    assert company.enterprise_number == "0403170701"
    company.enterprise_number = "0403170702"
    with pytest.raises(ValidationError) as caught:
        company.full_clean()
    assert "enterprise_number" in caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stored",
    [
        "0403170702",  # wrong check digits
        "0403.17070",  # not normalised
        "2403170701",  # must start with 0 or 1
        "040317070",  # too short
        "abcdefghij",  # not digits: a check violation, not a cast error
    ],
)
def test_database_refuses_invalid_numbers_written_past_python(stored):
    with rejected_by_database("company_enterprise_number_valid"):
        CompanyFactory(enterprise_number=stored)


@pytest.mark.django_db
def test_database_keeps_numbers_unique():
    CompanyFactory(enterprise_number="0403170701")
    with rejected_by_database("enterprise_number_key"):
        CompanyFactory(enterprise_number="0403170701")
    assert Company.objects.count() == 1

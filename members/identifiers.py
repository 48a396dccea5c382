"""How a company is identified, per country: one place that validates and normalises it, for
every way in (forms, services, the import, the API) and for the database checks.

- Belgium: the enterprise number (KBO/BCE), 10 digits with mod-97 check digits
  (members/enterprise_numbers.py). It is also the Belgian VAT number, so a Belgian company has
  no separate VAT number here.
- The Netherlands: the KvK number (Kamer van Koophandel), 8 digits. It has NO check digit
  (python-stdnum has no KvK module for that reason), so only its form can be checked: a typo
  that keeps 8 digits is not caught. The Dutch VAT number (stdnum.nl.btw) is checked.
- Other countries: a national registration number (letters and digits, checked for form only)
  and/or an EU VAT number, validated with python-stdnum's stdnum.eu.vat (each member state's
  own check digits) and stored compact with its country prefix, e.g. "NL004495445B01".
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Substr
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat

from members import countries, enterprise_numbers

KVK_PATTERN = r"^[0-9]{8}$"
REGISTRATION_NUMBER_PATTERN = r"^[A-Z0-9]{2,20}$"
VAT_NUMBER_PATTERN = r"^[A-Z]{2}[0-9A-Z]{2,13}$"

ENTERPRISE_NUMBER = "enterprise_number"
REGISTRATION_NUMBER = "registration_number"
VAT_NUMBER = "vat_number"


# What the database calls its unique constraints on these numbers (in IntegrityError texts).
UNIQUE_NAMES = (
    "enterprise_number",
    "company_registration_number_unique",
    "company_vat_number_unique",
)


@dataclass(frozen=True)
class Identifier:
    """A normalised number and the Company field that holds it."""

    country: str
    field: str
    value: str

    def lookup(self) -> Q:
        if self.field == REGISTRATION_NUMBER:
            return Q(country=self.country, registration_number=self.value)
        return Q(**{self.field: self.value})


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-/]", "", value or "").upper()


def normalise_registration_number(value: str, country: str) -> str:
    """A national registration number: 'KvK 1234 5678' → '12345678' for NL."""
    if country == countries.BELGIUM:
        return enterprise_numbers.normalise(value)
    number = _compact(value)
    if country == countries.NETHERLANDS:
        number = number.removeprefix("KVK")
        if not re.fullmatch(KVK_PATTERN, number):
            raise ValidationError(
                _("Een KvK-nummer heeft 8 cijfers (bv. 12345678)."), code="kvk_format"
            )
        return number
    if not re.fullmatch(REGISTRATION_NUMBER_PATTERN, number):
        raise ValidationError(
            _("Een registratienummer telt 2 tot 20 letters of cijfers."),
            code="registration_number_format",
        )
    return number


def normalise_vat_number(value: str, country: str) -> str:
    """An EU VAT number of a company in `country`: 'de 136 695 976' → 'DE136695976'."""
    prefix = countries.VAT_PREFIXES.get(country)
    if prefix is None:
        raise ValidationError(
            _(
                "Ondernemingen uit %(country)s hebben geen Europees btw-nummer; geef hun "
                "registratienummer."
            )
            % {"country": countries.name(country)},
            code="vat_country",
        )
    number = _compact(value)
    if number[:2].isdigit():
        number = prefix + number
    if number[:2] != prefix:
        raise ValidationError(
            _("Een btw-nummer uit %(country)s begint met %(prefix)s.")
            % {"country": countries.name(country), "prefix": prefix},
            code="vat_country",
        )
    try:
        return eu_vat.validate(number)
    except stdnum_errors.InvalidChecksum as error:
        raise ValidationError(
            _("Het controlegetal van dit btw-nummer klopt niet."), code="vat_checksum"
        ) from error
    except stdnum_errors.ValidationError as error:
        raise ValidationError(
            _("Dit is geen geldig btw-nummer uit %(country)s.")
            % {"country": countries.name(country)},
            code="vat_format",
        ) from error


def vat_country(number: str) -> str | None:
    """The country of a VAT number's prefix ('EL…' → 'GR'), or None."""
    prefix = _compact(number)[:2]
    return next((code for code, known in countries.VAT_PREFIXES.items() if known == prefix), None)


def parse(value: str, country: str | None = None) -> Identifier:
    """What a user typed to name a company: an enterprise number, a KvK or other registration
    number (in `country`), or a VAT number (its prefix says the country; it must agree with
    `country` when one is given). Without a country and a prefix, the number is Belgian."""
    number = _compact(value)
    if not number:
        raise ValidationError(_("Geef het nummer van de onderneming."), code="required")
    prefixed = vat_country(number) if number[:2].isalpha() and number[2:3].isdigit() else None
    if prefixed and not (country == countries.NETHERLANDS and number.startswith("KVK")):
        if country and prefixed != country:
            raise ValidationError(
                _("Dit btw-nummer hoort bij een onderneming uit %(country)s.")
                % {"country": countries.name(prefixed)},
                code="vat_country",
            )
        if prefixed == countries.BELGIUM:
            return Identifier(prefixed, ENTERPRISE_NUMBER, enterprise_numbers.normalise(number))
        return Identifier(prefixed, VAT_NUMBER, normalise_vat_number(number, prefixed))
    country = country or countries.BELGIUM
    if country == countries.BELGIUM:
        return Identifier(country, ENTERPRISE_NUMBER, enterprise_numbers.normalise(number))
    return Identifier(country, REGISTRATION_NUMBER, normalise_registration_number(number, country))


def described(identifier: Identifier) -> str:
    """For messages: 'ondernemingsnummer 0403.170.701', 'KvK-nummer 12345678'."""
    if identifier.field == ENTERPRISE_NUMBER:
        text = _("ondernemingsnummer %(number)s")
    elif identifier.field == VAT_NUMBER:
        text = _("btw-nummer %(number)s")
    elif identifier.country == countries.NETHERLANDS:
        text = _("KvK-nummer %(number)s")
    else:
        text = _("registratienummer %(number)s")
    number = (
        enterprise_numbers.formatted(identifier.value)
        if identifier.field == ENTERPRISE_NUMBER
        else identifier.value
    )
    return str(text) % {"number": number}


def slug_key(company) -> str:
    """The company's unique number, to tell companies of the same name apart in their slug."""
    return (
        company.enterprise_number
        or (company.registration_number and f"{company.country}{company.registration_number}")
        or company.vat_number
    ).lower()


def label(country: str) -> str:
    """What the national number is called in `country`."""
    if country == countries.BELGIUM:
        return str(_("Ondernemingsnummer"))
    if country == countries.NETHERLANDS:
        return str(_("KvK-nummer"))
    return str(_("Registratienummer"))


def display(company) -> str:
    """The company's number as people write it: '0403.170.701', 'KvK 12345678', or its VAT
    number when that is all it has."""
    if company.country == countries.BELGIUM:
        return enterprise_numbers.formatted(company.enterprise_number or "")
    if company.registration_number:
        if company.country == countries.NETHERLANDS:
            return f"KvK {company.registration_number}"
        return company.registration_number
    return company.vat_number or ""


def clean_company(company) -> None:
    """Normalise a company's numbers for its country, or raise a ValidationError per field.

    The same rules as the checks in database_checks(): Belgium needs a valid enterprise number
    (and has no other number here); another country needs a registration number or a VAT
    number, and no enterprise number.
    """
    errors = {}
    country = company.country or countries.BELGIUM
    if country == countries.BELGIUM:
        company.registration_number = ""
        company.vat_number = ""
        try:
            company.enterprise_number = enterprise_numbers.normalise(
                company.enterprise_number or ""
            )
        except ValidationError as error:
            errors[ENTERPRISE_NUMBER] = error
    else:
        company.enterprise_number = None
        for field, normalise in (
            (REGISTRATION_NUMBER, normalise_registration_number),
            (VAT_NUMBER, normalise_vat_number),
        ):
            if getattr(company, field):
                try:
                    setattr(company, field, normalise(getattr(company, field), country))
                except ValidationError as error:
                    errors[field] = error
        if not (company.registration_number or company.vat_number or errors):
            errors[REGISTRATION_NUMBER] = ValidationError(
                _("Geef het %(label)s of het btw-nummer van de onderneming.")
                % {
                    "label": label(country)
                    if country == countries.NETHERLANDS
                    else label(country).lower()
                },
                code="identifier_required",
            )
    if errors:
        raise ValidationError(errors)


def database_checks() -> dict[str, Q]:
    """The rules of clean_company for the database, by constraint name."""
    vat_prefix = Case(
        *[
            When(country=code, then=Value(prefix))
            for code, prefix in sorted(countries.VAT_PREFIXES.items())
            if prefix != code
        ],
        default=F("country"),
        output_field=CharField(),
    )
    return {
        "company_identifier_per_country": (
            Q(
                country=countries.BELGIUM,
                enterprise_number__isnull=False,
                registration_number="",
                vat_number="",
            )
            | (
                ~Q(country=countries.BELGIUM)
                & Q(enterprise_number__isnull=True)
                & (~Q(registration_number="") | ~Q(vat_number=""))
            )
        ),
        "company_registration_number_format": Q(registration_number="")
        | (
            Q(registration_number__regex=REGISTRATION_NUMBER_PATTERN)
            & (~Q(country=countries.NETHERLANDS) | Q(registration_number__regex=KVK_PATTERN))
        ),
        "company_vat_number_of_country": Q(vat_number="")
        | (
            Q(vat_number__regex=VAT_NUMBER_PATTERN)
            & Q(country__in=sorted(countries.VAT_PREFIXES))
            & Q(Exact(Substr("vat_number", 1, 2), vat_prefix))
        ),
    }

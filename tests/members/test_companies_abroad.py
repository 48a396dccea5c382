"""Companies from abroad: an identifier per country (Belgian enterprise number, Dutch KvK number,
EU VAT number), foreign postcodes, and a Dutch company that joins and registers for the joint
Anuga visit of both Limburgs. Member terms follow membership, not nationality."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chambers.models import StaffRole
from events import services as event_services
from events.models import Event, Registration
from events.rules import terms_for
from members import identifiers, services, validators
from members.enterprise_numbers import with_check_digits
from members.models import Company, JoinRequest, Membership, Person
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    UserFactory,
    staff_user,
)
from tests.helpers import client_for, rejected_by_database

pytestmark = pytest.mark.django_db

KVK = "90412345"
NL_VAT = "NL004495445B01"  # python-stdnum's own example of a valid Dutch VAT number
DE_VAT = "DE136695976"


def dutch_company(**changes) -> Company:
    return CompanyFactory(
        **{
            "name": "Maasvallei Zuivel B.V.",
            "country": "NL",
            "enterprise_number": None,
            "registration_number": KVK,
            "vat_number": NL_VAT,
            "postcode": "6211 DW",
            "municipality": "Maastricht",
        }
        | changes
    )


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    cache.clear()  # allauth's rate limits, the import's jobs
    settings.MEDIA_ROOT = tmp_path


# --- identifiers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "country", "field", "value"),
    [
        ("0403.170.701", None, "enterprise_number", "0403170701"),
        ("BE 0403 170 701", "BE", "enterprise_number", "0403170701"),
        ("9041 2345", "NL", "registration_number", KVK),
        ("KvK 90412345", "NL", "registration_number", KVK),
        ("nl 0044.95.445.B01", "NL", "vat_number", NL_VAT),
        (NL_VAT, None, "vat_number", NL_VAT),
        ("DE 136,695 976", "DE", "vat_number", DE_VAT),
        ("HRB 12345", "DE", "registration_number", "HRB12345"),
    ],
)
def test_a_number_is_read_for_its_country(typed, country, field, value):
    identifier = identifiers.parse(typed, country)
    assert (identifier.field, identifier.value) == (field, value)


@pytest.mark.parametrize(
    ("typed", "country", "message"),
    [
        ("1234567", "NL", "Een KvK-nummer heeft 8 cijfers"),
        ("123456789", "NL", "Een KvK-nummer heeft 8 cijfers"),
        ("NL004495446B01", "NL", "Het controlegetal van dit btw-nummer klopt niet"),
        ("DE136695978", "DE", "Het controlegetal van dit btw-nummer klopt niet"),
        ("DE12345", "DE", "Dit is geen geldig btw-nummer uit Duitsland"),
        (DE_VAT, "NL", "Dit btw-nummer hoort bij een onderneming uit Duitsland"),
        ("0403.170.702", "BE", "Het controlegetal van dit ondernemingsnummer klopt niet"),
        ("", "NL", "Geef het nummer van de onderneming"),
    ],
)
def test_a_wrong_number_is_refused_with_its_reason(typed, country, message):
    with pytest.raises(ValidationError) as caught:
        identifiers.parse(typed, country)
    assert message in caught.value.messages[0]


def test_eu_vat_numbers_are_checked_by_stdnum():
    assert identifiers.normalise_vat_number("004495445B01", "NL") == NL_VAT
    assert identifiers.normalise_vat_number("EL 094259216", "GR") == "EL094259216"
    with pytest.raises(ValidationError) as caught:
        identifiers.normalise_vat_number("GB980780684", "GB")
    assert caught.value.code == "vat_country"  # no EU VAT number outside the EU


def test_the_kvk_number_has_no_check_digit_so_only_its_form_is_checked():
    # Any 8 digits pass: the KvK publishes no check digit (and python-stdnum has no KvK module).
    assert identifiers.normalise_registration_number("12345678", "NL") == "12345678"
    assert identifiers.normalise_registration_number("12345679", "NL") == "12345679"


# --- the database -----------------------------------------------------------------------------


def test_the_database_refuses_a_belgian_company_without_a_valid_enterprise_number():
    with rejected_by_database("company_identifier_per_country"):
        CompanyFactory(enterprise_number=None)
    with rejected_by_database("company_enterprise_number_valid"):
        CompanyFactory(enterprise_number="0403170702")
    with rejected_by_database("company_identifier_per_country"):
        CompanyFactory(registration_number=KVK)  # a Belgian company has no KvK number


def test_the_database_checks_foreign_numbers():
    with rejected_by_database("company_identifier_per_country"):
        dutch_company(registration_number="", vat_number="")
    with rejected_by_database("company_identifier_per_country"):
        dutch_company(enterprise_number="0403170701")
    with rejected_by_database("company_registration_number_format"):
        dutch_company(registration_number="1234567")
    with rejected_by_database("company_vat_number_of_country"):
        dutch_company(vat_number=DE_VAT)
    with rejected_by_database("company_vat_number_of_country"):
        CompanyFactory(
            country="GB", enterprise_number=None, registration_number="01234567", vat_number="GB1"
        )


def test_numbers_are_unique_where_given():
    dutch_company()
    with rejected_by_database("company_registration_number_unique"):
        dutch_company(vat_number="")
    with rejected_by_database("company_vat_number_unique"):
        dutch_company(registration_number="")
    # The same registration number in another country is another company; no number is no clash.
    CompanyFactory(country="LU", enterprise_number=None, registration_number=KVK, postcode="1009")
    dutch_company(registration_number="90412346", vat_number="")
    dutch_company(registration_number="90412347", vat_number="")


# --- postcodes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("2800", "BE", "2800"),
        ("6211dw", "NL", "6211 DW"),
        (" 6211  DW ", "NL", "6211 DW"),
        ("52062", "DE", "52062"),
        ("59000", "FR", "59000"),
        ("L-1009", "LU", "1009"),
        ("sw1a 1aa", "GB", "SW1A 1AA"),
        ("8001", "CH", "8001"),
    ],
)
def test_a_postcode_is_written_the_way_its_country_writes_it(typed, country, stored):
    assert validators.normalise_postcode(typed, country) == stored


@pytest.mark.parametrize(
    ("typed", "country", "message"),
    [
        ("0999", "BE", "Een Belgische postcode telt 4 cijfers"),
        ("6211", "NL", "Een Nederlandse postcode heeft 4 cijfers en 2 letters"),
        ("5206", "DE", "Een Duitse postcode telt 5 cijfers"),
        ("590000", "FR", "Een Franse postcode telt 5 cijfers"),
        ("10090", "LU", "Een Luxemburgse postcode telt 4 cijfers"),
        ("12345678901", "GB", "hoogstens 10"),
    ],
)
def test_a_wrong_postcode_says_what_its_country_expects(typed, country, message):
    with pytest.raises(ValidationError) as caught:
        validators.normalise_postcode(typed, country)
    assert message in caught.value.messages[0]


def test_the_database_checks_the_postcode_per_country():
    dutch_company(postcode="6211 DW")
    with rejected_by_database("company_postcode_per_country"):
        dutch_company(registration_number="90412346", vat_number="", postcode="6211DW")
    with rejected_by_database("company_postcode_per_country"):
        CompanyFactory(country="DE", enterprise_number=None, vat_number=DE_VAT, postcode="2800")
    with rejected_by_database("company_postcode_per_country"):
        CompanyFactory(postcode="6211 DW")  # Belgian
    CompanyFactory(country="DE", enterprise_number=None, vat_number=DE_VAT, postcode="52062")


# --- the whole journey: a Dutch company joins and registers for the joint visit ---------------


@pytest.fixture
def anuga(limburg):
    """The joint visit of both Limburgs: open to everyone, cheaper for members."""
    return EventFactory(
        title="Gezamenlijk bezoek aan Anuga in Keulen",
        slug="anuga",
        organiser=limburg,
        audience=Event.Audience.EVERYONE,
        member_price=Decimal("245.00"),
        non_member_price=Decimal("345.00"),
        country="DE",
    )


def new_member_form(limburg, **changes) -> dict:
    return {
        "name": "Maasvallei Zuivel B.V.",
        "country": "NL",
        "enterprise_number": "",
        "registration_number": "KvK 9041 2345",
        "vat_number": "NL 0044.95.445.B01",
        "legal_form": "bv",
        "size_class": "small",
        "street": "Mosae Forum 4",
        "postcode": "6211dw",
        "municipality": "Maastricht",
        "website": "",
        "chamber": str(limburg.pk),
        "tier": "standard",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
        "annual_fee": "450,00",
    } | changes


def test_a_dutch_company_joins_and_registers_for_the_joint_visit(
    limburg, anuga, django_capture_on_commit_callbacks
):
    chamber_admin = staff_user(StaffRole.Role.CHAMBER_ADMIN, limburg, username="katrien")
    staff = client_for(chamber_admin)

    # Staff of Limburg make the Dutch company a member, with its KvK and VAT numbers.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("staff:member_new"), new_member_form(limburg))
    assert response.status_code == 302, response.content.decode()[:3000]
    company = Company.objects.get(country="NL", registration_number=KVK)
    assert (company.enterprise_number, company.vat_number) == (None, NL_VAT)
    assert company.postcode == "6211 DW"
    assert company.enterprise_number_display == "KvK 90412345"

    # Someone of the company asks to join it by its KvK number.
    user = UserFactory(username="sanne", email="sanne@maasvallei.example")
    member = client_for(user)
    assert "KvK" in member.get(reverse("me:join")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(
            reverse("me:join"),
            {
                "country": "NL",
                "enterprise_number": "9041 2345",
                "first_name": "Sanne",
                "last_name": "Hendrikx",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    join_request = JoinRequest.objects.get(user=user)
    assert join_request.company == company

    # The chamber (the company has no admin yet) approves, on its page.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("me:join_request", args=[join_request.pk]), {"action": "approve"}
        )
    person = Person.objects.get(user=user)
    assert person.company == company

    # They register for the joint visit, as a member of Limburg: the member price.
    assert (
        "KvK 90412345" in member.get(reverse("events:register", args=[anuga.slug])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(reverse("events:register", args=[anuga.slug]), {})
    registration = Registration.objects.get(event=anuga, person=person)
    assert registration.member_terms and registration.price == anuga.member_price


def test_member_terms_follow_membership_not_nationality(limburg, anuga):
    outsider = dutch_company()
    assert terms_for(anuga, outsider).price == anuga.non_member_price
    MembershipFactory(company=outsider, chamber=limburg)
    assert terms_for(anuga, outsider).price == anuga.member_price
    belgian = CompanyFactory()
    assert terms_for(anuga, belgian).price == anuga.non_member_price


def test_a_non_member_from_abroad_registers_at_the_non_member_price(anuga, limburg):
    person = dutch_company().people.create(first_name="Sanne", last_name="Hendrikx")
    registration = event_services.registration_create(event=anuga, person=person)
    assert not registration.member_terms
    assert registration.price == anuga.non_member_price


def test_an_invalid_kvk_number_is_refused_with_a_clear_message_and_nothing_is_written(limburg):
    dutch_company()
    user = UserFactory(username="sanne", email="sanne@maasvallei.example")
    member = client_for(user)
    response = member.post(
        reverse("me:join"),
        {
            "country": "NL",
            "enterprise_number": "9041234",
            "first_name": "Sanne",
            "last_name": "Hendrikx",
        },
    )
    assert response.status_code == 200
    assert "Een KvK-nummer heeft 8 cijfers" in response.content.decode()
    assert not JoinRequest.objects.exists()

    staff = client_for(staff_user(StaffRole.Role.CHAMBER_ADMIN, limburg, username="katrien"))
    response = staff.post(
        reverse("staff:member_new"),
        new_member_form(limburg, registration_number="1234", vat_number="NL004495446B01"),
    )
    content = response.content.decode()
    assert "Een KvK-nummer heeft 8 cijfers" in content
    assert "Het controlegetal van dit btw-nummer klopt niet" in content
    assert Company.objects.count() == 1 and not Membership.objects.exists()


def test_the_service_refuses_an_unknown_or_malformed_number():
    user = UserFactory()
    for number, code in (("1234567", "enterprise_number_invalid"), (KVK, "unknown_company")):
        with pytest.raises(services.DomainError) as caught:
            services.join_request_create(
                user=user, enterprise_number=number, country="NL", first_name="A", last_name="B"
            )
        assert caught.value.code == code
    assert "KvK-nummer 90412345" in str(caught.value.message)


def test_by_identifier_finds_a_company_by_any_of_its_numbers():
    company = dutch_company()
    belgian = CompanyFactory(enterprise_number="0403170701")
    assert Company.objects.by_identifier("KvK 9041.2345", "NL") == company
    assert Company.objects.by_identifier(NL_VAT) == company
    assert Company.objects.by_identifier("BE0403170701") == belgian
    assert Company.objects.by_identifier("0403.170.701") == belgian
    assert Company.objects.by_identifier("90412345", "LU") is None


def test_a_member_from_abroad_edits_its_profile_with_its_own_postcode(limburg):
    from members.forms import CompanyProfileForm

    company = dutch_company()
    data = {
        "postcode": "6212ab",
        "municipality": "Maastricht",
        "legal_form": "bv",
        "size_class": "small",
    }
    form = CompanyProfileForm(data, instance=company)
    assert form.is_valid(), form.errors
    assert form.save().postcode == "6212 AB"
    form = CompanyProfileForm(data | {"postcode": "2800"}, instance=company)
    assert not form.is_valid()
    assert "Een Nederlandse postcode" in form.errors["postcode"][0]


# --- the import -------------------------------------------------------------------------------

HEADER = [
    "land",
    "ondernemingsnummer",
    "naam",
    "grootte",
    "postcode",
    "gemeente",
    "kamer",
    "formule",
    "geldig_vanaf",
    "geldig_tot",
    "jaarbijdrage",
]


def import_row(**changes) -> dict:
    year = timezone.localdate().year
    return {
        "land": "",
        "ondernemingsnummer": with_check_digits("07000001"),
        "naam": "Import BV",
        "grootte": "small",
        "postcode": "3500",
        "gemeente": "Hasselt",
        "kamer": "Limburg",
        "formule": "standaard",
        "geldig_vanaf": f"{year}-01-01",
        "geldig_tot": f"{year}-12-31",
        "jaarbijdrage": "450,00",
    } | changes


def csv_file(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for values in rows:
        writer.writerow([values.get(column, "") for column in HEADER])
    return SimpleUploadedFile("leden.csv", out.getvalue().encode(), "text/csv")


def upload(client, rows):
    response = client.post(reverse("staff:imports"), {"file": csv_file(rows)})
    assert response.status_code == 302
    job_id = response["Location"].rstrip("/").split("/")[-1]
    return job_id, client.get(response["Location"]).context["job"]


def test_the_import_reads_a_country_column(limburg):
    staff = client_for(staff_user(StaffRole.Role.CHAMBER_ADMIN, limburg, username="katrien"))
    rows = [
        import_row(),  # no country: Belgian
        import_row(
            land="NL",
            ondernemingsnummer="KvK 9041 2345",
            naam="Maasvallei",
            postcode="6211dw",
            gemeente="Maastricht",
        ),
        import_row(
            land="de",
            ondernemingsnummer=DE_VAT,
            naam="Aachener GmbH",
            postcode="52062",
            gemeente="Aachen",
        ),
    ]
    job_id, job = upload(staff, rows)
    assert job["state"] == "checked", job["errors"]
    staff.post(reverse("staff:import_write", args=[job_id]))
    assert sorted(
        Company.objects.values_list(
            "country", "enterprise_number", "registration_number", "vat_number", "postcode"
        )
    ) == [
        ("BE", with_check_digits("07000001"), "", "", "3500"),
        ("DE", None, "", DE_VAT, "52062"),
        ("NL", None, KVK, "", "6211 DW"),
    ]


def test_the_import_refuses_a_wrong_foreign_row_and_writes_nothing(limburg):
    staff = client_for(staff_user(StaffRole.Role.CHAMBER_ADMIN, limburg, username="katrien"))
    rows = [
        import_row(),
        import_row(land="NL", ondernemingsnummer="9041234", postcode="6211 DW"),
        import_row(land="NL", ondernemingsnummer=KVK, postcode="6211", naam="Twee"),
        import_row(land="XX", ondernemingsnummer=KVK, naam="Drie"),
        import_row(land="NL", ondernemingsnummer=DE_VAT, postcode="6211 DW", naam="Vier"),
    ]
    _job_id, job = upload(staff, rows)
    assert job["state"] == "invalid"
    reasons = {(error["line"], error["column"]): error["message"] for error in job["errors"]}
    assert "Een KvK-nummer heeft 8 cijfers" in reasons[(3, "ondernemingsnummer")]
    assert "Een Nederlandse postcode" in reasons[(4, "postcode")]
    assert "Onbekend land" in reasons[(5, "land")]
    assert "Duitsland" in reasons[(6, "ondernemingsnummer")]
    assert not Company.objects.exists()


def test_staff_register_a_guest_of_a_dutch_company_by_its_vat_number(limburg, anuga):
    company = dutch_company()
    manager = staff_user(StaffRole.Role.EVENT_MANAGER, limburg, username="katrien")
    registration = event_services.registration_create_guest(
        event=anuga,
        enterprise_number="NL 0044 95 445 B01",
        country="NL",
        first_name="Sanne",
        last_name="Hendrikx",
        email="sanne@maasvallei.example",
        actor=manager,
    )
    assert registration.company == company
    with pytest.raises(services.DomainError) as caught:
        event_services.registration_create_guest(
            event=anuga,
            enterprise_number="9041234",
            country="NL",
            first_name="Piet",
            last_name="Jansen",
            email="piet@maasvallei.example",
            actor=manager,
        )
    assert "Een KvK-nummer heeft 8 cijfers" in caught.value.message
    assert company.people.count() == 1


def test_staff_find_a_dutch_member_by_its_kvk_or_vat_number(limburg):
    company = dutch_company()
    MembershipFactory(company=company, chamber=limburg)
    MembershipFactory(company=CompanyFactory(name="Andere BV"), chamber=limburg)
    staff = client_for(staff_user(StaffRole.Role.VIEWER, limburg, username="katrien"))
    for query in ("9041 2345", "NL0044.95"):
        response = staff.get(reverse("staff:members"), {"q": query})
        content = response.content.decode()
        assert "Maasvallei" in content and "Andere BV" not in content

"""The member directory for partners: the partner consent of its own, no personal data."""

import datetime

import pytest
from django.utils import timezone

from members.models import Company, Membership
from tests.api.conftest import problem
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    PersonFactory,
    SectorFactory,
)
from tests.helpers import rejected_by_database
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db


def consenting(chamber, **fields) -> Company:
    company = CompanyFactory(**fields)
    MembershipFactory(company=company, chamber=chamber)
    company.give_partner_consent()
    company.save()
    return company


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [member["name"] for member in response.json()["results"]]


def test_only_members_that_gave_the_partner_consent_are_listed(api_client, mechelen, kempen):
    consenting(mechelen, name="Anker")
    public_only = CompanyFactory(
        name="Alleen openbaar", directory_consent=True, directory_consent_at=timezone.now()
    )
    MembershipFactory(company=public_only, chamber=mechelen)
    CompanyFactory(name="Geen lid").give_partner_consent()
    lapsed = consenting(kempen, name="Vervallen")
    Membership.objects.filter(company=lapsed).update(status=Membership.Status.LAPSED)
    assert names(api_client.get("/api/v1/members/")) == ["Anker"]


def test_a_withdrawn_consent_takes_effect_at_once(api_client, mechelen):
    company = consenting(mechelen, name="Anker")
    company.withdraw_partner_consent()
    company.save()
    assert names(api_client.get("/api/v1/members/")) == []
    problem(api_client.get(f"/api/v1/members/{company.slug}/"), 404, "not_found")


def test_a_profile_without_personal_data(api_client, mechelen):
    sector = SectorFactory(name="Voeding", slug="voeding")
    company = consenting(
        mechelen,
        name="Brouwerij Het Anker NV",
        slug="anker",
        municipality="Mechelen",
        website="https://anker.example",
        is_family_business=True,
        founded_year=1702,
        export_countries=["NL", "FR"],
        languages=["nl", "en"],
        street="Guido Gezellelaan 49",
    )
    company.sectors.add(sector)
    PersonFactory(company=company, email="brouwer@anker.example", first_name="Charles")
    body = api_client.get("/api/v1/members/anker/").json()
    assert body == {
        "slug": "anker",
        "name": "Brouwerij Het Anker NV",
        "country": "BE",
        "enterprise_number": company.enterprise_number,
        "registration_number": "",
        "vat_number": "",
        "legal_form": "bv",
        "size_class": "small",
        "postcode": "2800",
        "municipality": "Mechelen",
        "website": "https://anker.example",
        "description": "",
        "is_family_business": True,
        "founded_year": 1702,
        "export_countries": ["NL", "FR"],
        "languages": ["nl", "en"],
        "sectors": ["voeding"],
        "home_chamber": "mechelen",
    }
    text = api_client.get("/api/v1/members/").content.decode()
    assert "brouwer@anker.example" not in text and "Charles" not in text


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"q": "Brouwrij"}, ["Brouwerij Het Anker"]),  # a typo, forgiven
        ({"sector": "voeding"}, ["Brouwerij Het Anker"]),
        ({"chamber": "kempen"}, ["Kempense Staal"]),
        ({"municipality": "geel"}, ["Kempense Staal"]),
        ({"family_business": "true"}, ["Brouwerij Het Anker"]),
        ({"family_business": "false"}, ["Kempense Staal"]),
    ],
)
def test_the_directory_pages_filters(api_client, mechelen, kempen, filters, expected):
    anker = consenting(mechelen, name="Brouwerij Het Anker", is_family_business=True)
    anker.sectors.add(SectorFactory(name="Voeding", slug="voeding"))
    consenting(kempen, name="Kempense Staal", municipality="Geel", postcode="2440")
    assert names(api_client.get("/api/v1/members/", filters)) == expected


@pytest.mark.parametrize(
    "filters",
    [{"family_business": "misschien"}, {"chamber": "gent"}, {"sector": ""}, {"q": "a\x00b"}],
)
def test_bad_directory_filters_are_400(api_client, mechelen, filters):
    problem(api_client.get("/api/v1/members/", filters), 400, "invalid_input")


def test_a_key_limited_to_chambers_sees_their_members(make_client, mechelen, kempen):
    consenting(mechelen, name="Anker")
    kempens = consenting(kempen, name="Kempense Staal")
    client = make_client("directory:read", chambers=[mechelen])
    assert names(client.get("/api/v1/members/")) == ["Anker"]
    problem(client.get(f"/api/v1/members/{kempens.slug}/"), 404, "not_found")


def test_list_queries_do_not_grow_with_the_rows(api_client, mechelen):
    sector = SectorFactory()

    def add(count):
        for _ in range(count):
            consenting(mechelen).sectors.add(sector)

    add(3)
    assert_request_query_count("api:member-list, with a sector", api_client, "/api/v1/members/")
    add(12)
    assert_request_query_count("api:member-list, with a sector", api_client, "/api/v1/members/")


# The consent itself (members.models.Company)


def test_the_consent_records_its_date_and_purpose(company):
    company.give_partner_consent()
    assert company.partner_consent
    assert timezone.now() - company.partner_consent_at < datetime.timedelta(seconds=5)
    assert "partners van de alliantie" in company.partner_consent_purpose
    company.save()
    company.withdraw_partner_consent()
    company.save()
    company.refresh_from_db()
    assert not company.partner_consent
    assert company.partner_consent_purpose, "what was agreed to stays on record"


def test_a_consent_without_date_or_purpose_is_refused_by_the_database(company):
    with rejected_by_database("company_partner_consent_has_date_and_purpose"):
        Company.objects.filter(pk=company.pk).update(partner_consent=True)


def test_a_form_that_switches_the_consent_on_records_it(company):
    company.partner_consent = True
    company.full_clean()
    assert company.partner_consent_at and company.partner_consent_purpose

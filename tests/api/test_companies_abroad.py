"""The API with companies from abroad: the directory's payload carries the country and the
numbers; a partner registers a delegate of a Dutch company by its KvK number."""

import pytest

from events.models import Registration
from tests.factories import DelegationQuotaFactory, MembershipFactory
from tests.members.test_companies_abroad import KVK, NL_VAT, dutch_company
from tests.members.test_companies_abroad import anuga as anuga  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_directory_api_carries_the_country_and_the_numbers(api_client, limburg):
    company = dutch_company(slug="maasvallei")
    MembershipFactory(company=company, chamber=limburg)
    company.give_partner_consent()
    company.save()
    body = api_client.get("/api/v1/members/maasvallei/").json()
    assert {
        key: body[key]
        for key in ("country", "enterprise_number", "registration_number", "vat_number", "postcode")
    } == {
        "country": "NL",
        "enterprise_number": None,
        "registration_number": KVK,
        "vat_number": NL_VAT,
        "postcode": "6211 DW",
    }


def test_a_partner_registers_a_delegate_of_a_dutch_company(api_client, partner, anuga):
    company = dutch_company()
    anuga.partners.add(partner)
    DelegationQuotaFactory(event=anuga, partner=partner, places=2)
    delegate = {
        "first_name": "Sanne",
        "last_name": "Hendrikx",
        "email": "sanne@maasvallei.example",
        "country": "NL",
        "enterprise_number": "9041 2345",
    }
    response = api_client.post(
        f"/api/v1/events/{anuga.slug}/registrations/", delegate, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["company"] == {
        "name": company.name,
        "country": "NL",
        "enterprise_number": None,
        "registration_number": KVK,
        "vat_number": NL_VAT,
    }
    assert response.json()["price"] == str(anuga.non_member_price)
    wrong = api_client.post(
        f"/api/v1/events/{anuga.slug}/registrations/",
        delegate | {"enterprise_number": "9041234"},
        format="json",
    )
    assert wrong.status_code == 400
    assert "Een KvK-nummer heeft 8 cijfers" in wrong.content.decode()
    assert Registration.objects.count() == 1


def test_the_schema_describes_the_country_and_the_numbers(client):
    schemas = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    for name in ("Member", "RegistrationCompany"):
        assert {"country", "enterprise_number", "registration_number", "vat_number"} <= set(
            schemas[name]["properties"]
        )
    assert schemas["RegistrationCompany"]["properties"]["enterprise_number"].get("nullable")
    assert "country" in schemas["RegistrationCreateRequest"]["properties"]

"""Staff edit a member company and its people, and record its consents on its behalf.

The same services as the company admin's /me/ pages (members.services company_profile_update,
person_update, company_consent_update): the company's home chamber's admins and alliance admins
may; another chamber's staff get a 404, a viewer or event manager of the home chamber a 403. A
consent staff record carries the day and who gave it, and its history is kept and shown.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from chambers.models import ApiScope
from members.models import ConsentRecord, Person
from tests.factories import PartnerFactory, PersonFactory, partner_api_key
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_chamber(mechelen):
    """The company's home chamber is Mechelen."""
    return mechelen


@pytest.fixture
def partner_api(db):
    _, key = partner_api_key(PartnerFactory(), scopes=[ApiScope.DIRECTORY_READ])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def directory_slugs(api) -> set[str]:
    return {row["slug"] for row in api.get(reverse("api:member-list")).json()["results"]}


PROFILE = {
    "description": "Brouwerij sinds 1471.",
    "website": "https://hetanker.example",
    "street": "Guido Gezellelaan 49",
    "postcode": "2800",
    "municipality": "Mechelen",
    "legal_form": "nv",
    "size_class": "medium",
    "founded_year": "1911",
    "export_countries": "NL,FR",
    "languages": ["nl"],
}


def test_a_chamber_admin_edits_the_companys_profile_with_the_members_own_form(
    chamber_admin, company
):
    admin = client_for(chamber_admin)
    edit = reverse("staff:member_edit", args=[company.slug])
    assert admin.get(edit).status_code == 200

    response = admin.post(edit, PROFILE)

    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.street, company.founded_year, company.export_countries) == (
        "Guido Gezellelaan 49",
        1911,
        ["NL", "FR"],
    )
    # A bad postcode is the same sentence the member gets; nothing changes.
    response = admin.post(edit, PROFILE | {"postcode": "28", "street": "Elders 1"})
    assert response.status_code == 400
    company.refresh_from_db()
    assert company.street == "Guido Gezellelaan 49"


def test_staff_change_a_persons_job_and_role_and_the_company_keeps_an_admin(chamber_admin, company):
    only_admin = PersonFactory(company=company, role=Person.Role.ADMIN, first_name="Bart")
    employee = PersonFactory(company=company, first_name="Els")
    admin = client_for(chamber_admin)

    response = admin.post(
        reverse("staff:member_person", args=[company.slug, employee.pk]),
        {"job_title": "Brouwmeester", "role": "admin", "phone": "015 12 34 56"},
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert (employee.job_title, employee.role) == ("Brouwmeester", Person.Role.ADMIN)

    # Two admins: one may step back; the last one may not.
    only_admin_url = reverse("staff:member_person", args=[company.slug, only_admin.pk])
    employee_url = reverse("staff:member_person", args=[company.slug, employee.pk])
    data = {"job_title": "", "role": "employee", "phone": ""}
    assert admin.post(only_admin_url, data).status_code == 302
    response = admin.post(employee_url, data)
    assert response.status_code == 400
    assert "minstens één beheerder" in response.content.decode()
    employee.refresh_from_db()
    assert employee.role == Person.Role.ADMIN


def test_staff_record_partner_consent_by_phone_and_withdraw_it_with_the_history_kept(
    chamber_admin, company, partner_api
):
    admin = client_for(chamber_admin)
    consent = reverse("staff:member_consent", args=[company.slug])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert company.slug not in directory_slugs(partner_api)

    response = admin.post(
        consent,
        {
            "purpose": "partners",
            "given": "yes",
            "given_on": yesterday.isoformat(),
            "given_by": "telefonisch, van An Peeters (zaakvoerder)",
        },
    )

    assert response.status_code == 302
    assert company.slug in directory_slugs(partner_api)
    response = admin.post(
        consent,
        {
            "purpose": "partners",
            "given": "no",
            "given_on": timezone.localdate().isoformat(),
            "given_by": "per e-mail, van An Peeters",
        },
        follow=True,
    )
    assert "bewaard in de geschiedenis" in response.content.decode()
    assert company.slug not in directory_slugs(partner_api)

    given, withdrawn = company.consent_records.order_by("recorded_at", "pk")
    assert (given.given, given.source, given.recorded_by) == (True, "staff", chamber_admin)
    assert timezone.localdate(given.recorded_at) == yesterday
    assert given.given_by == "telefonisch, van An Peeters (zaakvoerder)"
    assert (withdrawn.given, withdrawn.given_by) == (False, "per e-mail, van An Peeters")
    page = response.content.decode()
    assert "telefonisch, van An Peeters (zaakvoerder)" in page and "ingetrokken" in page


def test_a_consent_without_who_gave_it_or_in_the_future_is_refused(chamber_admin, company):
    admin = client_for(chamber_admin)
    consent = reverse("staff:member_consent", args=[company.slug])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    for data in (
        {"purpose": "directory", "given": "yes", "given_on": timezone.localdate(), "given_by": ""},
        {"purpose": "directory", "given": "yes", "given_on": tomorrow, "given_by": "An"},
    ):
        assert admin.post(consent, data).status_code == 400
    assert not ConsentRecord.objects.exists()
    company.refresh_from_db()
    assert not company.directory_consent


def test_only_the_home_chambers_admins_edit_the_company(
    viewer, event_manager, other_chamber_admin, company
):
    edit = reverse("staff:member_edit", args=[company.slug])
    for user in (viewer, event_manager):
        assert client_for(user).post(edit, PROFILE).status_code == 403
    assert client_for(other_chamber_admin).post(edit, PROFILE).status_code == 404
    company.refresh_from_db()
    assert company.street != PROFILE["street"]

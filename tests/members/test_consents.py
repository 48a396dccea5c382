"""A company's consents are a history: each given or withdrawn by someone, at a time, for a
purpose, kept for good (members.models.ConsentRecord, members.services.company_consent_update).
Partner consent given in /me/ puts the company in the partners' API directory; withdrawing it
takes it out at once."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from alliance.base.models import DomainError
from chambers.models import ApiScope
from members import services
from members.models import PARTNER_CONSENT_PURPOSE
from tests.factories import PartnerFactory, partner_api_key
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

CONSENT = reverse("me:company_consent")


@pytest.fixture
def partner_api(db):
    _, key = partner_api_key(PartnerFactory(), scopes=[ApiScope.DIRECTORY_READ])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def directory_slugs(api) -> set[str]:
    response = api.get(reverse("api:member-list"))
    assert response.status_code == 200
    return {row["slug"] for row in response.json()["results"]}


def test_partner_consent_given_in_me_shows_the_company_to_partners_and_withdrawing_hides_it(
    company, company_admin, partner_api
):
    admin = client_for(company_admin)
    assert company.slug not in directory_slugs(partner_api)

    given = admin.post(CONSENT, {"partner_consent": "on"}, follow=True).content.decode()

    assert "De partners van de alliantie zien nu het profiel van je onderneming." in given
    assert company.slug in directory_slugs(partner_api)

    withdrawn = admin.post(CONSENT, {}, follow=True).content.decode()

    assert "zien het profiel van je onderneming niet meer" in withdrawn
    assert company.slug not in directory_slugs(partner_api)
    history = list(company.consent_records.order_by("recorded_at", "pk"))
    assert [(r.purpose, r.given, r.recorded_by, r.source) for r in history] == [
        ("partners", True, company_admin, "portal"),
        ("partners", False, company_admin, "portal"),
    ]
    assert history[0].text == str(PARTNER_CONSENT_PURPOSE)
    # The admin sees the history on the company page, the chamber's staff on theirs.
    page = admin.get(reverse("me:company")).content.decode()
    assert "ingetrokken" in page and "door Bart Claes" in page


def test_each_purpose_is_recorded_on_its_own_and_saving_unchanged_records_nothing(
    company, company_admin
):
    admin = client_for(company_admin)
    admin.post(CONSENT, {"directory_consent": "on"})
    admin.post(CONSENT, {"directory_consent": "on"})

    (record,) = company.consent_records.all()
    assert (record.purpose, record.given) == ("directory", True)
    company.refresh_from_db()
    assert company.directory_consent and not company.partner_consent


def test_a_colleague_who_is_no_admin_changes_nothing(company, member_employee):
    response = client_for(member_employee).post(CONSENT, {"partner_consent": "on"})

    assert response.status_code == 403
    assert not company.consent_records.exists()
    company.refresh_from_db()
    assert not company.partner_consent


def test_a_record_is_never_changed_but_forgets_a_deleted_account(company, company_admin):
    services.company_consent_update(
        company=company, actor=company_admin, directory_consent=True, partner_consent=True
    )
    record = company.consent_records.get(purpose="partners")

    record.given = False
    with pytest.raises(DomainError):
        record.save()
    # Below the model too: the database refuses an UPDATE.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE members_consentrecord SET given = false WHERE id = %s", [record.pk])
    record.refresh_from_db()
    assert record.given is True

    company_admin.delete()

    record.refresh_from_db()
    assert record.recorded_by is None and record.given is True

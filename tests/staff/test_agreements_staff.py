"""Partners and their agreements, made and changed in the back-office (/staff/partners/).

Through chambers.services partner_create / partner_update / agreement_create / agreement_update
/ agreement_end: alliance admins make partners and any agreement; a chamber admin makes, changes
and ends agreements with their own chamber only, never one with the whole alliance.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from alliance.base.models import DomainError
from chambers import services
from chambers.models import Partner, PartnerAgreement
from tests.factories import PartnerAgreementFactory, PartnerFactory, SectorFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def agreement_data(**extra):
    return {
        "title": "Euregio-samenwerking",
        "valid_from": "2026-01-01",
        "valid_until": "",
        "annual_budget": "12000",
        "notes": "",
    } | extra


def test_an_alliance_admin_adds_a_partner_and_an_agreement_with_the_alliance(
    alliance_admin, alliance, centre
):
    admin = client_for(alliance_admin)
    response = admin.post(
        reverse("staff:partner_new"),
        {
            "name": "LIOF",
            "kind": Partner.Kind.DEVELOPMENT_AGENCY,
            "country": "nl",
            "website": "https://liof.example",
            "description": "Ontwikkelingsmaatschappij van Limburg (NL).",
        },
    )

    partner = Partner.objects.get(name="LIOF")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:partner_detail", args=["liof"])
    assert (partner.slug, partner.country) == ("liof", "NL")
    sector = SectorFactory(name="Agrofood")

    response = admin.post(
        reverse("staff:partner_agreement_new", args=[partner.slug]),
        agreement_data(alliance=alliance.pk, competence_centres=[centre.pk], sectors=[sector.pk]),
    )

    assert response.status_code == 302
    agreement = partner.agreements.get()
    assert (agreement.alliance, agreement.chamber) == (alliance, None)
    assert list(agreement.competence_centres.all()) == [centre]
    assert list(agreement.sectors.all()) == [sector]
    page = admin.get(reverse("staff:partner_detail", args=[partner.slug])).content.decode()
    assert "Euregio-samenwerking" in page and centre.name in page and "Agrofood" in page


def test_a_chamber_admin_makes_changes_and_ends_an_agreement_with_their_chamber(
    chamber_admin, this_chamber
):
    partner = PartnerFactory(name="LIOF", slug="liof")
    PartnerAgreementFactory(partner=partner, chamber=this_chamber, title="Eerste")
    admin = client_for(chamber_admin)

    response = admin.post(
        reverse("staff:partner_agreement_new", args=[partner.slug]),
        agreement_data(chamber=this_chamber.pk),
    )
    assert response.status_code == 302
    agreement = partner.agreements.get(title="Euregio-samenwerking")

    response = admin.post(
        reverse("staff:partner_agreement_edit", args=[partner.slug, agreement.pk]),
        agreement_data(title="Euregio 2027", valid_until="2027-12-31"),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title, agreement.valid_until) == ("Euregio 2027", datetime.date(2027, 12, 31))

    response = admin.post(
        reverse("staff:partner_agreement_end", args=[partner.slug, agreement.pk]), follow=True
    )
    agreement.refresh_from_db()
    assert agreement.valid_until == timezone.localdate()
    assert "loopt vandaag af" in response.content.decode()
    # Ending it again says it is over; nothing changes.
    response = admin.post(
        reverse("staff:partner_agreement_end", args=[partner.slug, agreement.pk]), follow=True
    )
    assert "al afgelopen" in response.content.decode()


def test_a_chamber_admin_makes_no_partner_and_no_agreement_with_the_alliance(
    chamber_admin, this_chamber, alliance
):
    partner = PartnerFactory(name="LIOF", slug="liof")
    with_alliance = PartnerAgreementFactory(partner=partner, alliance=alliance, chamber=None)
    PartnerAgreementFactory(partner=partner, chamber=this_chamber)
    admin = client_for(chamber_admin)

    assert admin.get(reverse("staff:partner_new")).status_code == 403
    assert admin.get(reverse("staff:partner_edit", args=[partner.slug])).status_code == 403
    # The alliance's agreement is theirs to read, not to change or end.
    edit = reverse("staff:partner_agreement_edit", args=[partner.slug, with_alliance.pk])
    assert admin.get(edit).status_code == 403
    end = reverse("staff:partner_agreement_end", args=[partner.slug, with_alliance.pk])
    assert admin.post(end).status_code == 403
    # The form offers no alliance: a forged one is ignored, the chamber is required.
    response = admin.post(
        reverse("staff:partner_agreement_new", args=[partner.slug]),
        agreement_data(alliance=alliance.pk),
    )
    assert response.status_code == 400
    assert partner.agreements.count() == 2
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            partner=partner, alliance=alliance, data=agreement_data(), actor=chamber_admin
        )


def test_another_chambers_partner_is_a_404_and_its_agreement_out_of_reach(
    other_chamber_admin, this_chamber, antwerpen
):
    partner = PartnerFactory(name="LIOF", slug="liof")
    agreement = PartnerAgreementFactory(partner=partner, chamber=this_chamber)
    other = client_for(other_chamber_admin)

    assert other.get(reverse("staff:partner_agreement_new", args=[partner.slug])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.agreement_end(agreement=agreement, actor=other_chamber_admin)
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            partner=partner, chamber=this_chamber, data=agreement_data(), actor=other_chamber_admin
        )


def test_an_agreement_ending_before_it_starts_is_refused_next_to_its_end(
    alliance_admin, this_chamber
):
    partner = PartnerFactory(name="LIOF", slug="liof")
    response = client_for(alliance_admin).post(
        reverse("staff:partner_agreement_new", args=[partner.slug]),
        agreement_data(chamber=this_chamber.pk, valid_until="2025-12-31"),
    )

    assert response.status_code == 400
    assert "eindigt niet voor ze begint" in response.content.decode()
    assert not PartnerAgreement.objects.exists()


def test_an_agreement_that_has_not_started_is_not_ended(alliance_admin, this_chamber):
    agreement = PartnerAgreementFactory(
        chamber=this_chamber, valid_from=timezone.localdate() + datetime.timedelta(days=10)
    )
    with pytest.raises(DomainError) as refused:
        services.agreement_end(agreement=agreement, actor=alliance_admin)
    assert refused.value.code == "agreement_not_started"


def test_a_partner_name_taken_is_refused(alliance_admin):
    PartnerFactory(name="LIOF")
    response = client_for(alliance_admin).post(
        reverse("staff:partner_new"),
        {"name": "liof", "kind": Partner.Kind.OTHER, "country": "NL"},
    )
    assert response.status_code == 400
    assert "al een partner met deze naam" in response.content.decode()
    assert Partner.objects.count() == 1

"""The database rejects bad chambers, alliances, roles, agreements and accreditations."""

import datetime

import pytest

from chambers.models import (
    AccreditationPrinciple,
    Chamber,
    StaffRole,
)
from tests.factories import (
    AccreditationAssessmentFactory,
    AccreditationFactory,
    AllianceChamberFactory,
    AllianceFactory,
    ChamberFactory,
    PartnerAgreementFactory,
    PartnerFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.helpers import rejected_by_database

pytestmark = pytest.mark.django_db


def test_the_twelve_principles_and_three_pillars_come_with_the_migrations():
    principles = list(
        AccreditationPrinciple.objects.filter(chamber_kind="local").values_list(
            "number", "name_nl", "name_en"
        )
    )
    assert len(principles) == 12
    assert principles[0] == (1, "Lidmaatschap", "Membership")
    assert principles[8] == (
        9,
        "Territorialiteit en samenwerking met andere Kamers",
        "Territoriality and cooperation with other chambers",
    )
    assert principles[11][1] == "Interne kwaliteitsbewaking"
    pillars = AccreditationPrinciple.objects.filter(chamber_kind="bilateral")
    assert list(pillars.values_list("number", "name_en")) == [
        (1, "Corporate governance"),
        (2, "Quality of service"),
        (3, "Constructive cooperation with the diplomatic posts"),
    ]


def test_principle_numbers_stay_between_1_and_12_and_pillars_between_1_and_3():
    with rejected_by_database("principle_number_in_range"):
        AccreditationPrinciple.objects.create(number=13, name="Dertiende")
    with rejected_by_database("principle_number_in_range"):
        AccreditationPrinciple.objects.create(number=4, chamber_kind="bilateral", name="Vierde")


def test_chamber_country_is_an_iso_code():
    with rejected_by_database("chamber_country_iso2"):
        ChamberFactory(country="be")


def test_a_chamber_joins_an_alliance_once():
    alliance, chamber = AllianceFactory(), ChamberFactory()
    AllianceChamberFactory(alliance=alliance, chamber=chamber, joined_on="2024-01-01")
    with rejected_by_database("alliance_chamber_once"):
        AllianceChamberFactory(alliance=alliance, chamber=chamber, joined_on="2025-01-01")


def test_alliance_target_date_follows_signing():
    with rejected_by_database("alliance_target_after_signing"):
        AllianceFactory(signed_on=datetime.date(2024, 1, 1), target_date=datetime.date(2023, 1, 1))


def test_event_managers_and_chamber_admins_need_a_chamber():
    with rejected_by_database("staff_role_scope"):
        StaffRoleFactory(chamber=None, role=StaffRole.Role.EVENT_MANAGER)
    with rejected_by_database("staff_role_scope"):
        StaffRoleFactory(chamber=None, role=StaffRole.Role.CHAMBER_ADMIN)


def test_alliance_admins_have_no_chamber():
    with rejected_by_database("staff_role_scope"):
        StaffRoleFactory(role=StaffRole.Role.ALLIANCE_ADMIN)
    assert StaffRoleFactory(chamber=None, role=StaffRole.Role.ALLIANCE_ADMIN).pk


def test_one_role_per_user_and_chamber_even_alliance_wide():
    user, chamber = UserFactory(), ChamberFactory()
    StaffRoleFactory(user=user, chamber=chamber, role=StaffRole.Role.VIEWER)
    with rejected_by_database("staff_role_once"):
        StaffRoleFactory(user=user, chamber=chamber, role=StaffRole.Role.CHAMBER_ADMIN)
    StaffRoleFactory(user=user, chamber=None, role=StaffRole.Role.VIEWER)
    with rejected_by_database("staff_role_once"):
        StaffRoleFactory(user=user, chamber=None, role=StaffRole.Role.ALLIANCE_ADMIN)


def test_an_agreement_is_with_the_alliance_or_one_chamber():
    partner, alliance, chamber = PartnerFactory(), AllianceFactory(), ChamberFactory()
    with rejected_by_database("agreement_with_alliance_or_chamber"):
        PartnerAgreementFactory(partner=partner, alliance=alliance, chamber=chamber)
    with rejected_by_database("agreement_with_alliance_or_chamber"):
        PartnerAgreementFactory(partner=partner, chamber=None)


def test_agreement_period_and_budget():
    partner, chamber = PartnerFactory(), ChamberFactory()
    with rejected_by_database("agreement_until_after_from"):
        PartnerAgreementFactory(
            partner=partner, chamber=chamber, valid_from="2022-01-01", valid_until="2021-12-31"
        )
    with rejected_by_database("agreement_budget_not_negative"):
        PartnerAgreementFactory(partner=partner, chamber=chamber, annual_budget=-1)


def test_agreement_themes_come_from_the_apps_above():
    from tests.factories import CompetenceCentreFactory, SectorFactory

    agreement = PartnerAgreementFactory(alliance=AllianceFactory(), title="FIT")
    centre, sector = CompetenceCentreFactory(), SectorFactory()
    agreement.competence_centres.add(centre)
    agreement.sectors.add(sector)
    assert list(agreement.competence_centres.all()) == [centre]
    assert list(agreement.sectors.all()) == [sector]


def test_accreditation_rules():
    chamber = ChamberFactory()
    with rejected_by_database("accreditation_until_after_from"):
        AccreditationFactory(chamber=chamber, valid_from="2025-01-01", valid_until="2024-01-01")
    AccreditationFactory(
        chamber=chamber, valid_from="2022-01-01", valid_until="2025-01-01", status="granted"
    )
    with rejected_by_database("one_granted_accreditation"):
        AccreditationFactory(
            chamber=chamber, valid_from="2025-01-01", valid_until="2028-01-01", status="granted"
        )


def test_one_assessment_per_principle():
    accreditation = AccreditationFactory(valid_from="2025-01-01", valid_until="2028-01-01")
    principle = AccreditationPrinciple.objects.get(chamber_kind="local", number=2)
    AccreditationAssessmentFactory(accreditation=accreditation, principle=principle, compliant=True)
    with rejected_by_database("one_assessment_per_principle"):
        AccreditationAssessmentFactory(
            accreditation=accreditation, principle=principle, compliant=False
        )


def test_in_alliance_with_includes_allies_and_self_but_not_outsiders(mechelen, kempen, limburg):
    assert set(Chamber.objects.in_alliance_with(mechelen)) == {mechelen, kempen}
    assert set(Chamber.objects.in_alliance_with(limburg)) == {limburg}

"""The back-office's members: the list, a company's page, and every membership action."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance.base.models import DomainError
from chambers.models import StaffRole
from members import services
from members.models import Company, Membership, Person
from members.tasks import roll_over_memberships
from tests.factories import (
    CompanyFactory,
    JoinRequestFactory,
    MembershipFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
    staff_user,
)
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


@pytest.fixture
def admin_a(mechelen):
    return staff_user(Role.CHAMBER_ADMIN, mechelen, username="anna", first_name="Anna")


@pytest.fixture
def client_a(admin_a):
    client = Client()
    client.force_login(admin_a)
    return client


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def member_of(chamber, **company):
    new = CompanyFactory(**company)
    MembershipFactory(company=new, chamber=chamber)
    return new


# --- the list -------------------------------------------------------------------------------------


def test_list_shows_the_chamber_s_current_and_past_members_only(
    client_a, mechelen, kempen, company
):
    past = CompanyFactory(name="Oud Lid BV")
    MembershipFactory(
        company=past,
        chamber=mechelen,
        status=Membership.Status.LAPSED,
        valid_from=days(-500),
        valid_until=days(-135),
    )
    member_of(kempen, name="Kempens Staal NV")
    CompanyFactory(name="Nooit Lid BV")
    response = client_a.get(reverse("staff:members"))
    assert response.status_code == 200
    names = [company.name for company in response.context["companies"]]
    assert names == ["Brouwerij Het Anker NV", "Oud Lid BV"]
    content = response.content.decode()
    assert "Vervallen" in content and "Actief" in content
    assert company.enterprise_number_display in content


def test_list_filters_by_status_tier_municipality_and_search(client_a, mechelen, company):
    premium = member_of(mechelen, name="Premium Gent BV", municipality="Bonheiden")
    premium.memberships.update(tier=Membership.Tier.PREMIUM)
    lapsed = CompanyFactory(name="Vervallen Zaak BV")
    MembershipFactory(
        company=lapsed,
        chamber=mechelen,
        status=Membership.Status.LAPSED,
        valid_from=days(-400),
        valid_until=days(-35),
    )

    def names(query):
        response = client_a.get(reverse("staff:members"), query)
        return [c.name for c in response.context["companies"]]

    assert names({"status": "lapsed"}) == ["Vervallen Zaak BV"]
    assert names({"tier": "premium"}) == ["Premium Gent BV"]
    assert names({"municipality": "bonheiden"}) == ["Premium Gent BV"]
    assert names({"q": "anker"}) == ["Brouwerij Het Anker NV"]
    number = company.enterprise_number
    assert names({"q": number[1:]}) == ["Brouwerij Het Anker NV"]  # without the leading zero


def test_list_filters_the_companies_with_pending_join_requests(client_a, mechelen, company):
    member_of(mechelen, name="Zonder Aanvraag BV")
    JoinRequestFactory(company=company, first_name="Nina", last_name="Wouters")
    response = client_a.get(reverse("staff:members"), {"join_requests": "true"})
    assert [c.name for c in response.context["companies"]] == [company.name]
    assert response.context["companies"][0].pending_join_requests == 1


def test_list_narrows_to_one_of_the_user_s_chambers(mechelen, kempen, company):
    user = staff_user(Role.VIEWER, mechelen)
    StaffRoleFactory(user=user, chamber=kempen, role=Role.VIEWER)
    member_of(kempen, name="Kempens Staal NV")
    client = Client()
    client.force_login(user)
    both = client.get(reverse("staff:members"))
    only_kempen = client.get(reverse("staff:members"), {"chamber": "kempen"})
    assert both.context["page"].paginator.count == 2
    assert [c.name for c in only_kempen.context["companies"]] == ["Kempens Staal NV"]
    assert client.get(reverse("staff:members"), {"chamber": "limburg"}).status_code == 404


def test_list_query_count_does_not_grow_with_the_rows(client_a, mechelen):
    def count_for(rows: int) -> None:
        Company.objects.all().delete()
        for n in range(rows):
            company = member_of(mechelen, name=f"Lid {n:02d} BV")
            JoinRequestFactory(company=company, first_name="A", last_name="B")
        response = assert_request_query_count(
            "staff:members as chamber admin, with join requests", client_a, reverse("staff:members")
        )
        assert len(response.context["companies"]) == rows

    count_for(3)
    count_for(12)


# --- a company's page -----------------------------------------------------------------------------


def test_company_page_shows_memberships_people_and_join_requests(
    client_a, mechelen, kempen, company, person
):
    # An earlier period at another chamber is not this chamber's to see.
    MembershipFactory(
        company=company,
        chamber=kempen,
        status=Membership.Status.ENDED,
        valid_from=days(-800),
        valid_until=days(-435),
    )
    JoinRequestFactory(
        user=UserFactory(email="nina@anker.be"),
        company=company,
        first_name="Nina",
        last_name="Wouters",
        message="Ik werk op de boekhouding.",
    )
    response = client_a.get(reverse("staff:member_detail", args=[company.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert [m.chamber.slug for m in response.context["memberships"]] == ["mechelen"]
    assert "Els Janssens" in content and person.email in content
    assert "Nina Wouters" in content and "Ik werk op de boekhouding." in content
    assert "Goedkeuren" in content and "Verlengen" in content and "Beëindigen" in content


def test_company_page_query_count_does_not_grow_with_people_and_requests(client_a, company):
    url = reverse("staff:member_detail", args=[company.slug])

    def count_for(rows: int) -> None:
        company.people.all().delete()
        company.join_requests.all().delete()
        for n in range(rows):
            PersonFactory(company=company)
            JoinRequestFactory(company=company, first_name=f"N{n}", last_name="X")
        assert_request_query_count(
            "staff:member_detail as chamber admin, people and join requests", client_a, url
        )

    count_for(3)
    count_for(12)


def test_unknown_company_is_404(client_a):
    assert client_a.get(reverse("staff:member_detail", args=["bestaat-niet"])).status_code == 404


# --- new members and memberships ------------------------------------------------------------------


def new_member(mechelen, **changes):
    return {
        "name": "Nieuwe Zaak BV",
        "enterprise_number": "BE 0403.170.701",
        "legal_form": "bv",
        "size_class": "small",
        "street": "Grote Markt 1",
        "postcode": "2800",
        "municipality": "Mechelen",
        "website": "",
        "chamber": str(mechelen.pk),
        "tier": "starter",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
        "annual_fee": "250,00",
    } | changes


def test_new_member_creates_the_company_and_its_first_membership(client_a, mechelen):
    response = client_a.post(reverse("staff:member_new"), new_member(mechelen))
    company = Company.objects.get(enterprise_number="0403170701")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:member_detail", args=[company.slug])
    membership = company.memberships.get()
    assert (membership.chamber, membership.tier, membership.status) == (
        mechelen,
        "starter",
        "active",
    )
    assert membership.annual_fee == Decimal("250.00")
    assert membership.valid_until == services.one_year_from(timezone.localdate())


def test_new_member_with_a_known_enterprise_number_writes_nothing(client_a, mechelen, company):
    data = new_member(mechelen, enterprise_number=company.enterprise_number_display)
    response = client_a.post(reverse("staff:member_new"), data)
    assert response.status_code == 200
    assert "Er bestaat al een onderneming met dit ondernemingsnummer" in response.content.decode()
    assert Company.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("enterprise_number", "0403.170.702", "controlegetal"),
        ("enterprise_number", "12345", "10 cijfers"),
        ("postcode", "280", "4 cijfers"),
        ("annual_fee", "-5", "Schrijf een bedrag van 0 of meer"),
    ],
)
def test_new_member_shows_errors_next_to_the_field(client_a, mechelen, field, value, message):
    response = client_a.post(reverse("staff:member_new"), new_member(mechelen, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Company.objects.exists()


def test_new_member_whose_membership_is_refused_leaves_no_company(client_a, mechelen):
    over = (timezone.localdate() - datetime.timedelta(days=400)).isoformat()
    response = client_a.post(reverse("staff:member_new"), new_member(mechelen, valid_from=over))
    assert "Deze periode is al voorbij." in response.content.decode()
    assert not Company.objects.exists()


def test_new_membership_after_the_old_one_ended(client_a, mechelen, company):
    company.memberships.update(status=Membership.Status.ENDED)
    response = client_a.post(
        reverse("staff:membership_new", args=[company.slug]),
        {
            "chamber": mechelen.pk,
            "tier": "premium",
            "valid_from": timezone.localdate().isoformat(),
            "annual_fee": "900",
        },
    )
    assert response.status_code == 302
    assert company.memberships.filter(status="active", tier="premium").count() == 1


def test_new_membership_while_active_is_refused_by_the_constraint(client_a, mechelen, company):
    response = client_a.post(
        reverse("staff:membership_new", args=[company.slug]),
        {
            "chamber": mechelen.pk,
            "tier": "standard",
            "valid_from": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "annual_fee": "450",
        },
    )
    assert response.status_code == 200
    assert "heeft al een actief lidmaatschap" in response.content.decode()
    assert company.memberships.count() == 1


def test_new_membership_at_a_chamber_not_managed_is_refused(admin_a, kempen, company):
    with pytest.raises(DomainError) as refused:
        services.membership_create(
            company=company,
            chamber=kempen,
            actor=admin_a,
            tier="standard",
            valid_from=days(400),
            valid_until=days(765),
            annual_fee=Decimal(450),
        )
    assert refused.value.code == "not_member_staff"


# --- renew, lapse, end ----------------------------------------------------------------------------


def test_renewing_in_advance_waits_as_pending_then_rolls_over(client_a, company):
    current = company.memberships.get()
    response = client_a.post(
        reverse("staff:membership_renew", args=[company.slug, current.pk]),
        {"tier": "premium", "annual_fee": "800"},
    )
    assert response.status_code == 302
    renewal = company.memberships.exclude(pk=current.pk).get()
    assert renewal.status == "pending"
    assert renewal.valid_from == current.valid_until + datetime.timedelta(days=1)
    assert renewal.valid_until == services.one_year_from(renewal.valid_from)
    assert (renewal.tier, renewal.annual_fee) == ("premium", Decimal(800))
    current.refresh_from_db()
    assert current.status == "active"  # member terms go on until the last day

    # Nothing changes before the first day of the new period...
    assert services.membership_roll_over(on=current.valid_until) == 0
    # ...and on it the old period closes and the new one is the active one.
    assert services.membership_roll_over(on=renewal.valid_from) == 1
    current.refresh_from_db()
    renewal.refresh_from_db()
    assert (current.status, renewal.status) == ("ended", "active")
    assert services.membership_roll_over(on=renewal.valid_from) == 0  # idempotent


def test_roll_over_task_runs_the_service(company):
    current = company.memberships.get()
    current.valid_from, current.valid_until = days(-400), days(-1)
    current.save()
    MembershipFactory(
        company=company,
        chamber=current.chamber,
        status="pending",
        valid_from=days(0),
        valid_until=days(364),
        annual_fee=Decimal(450),
    )
    assert roll_over_memberships.delay().get() == 1
    assert company.memberships.get(status="active").valid_from == days(0)


def test_renewing_late_ends_the_old_period_and_starts_the_new_one(client_a, company):
    current = company.memberships.get()
    current.valid_from, current.valid_until = days(-400), days(-10)
    current.status = Membership.Status.LAPSED
    current.save()
    client_a.post(
        reverse("staff:membership_renew", args=[company.slug, current.pk]),
        {"tier": "standard", "annual_fee": "450"},
    )
    current.refresh_from_db()
    renewal = company.memberships.exclude(pk=current.pk).get()
    assert (current.status, renewal.status) == ("ended", "active")
    assert renewal.valid_from == days(-9)
    assert renewal.is_current()


def test_renew_form_shows_the_new_period(client_a, company):
    current = company.memberships.get()
    response = client_a.get(reverse("staff:membership_renew", args=[company.slug, current.pk]))
    assert response.status_code == 200
    assert response.context["starts"] == current.valid_until + datetime.timedelta(days=1)
    assert response.context["form"].initial["annual_fee"] == current.annual_fee


def test_renewing_twice_or_an_ended_period_is_refused(client_a, admin_a, company):
    current = company.memberships.get()
    services.membership_renew(membership=current, actor=admin_a)
    with pytest.raises(DomainError) as followed:
        services.membership_renew(membership=current, actor=admin_a)
    assert followed.value.code == "membership_followed"
    pending = company.memberships.get(status="pending")
    services.membership_end(membership=pending, actor=admin_a)
    current.refresh_from_db()
    services.membership_end(membership=current, actor=admin_a)
    with pytest.raises(DomainError) as ended:
        services.membership_renew(membership=current, actor=admin_a)
    assert ended.value.code == "not_renewable"
    # Through the page: a message, never a 500.
    response = client_a.post(
        reverse("staff:membership_renew", args=[company.slug, current.pk]),
        {"tier": "standard", "annual_fee": "450"},
        follow=True,
    )
    assert "Alleen een actief of vervallen lidmaatschap kan verlengd worden." in (
        response.content.decode()
    )


def test_lapse_stops_member_terms(client_a, company):
    current = company.memberships.get()
    response = client_a.post(reverse("staff:membership_lapse", args=[company.slug, current.pk]))
    current.refresh_from_db()
    assert response.status_code == 302
    assert current.status == "lapsed"
    assert not Membership.objects.current().filter(company=company).exists()
    again = client_a.post(
        reverse("staff:membership_lapse", args=[company.slug, current.pk]), follow=True
    )
    assert "Alleen een actief lidmaatschap kan vervallen." in again.content.decode()


def test_end_closes_the_membership(client_a, company):
    current = company.memberships.get()
    client_a.post(reverse("staff:membership_end", args=[company.slug, current.pk]))
    current.refresh_from_db()
    assert current.status == "ended"


def test_lapse_and_end_refuse_get(client_a, company):
    current = company.memberships.get()
    assert (
        client_a.get(reverse("staff:membership_end", args=[company.slug, current.pk])).status_code
        == 405
    )


def test_membership_of_another_chamber_is_404_even_for_the_company_s_page(
    client_a, kempen, company
):
    other = MembershipFactory(
        company=company,
        chamber=kempen,
        status=Membership.Status.ENDED,
        valid_from=days(-800),
        valid_until=days(-435),
    )
    response = client_a.post(reverse("staff:membership_end", args=[company.slug, other.pk]))
    assert response.status_code == 404


# --- join requests --------------------------------------------------------------------------------


def test_approving_a_join_request_links_the_person(client_a, company):
    newcomer = UserFactory(username="nina", email="nina@anker.be")
    join_request = JoinRequestFactory(
        user=newcomer, company=company, first_name="Nina", last_name="Wouters"
    )
    response = client_a.post(
        reverse("staff:member_join_request", args=[company.slug, join_request.pk]),
        {"action": "approve"},
    )
    assert response.status_code == 302
    person = Person.objects.get(user=newcomer)
    assert person.company == company
    join_request.refresh_from_db()
    assert join_request.status == "approved"


def test_approving_sends_the_e_mail_after_the_commit(
    client_a, company, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(username="nina", email="nina@anker.be")
    join_request = JoinRequestFactory(
        user=newcomer, company=company, first_name="Nina", last_name="Wouters"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(
            reverse("staff:member_join_request", args=[company.slug, join_request.pk]),
            {"action": "reject"},
        )
    join_request.refresh_from_db()
    assert join_request.status == "rejected"
    assert [message.to for message in mail.outbox] == [["nina@anker.be"]]


def test_a_decided_join_request_is_a_message_not_an_error(client_a, company):
    join_request = JoinRequestFactory(
        company=company,
        first_name="Nina",
        last_name="Wouters",
        status="rejected",
        decided_at=timezone.now(),
    )
    response = client_a.post(
        reverse("staff:member_join_request", args=[company.slug, join_request.pk]),
        {"action": "approve"},
        follow=True,
    )
    assert "Over deze aanvraag is al beslist." in response.content.decode()

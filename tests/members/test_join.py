"""Joining a company: asking by enterprise number, and the company (or its chamber) deciding."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from alliance.base.models import DomainError
from chambers.models import StaffRole
from members import services
from members.enterprise_numbers import with_check_digits
from members.models import JoinRequest, Person
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    staff_user,
)
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth keeps its rate limits in the cache, which outlives a test.
    cache.clear()


@pytest.fixture
def admin_person(company):
    user = UserFactory(username="bart", email="bart@hetanker.be")
    return PersonFactory(
        company=company,
        user=user,
        email=user.email,
        role=Person.Role.ADMIN,
        first_name="Bart",
        last_name="Claes",
    )


@pytest.fixture
def admin_client(admin_person):
    return client_for(admin_person.user)


@pytest.fixture
def newcomer():
    return UserFactory(username="nina", email="nina@hetanker.be")


@pytest.fixture
def newcomer_client(newcomer):
    return client_for(newcomer)


def join_data(company, **changes):
    return {
        "enterprise_number": company.enterprise_number_display,
        "first_name": "Nina",
        "last_name": "Wouters",
        "job_title": "Aankoper",
        "message": "Ik werk op de aankoopdienst.",
    } | changes


# --- the whole journey ---------------------------------------------------------------------------


def test_from_sign_up_to_my_portal(
    client, company, admin_person, admin_client, django_capture_on_commit_callbacks
):
    # Sign up with allauth: the account waits for its e-mail address to be confirmed.
    response = client.post(
        "/accounts/signup/",
        {"email": "nina@hetanker.be", "password1": "Hop-en-mout-42", "password2": "Hop-en-mout-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "Bevestig je e-mailadres" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nina@hetanker.be"] and message.subject == "Bevestig je e-mailadres"
    link = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert link, message.body

    # Logging in before confirming only sends another mail.
    client.post("/accounts/login/", {"login": "nina@hetanker.be", "password": "Hop-en-mout-42"})
    assert "_auth_user_id" not in client.session

    page = client.get(link.group(1))
    assert page.status_code == 200 and "nina@hetanker.be" in page.content.decode()
    assert client.post(link.group(1)).status_code == 302
    assert EmailAddress.objects.get(email="nina@hetanker.be").verified

    # Log in: a user without a company lands on the page that asks to join one.
    response = client.post(
        "/accounts/login/", {"login": "nina@hetanker.be", "password": "Hop-en-mout-42"}
    )
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert "Vraag toegang tot je onderneming" in client.get("/me/").content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/me/join/", join_data(company))
    assert response.status_code == 302
    join_request = JoinRequest.objects.get(user__email="nina@hetanker.be")
    assert join_request.company == company and join_request.status == JoinRequest.Status.PENDING
    page = client.get("/me/").content.decode()
    assert "Je aanvraag wacht op goedkeuring" in page and company.name in page
    assert client.get("/me/company/")["Location"] == "/me/", "no company pages yet"

    # The company admin hears of it, and approves.
    (notice,) = mail.outbox
    assert notice.to == [admin_person.email]
    assert notice.subject == f"Nina Wouters vraagt toegang tot {company.name}"
    assert f"/me/company/requests/{join_request.pk}/" in notice.body
    assert "Nina Wouters" in admin_client.get("/me/company/").content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/me/company/requests/{join_request.pk}/", {"action": "approve"}
        )
    assert response.status_code == 302 and response["Location"] == "/me/company/"

    person = Person.objects.get(user=join_request.user)
    assert person.company == company and person.role == Person.Role.EMPLOYEE
    assert (person.first_name, person.last_name, person.job_title) == (
        "Nina",
        "Wouters",
        "Aankoper",
    )
    assert person.email == "nina@hetanker.be"
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == admin_person.user and join_request.decided_at
    (welcome,) = mail.outbox
    assert welcome.to == ["nina@hetanker.be"]
    assert welcome.subject == f"Je hoort nu bij {company.name}"

    page = client.get("/me/").content.decode()
    assert "Mijn portaal" in page and "Komende activiteiten" in page
    assert client.get("/me/company/").status_code == 200


# --- asking --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("0403.170.702", "Het controlegetal van dit ondernemingsnummer klopt niet."),
        ("12345", "Een ondernemingsnummer telt 10 cijfers"),
        (with_check_digits("09999999"), "We vinden geen onderneming met ondernemingsnummer"),
    ],
)
def test_a_wrong_enterprise_number_is_a_form_error(
    newcomer_client, company, admin_person, number, error, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = newcomer_client.post("/me/join/", join_data(company, enterprise_number=number))
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    # Next to the field, announced.
    assert 'id="id_enterprise_number_error" role="alert"' in page
    assert not JoinRequest.objects.exists()
    assert not mail.outbox


def test_the_number_may_be_typed_any_way(newcomer_client, company):
    number = company.enterprise_number
    newcomer_client.post("/me/join/", join_data(company, enterprise_number=f"BE {number}"))
    assert JoinRequest.objects.get().company == company


def test_one_pending_request_at_a_time(newcomer, newcomer_client, company, kempen):
    newcomer_client.post("/me/join/", join_data(company))
    other = CompanyFactory()
    response = newcomer_client.post("/me/join/", join_data(other))
    assert response.status_code == 200
    assert "Je hebt al een aanvraag die op goedkeuring wacht." in response.content.decode()
    assert JoinRequest.objects.count() == 1
    with pytest.raises(DomainError) as refused:
        services.join_request_create(
            user=newcomer,
            enterprise_number=other.enterprise_number,
            first_name="Nina",
            last_name="Wouters",
        )
    assert refused.value.code == "join_request_pending"


def test_someone_who_belongs_to_a_company_cannot_ask_again(member_user, member_client, company):
    response = member_client.post("/me/join/", join_data(company))
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert not JoinRequest.objects.exists()
    with pytest.raises(DomainError) as refused:
        services.join_request_create(
            user=member_user,
            enterprise_number=company.enterprise_number,
            first_name="Els",
            last_name="Janssens",
        )
    assert refused.value.code == "already_a_person"


def test_a_company_without_admins_is_looked_after_by_its_chamber(
    newcomer_client, company, mechelen, kempen, django_capture_on_commit_callbacks
):
    chamber_admin = staff_user(
        StaffRole.Role.CHAMBER_ADMIN, mechelen, username="staff", email="leden@mechelen.example"
    )
    staff_user(
        StaffRole.Role.EVENT_MANAGER, mechelen, username="events", email="events@mechelen.example"
    )
    staff_user(
        StaffRole.Role.CHAMBER_ADMIN, kempen, username="kempen", email="leden@kempen.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        newcomer_client.post("/me/join/", join_data(company))
    (notice,) = mail.outbox
    assert notice.to == [chamber_admin.email]


def test_every_company_admin_hears_of_a_request(
    newcomer_client, company, admin_person, django_capture_on_commit_callbacks
):
    second = PersonFactory(
        company=company, role=Person.Role.ADMIN, email="an@hetanker.be", preferred_language="fr"
    )
    with django_capture_on_commit_callbacks(execute=True):
        newcomer_client.post("/me/join/", join_data(company))
    assert sorted(address for message in mail.outbox for address in message.to) == [
        second.email,
        admin_person.email,
    ]


# --- deciding ------------------------------------------------------------------------------------


@pytest.fixture
def join_request(newcomer, company):
    return services.join_request_create(
        user=newcomer,
        enterprise_number=company.enterprise_number,
        first_name="Nina",
        last_name="Wouters",
        job_title="Aankoper",
        message="Aankoopdienst",
    )


def test_the_decision_page(admin_client, join_request):
    response = admin_client.get(f"/me/company/requests/{join_request.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nina Wouters" in page and "nina@hetanker.be" in page and "Aankoopdienst" in page
    assert 'value="approve"' in page and 'value="reject"' in page


def test_reject(admin_client, join_request, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/me/company/requests/{join_request.pk}/", {"action": "reject"})
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.REJECTED and join_request.decided_at
    assert not Person.objects.filter(user=join_request.user).exists()
    (notice,) = mail.outbox
    assert notice.to == ["nina@hetanker.be"] and "niet goedgekeurd" in notice.subject
    # The requester sees the outcome and may ask again.
    page = client_for(join_request.user).get("/me/").content.decode()
    assert "werd afgewezen" in page and 'name="enterprise_number"' in page


def test_a_decided_request_stays_decided(admin_client, join_request):
    url = f"/me/company/requests/{join_request.pk}/"
    admin_client.post(url, {"action": "reject"})
    response = admin_client.post(url, {"action": "approve"}, follow=True)
    assert "Over deze aanvraag is al beslist." in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.REJECTED
    assert not Person.objects.filter(user=join_request.user).exists()


def test_approval_links_a_person_the_company_already_listed(admin_client, join_request, company):
    listed = PersonFactory(company=company, email="nina@hetanker.be", first_name="Nina")
    admin_client.post(f"/me/company/requests/{join_request.pk}/", {"action": "approve"})
    listed.refresh_from_db()
    assert listed.user == join_request.user
    assert company.people.filter(email="nina@hetanker.be").count() == 1


@pytest.mark.parametrize("role", ["chamber_admin", "alliance_admin"])
def test_the_home_chambers_staff_may_decide(join_request, mechelen, role):
    staff = staff_user(role, mechelen if role == "chamber_admin" else None, username="staff")
    client = client_for(staff)  # staff without a Person of their own
    url = f"/me/company/requests/{join_request.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 302 and response["Location"] == url
    assert Person.objects.filter(user=join_request.user).exists()


def _outsiders(company, kempen):
    other = CompanyFactory()
    MembershipFactory(company=other, chamber=kempen)
    other_admin = UserFactory(username="other-admin")
    PersonFactory(company=other, user=other_admin, role=Person.Role.ADMIN)
    employee = UserFactory(username="employee")
    PersonFactory(company=company, user=employee)
    kempen_admin = staff_user("chamber_admin", kempen, username="kempen-admin")
    mechelen_events = staff_user(
        "event_manager", company.memberships.get().chamber, username="mechelen-events"
    )
    return {
        "another company's admin": other_admin,
        "an employee": employee,
        "another chamber's admin": kempen_admin,
        "an event manager": mechelen_events,
        "the requester": None,
    }


def test_nobody_else_may_decide(join_request, company, kempen):
    url = f"/me/company/requests/{join_request.pk}/"
    for who, user in _outsiders(company, kempen).items():
        client = client_for(user or join_request.user)
        assert client.get(url).status_code == 404, who
        assert client.post(url, {"action": "approve"}).status_code == 404, who
        with pytest.raises(DomainError):
            services.join_request_approve(join_request=join_request, actor=user)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING
    assert not Person.objects.filter(user=join_request.user).exists()


def test_visitors_are_sent_to_log_in(client, join_request):
    response = client.get(f"/me/company/requests/{join_request.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_unknown_request_is_404(admin_client):
    assert admin_client.get("/me/company/requests/999999/").status_code == 404


def test_join_requests_are_limited_per_address(newcomer_client, company, settings):
    """Like a prospect's registration (ACCOUNT_RATE_LIMITS): nobody asks by script."""
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"join_request": "1/h/ip"}
    cache.clear()
    newcomer_client.post("/me/join/", join_data(company, enterprise_number="0403.170.702"))
    response = newcomer_client.post("/me/join/", join_data(company))
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()
    assert not JoinRequest.objects.exists()

"""Who may do what in the back-office's members, requests, imports, figures and dashboard.

One matrix: every role × every action, with the status each must get. Chamber A is Mechelen: the
company is its member, the competence centre is led by it. Chamber B (Kempen) is another chamber
of the alliance; chamber C (Antwerpen-Waasland) is the home chamber of the company that asks the
centre a question, so its staff read that request but do not act on it.

visitor → log-in page; member employee and company admin → 403; viewer and event manager of A →
read (GET 200) but no write (403); chamber admin of A and alliance admin → write; staff of
another chamber → 404 for A's companies and requests (never a leak). The pages that only serve a
write (new member, new membership, renew, imports) are 403 on GET too for those who cannot write.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chambers.models import StaffRole
from members.models import JoinRequest, Person
from tests.factories import (
    AllianceChamberFactory,
    ChamberFactory,
    CompanyFactory,
    CompetenceCentreFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

Role = StaffRole.Role

ROLES = (
    "visitor",
    "member_employee",
    "company_admin",
    "viewer_a",
    "event_manager_a",
    "chamber_admin_a",
    "chamber_admin_b",
    "chamber_admin_c",
    "alliance_admin",
)

LOGIN, OK, DONE, FORBIDDEN, NOT_FOUND = "login", 200, 302, 403, 404


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def world(alliance, mechelen, kempen, company, person, member_user):
    """Chambers A, B, C, the company of A with its people, a pending join request, and a
    question to A's centre from a member of C."""
    antwerpen = ChamberFactory(name="Voka – KvK Antwerpen-Waasland", short_name="Antwerpen")
    AllianceChamberFactory(alliance=alliance, chamber=antwerpen)
    admin_user = UserFactory(username="bart")
    PersonFactory(company=company, user=admin_user, role=Person.Role.ADMIN)
    newcomer = UserFactory(username="nina")
    join_request = JoinRequest.objects.create(
        user=newcomer, company=company, first_name="Nina", last_name="Wouters"
    )
    centre = CompetenceCentreFactory(
        name="Duurzaam ondernemen", lead_chamber=mechelen, alliance=alliance
    )
    asking = CompanyFactory(name="Haven Logistiek NV")
    MembershipFactory(company=asking, chamber=antwerpen)
    asker = PersonFactory(company=asking)
    service_request = asker.service_requests.create(
        company=asking, centre=centre, message="Hoe maken we onze vloot zuiniger?"
    )
    users = {
        "visitor": None,
        "member_employee": member_user,
        "company_admin": admin_user,
        "viewer_a": staff_user(Role.VIEWER, mechelen),
        "event_manager_a": staff_user(Role.EVENT_MANAGER, mechelen),
        "chamber_admin_a": staff_user(Role.CHAMBER_ADMIN, mechelen, username="anna"),
        "chamber_admin_b": staff_user(Role.CHAMBER_ADMIN, kempen),
        "chamber_admin_c": staff_user(Role.CHAMBER_ADMIN, antwerpen),
        "alliance_admin": staff_user(Role.ALLIANCE_ADMIN),
    }
    return {
        "company": company,
        "membership": company.memberships.get(),
        "join_request": join_request,
        "service_request": service_request,
        "users": users,
        "mechelen": mechelen,
    }


def new_member_data(world) -> dict:
    return {
        "name": "Nieuwe Zaak BV",
        "enterprise_number": "0403.170.701",
        "legal_form": "bv",
        "size_class": "small",
        "postcode": "2800",
        "municipality": "Mechelen",
        "chamber": str(world["mechelen"].pk),
        "tier": "standard",
        "valid_from": timezone.localdate().isoformat(),
        "annual_fee": "450.00",
    }


def upload(world):
    content = (
        "ondernemingsnummer,naam,grootte,postcode,gemeente,kamer,formule,geldig_vanaf,"
        "geldig_tot,jaarbijdrage\n"
        "0403.170.701,Nieuwe Zaak BV,small,2800,Mechelen,mechelen,standard,2025-01-01,"
        "2025-12-31,450\n"
    )
    return {"file": SimpleUploadedFile("leden.csv", content.encode(), "text/csv")}


def later(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# Each action: (method, url, data, expected status per role). A role not listed gets `rest`.
def actions(world):
    company, membership = world["company"], world["membership"]
    join_request, service_request = world["join_request"], world["service_request"]
    slug = company.slug
    staff_read = {"viewer_a": OK, "event_manager_a": OK, "chamber_admin_a": OK}
    staff_write_page = {"viewer_a": FORBIDDEN, "event_manager_a": FORBIDDEN}
    staff_write = {"viewer_a": FORBIDDEN, "event_manager_a": FORBIDDEN}
    everyone_staff = dict.fromkeys(
        [
            "viewer_a",
            "event_manager_a",
            "chamber_admin_a",
            "chamber_admin_b",
            "chamber_admin_c",
            "alliance_admin",
        ],
        OK,
    )
    return {
        "dashboard": ("get", reverse("staff:dashboard"), None, everyone_staff),
        "members list": ("get", reverse("staff:members"), None, everyone_staff),
        "member page": (
            "get",
            reverse("staff:member_detail", args=[slug]),
            None,
            staff_read
            | {"chamber_admin_b": NOT_FOUND, "chamber_admin_c": NOT_FOUND}
            | {"alliance_admin": OK},
        ),
        "new member form": (
            "get",
            reverse("staff:member_new"),
            None,
            staff_write_page
            | {"chamber_admin_a": OK, "chamber_admin_b": OK, "chamber_admin_c": OK}
            | {"alliance_admin": OK},
        ),
        "new member": (
            "post",
            reverse("staff:member_new"),
            new_member_data(world),
            # Staff of B and C may add members, but not at A: the form refuses chamber A.
            staff_write
            | {"chamber_admin_a": DONE, "chamber_admin_b": OK, "chamber_admin_c": OK}
            | {"alliance_admin": DONE},
        ),
        "new membership form": (
            "get",
            reverse("staff:membership_new", args=[slug]),
            None,
            staff_write_page
            | {"chamber_admin_a": OK, "chamber_admin_b": NOT_FOUND, "chamber_admin_c": NOT_FOUND}
            | {"alliance_admin": OK},
        ),
        "new membership": (
            "post",
            reverse("staff:membership_new", args=[slug]),
            {
                "chamber": str(world["mechelen"].pk),
                "tier": "premium",
                "valid_from": later(400),
                "annual_fee": "900",
            },
            staff_write
            | {"chamber_admin_a": DONE, "chamber_admin_b": NOT_FOUND, "chamber_admin_c": NOT_FOUND}
            | {"alliance_admin": DONE},
        ),
        "renew form": (
            "get",
            reverse("staff:membership_renew", args=[slug, membership.pk]),
            None,
            staff_write_page
            | {"chamber_admin_a": OK, "chamber_admin_b": NOT_FOUND, "chamber_admin_c": NOT_FOUND}
            | {"alliance_admin": OK},
        ),
        "renew": (
            "post",
            reverse("staff:membership_renew", args=[slug, membership.pk]),
            {"tier": "standard", "annual_fee": "450.00"},
            staff_write
            | {"chamber_admin_a": DONE, "chamber_admin_b": NOT_FOUND, "chamber_admin_c": NOT_FOUND}
            | {"alliance_admin": DONE},
        ),
        "lapse": (
            "post",
            reverse("staff:membership_lapse", args=[slug, membership.pk]),
            {},
            staff_write
            | {"chamber_admin_a": DONE, "chamber_admin_b": NOT_FOUND, "chamber_admin_c": NOT_FOUND}
            | {"alliance_admin": DONE},
        ),
        "end": (
            "post",
            reverse("staff:membership_end", args=[slug, membership.pk]),
            {},
            staff_write
            | {"chamber_admin_a": DONE, "chamber_admin_b": NOT_FOUND, "chamber_admin_c": NOT_FOUND}
            | {"alliance_admin": DONE},
        ),
        "approve join request": (
            "post",
            reverse("staff:member_join_request", args=[slug, join_request.pk]),
            {"action": "approve"},
            staff_write
            | {"chamber_admin_a": DONE, "chamber_admin_b": NOT_FOUND, "chamber_admin_c": NOT_FOUND}
            | {"alliance_admin": DONE},
        ),
        "requests inbox": ("get", reverse("staff:requests"), None, everyone_staff),
        "request page": (
            "get",
            reverse("staff:request_detail", args=[service_request.pk]),
            None,
            # C reads its member's request; B has nothing to do with it.
            staff_read
            | {"chamber_admin_b": NOT_FOUND, "chamber_admin_c": OK, "alliance_admin": OK},
        ),
        **{
            f"request {verb}": (
                "post",
                reverse(f"staff:request_{verb}", args=[service_request.pk]),
                data,
                staff_write
                | {"chamber_admin_a": DONE, "chamber_admin_b": NOT_FOUND}
                | {"chamber_admin_c": FORBIDDEN, "alliance_admin": DONE},
            )
            for verb, data in (
                ("assign", {"assignee": "ASSIGNEE"}),
                ("reply", {"message": "We bellen je deze week."}),
                ("complete", {}),
                ("decline", {"message": ""}),
            )
        },
        "imports page": (
            "get",
            reverse("staff:imports"),
            None,
            staff_write_page
            | {"chamber_admin_a": OK, "chamber_admin_b": OK, "chamber_admin_c": OK}
            | {"alliance_admin": OK},
        ),
        "import upload": (
            "post",
            reverse("staff:imports"),
            "UPLOAD",
            # Every importer may upload; a row for a chamber not theirs is an error in the report.
            staff_write
            | {"chamber_admin_a": DONE, "chamber_admin_b": DONE, "chamber_admin_c": DONE}
            | {"alliance_admin": DONE},
        ),
        "figures": ("get", reverse("staff:figures"), None, everyone_staff),
        "figures of A": (
            "get",
            reverse("staff:figures") + "?chamber=mechelen",
            None,
            staff_read
            | {"chamber_admin_b": NOT_FOUND, "chamber_admin_c": NOT_FOUND, "alliance_admin": OK},
        ),
        "figures CSV of A": (
            "get",
            reverse("staff:figures") + "?chamber=mechelen&format=csv&figure=matrix",
            None,
            staff_read
            | {"chamber_admin_b": NOT_FOUND, "chamber_admin_c": NOT_FOUND, "alliance_admin": OK},
        ),
    }


ACTIONS = (
    "dashboard",
    "members list",
    "member page",
    "new member form",
    "new member",
    "new membership form",
    "new membership",
    "renew form",
    "renew",
    "lapse",
    "end",
    "approve join request",
    "requests inbox",
    "request page",
    "request assign",
    "request reply",
    "request complete",
    "request decline",
    "imports page",
    "import upload",
    "figures",
    "figures of A",
    "figures CSV of A",
)


def expected_for(table: dict, role: str):
    if role == "visitor":
        return LOGIN
    if role in ("member_employee", "company_admin"):
        return FORBIDDEN
    return table[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(world, role, action):
    method, url, data, table = actions(world)[action]
    user = world["users"][role]
    client = Client()
    if user is not None:
        client.force_login(user)
    if data == "UPLOAD":
        data = upload(world)
    elif isinstance(data, dict) and data.get("assignee") == "ASSIGNEE":
        data = {"assignee": str(world["users"]["chamber_admin_a"].pk)}
    response = getattr(client, method)(url, data) if data is not None else client.get(url)
    expected = expected_for(table, role)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, (role, action, response.status_code)
        if expected == DONE:
            assert not response["Location"].startswith(reverse("account_login"))


def test_a_refused_write_changes_nothing(world):
    """A viewer's POST is refused before any service runs."""
    client = Client()
    client.force_login(world["users"]["viewer_a"])
    membership = world["membership"]
    client.post(reverse("staff:membership_end", args=[world["company"].slug, membership.pk]))
    client.post(
        reverse("staff:request_decline", args=[world["service_request"].pk]), {"message": ""}
    )
    membership.refresh_from_db()
    world["service_request"].refresh_from_db()
    assert membership.status == "active"
    assert world["service_request"].status == "new"


def test_staff_of_another_chamber_do_not_see_a_s_members_in_lists(world):
    client = Client()
    client.force_login(world["users"]["chamber_admin_b"])
    members = client.get(reverse("staff:members"))
    inbox = client.get(reverse("staff:requests"))
    assert world["company"].name not in members.content.decode()
    assert "Haven Logistiek" not in inbox.content.decode()
    assert members.context["page"].paginator.count == 0


def test_viewers_see_no_write_buttons(world):
    client = Client()
    client.force_login(world["users"]["viewer_a"])
    page = client.get(reverse("staff:member_detail", args=[world["company"].slug])).content
    page = page.decode()
    assert "Verlengen" not in page
    assert "Goedkeuren" not in page
    assert reverse("staff:membership_new", args=[world["company"].slug]) not in page
    request_page = client.get(
        reverse("staff:request_detail", args=[world["service_request"].pk])
    ).content.decode()
    assert "Verstuur antwoord" not in request_page


def test_home_chamber_reads_the_request_without_buttons(world):
    client = Client()
    client.force_login(world["users"]["chamber_admin_c"])
    page = client.get(reverse("staff:request_detail", args=[world["service_request"].pk]))
    content = page.content.decode()
    assert "Hoe maken we onze vloot zuiniger?" in content
    assert "Jij kunt ze alleen lezen" in content
    assert reverse("staff:request_reply", args=[world["service_request"].pk]) not in content


def test_fee_of_new_membership_is_what_was_posted(world):
    """The matrix's "new membership" really wrote a pending period (not just a redirect)."""
    client = Client()
    client.force_login(world["users"]["chamber_admin_a"])
    method, url, data, _ = actions(world)["new membership"]
    client.post(url, data)
    latest = world["company"].memberships.order_by("-valid_from").first()
    assert (latest.status, latest.tier, latest.annual_fee) == ("pending", "premium", Decimal(900))

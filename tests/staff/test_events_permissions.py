"""Who may do what in the events back-office: every role × every page and action.

The event belongs to chamber A (Kempen). Visitors are sent to log in; members (employee or
company admin) are refused (403); a viewer of A reads (GET 200) but writes nothing (403); event
managers and chamber admins of A and alliance admins act; staff of another chamber (Mechelen)
do not even learn the event exists (404). Refused requests write nothing.
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from chambers.models import StaffRole
from events import services
from events.models import Event, Registration
from members.models import Person
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db

Role = StaffRole.Role

ROLES = [
    "visitor",
    "member_employee",
    "company_admin",
    "viewer",
    "event_manager",
    "chamber_admin",
    "alliance_admin",
    "staff_of_other_chamber",
]

LOGIN = "login"


@pytest.fixture
def world(event, company, kempen, mechelen, member_user):
    """The Kempen forum: 2 confirmed, 2 waiting and one place free (so that staff can promote);
    a draft of Kempen too."""
    event.capacity = 2
    event.save()
    people = [PersonFactory(company=company, first_name=f"P{n}") for n in range(4)]
    registrations = [services.registration_create(event=event, person=p) for p in people]
    Event.objects.filter(pk=event.pk).update(capacity=3)
    event.refresh_from_db()
    draft = Event.objects.create(
        title_nl="Ontwerp",
        slug="ontwerp",
        kind=Event.Kind.WORKSHOP,
        organiser=kempen,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        city="Geel",
        status=Event.Status.DRAFT,
    )
    mail.outbox.clear()
    return {"event": event, "draft": draft, "registrations": registrations, "company": company}


def user_for(role, world, member_user, kempen, mechelen):
    if role == "visitor":
        return None
    if role == "member_employee":
        return member_user
    if role == "company_admin":
        admin = UserFactory()
        PersonFactory(company=world["company"], user=admin, role=Person.Role.ADMIN)
        return admin
    chamber = {
        "viewer": kempen,
        "event_manager": kempen,
        "chamber_admin": kempen,
        "alliance_admin": None,
        "staff_of_other_chamber": mechelen,
    }[role]
    staff_role = {
        "viewer": Role.VIEWER,
        "event_manager": Role.EVENT_MANAGER,
        "chamber_admin": Role.CHAMBER_ADMIN,
        "alliance_admin": Role.ALLIANCE_ADMIN,
        "staff_of_other_chamber": Role.EVENT_MANAGER,
    }[role]
    return staff_user(staff_role, chamber)


def snapshot():
    """Everything a write could change."""
    return (
        list(
            Event.objects.order_by("pk").values_list("pk", "status", "capacity", "title_nl", "city")
        ),
        list(
            Registration.objects.order_by("pk").values_list(
                "pk", "status", "waiting_list_position", "checked_in_at"
            )
        ),
        Person.objects.count(),
        len(mail.outbox),
    )


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def event_form(event, kempen):
    return {
        "title_nl": "Gewijzigd",
        "kind": "forum",
        "organiser": str(kempen.pk),
        "starts_at": local(event.starts_at),
        "ends_at": local(event.ends_at),
        "city": "Turnhout",
        "country": "BE",
        "language": "nl",
        "capacity": "4",
        "has_waiting_list": "on",
        "member_price": "45",
        "non_member_price": "95",
        "audience": "everyone",
    }


# name: (method, path, data, the access it needs, the status when allowed). Access: "read" (any
# staff role at A), "write" (an event role at A), "create" (an event role anywhere), "list" (any
# staff role).
def actions(world, kempen):
    event, draft = world["event"], world["draft"]
    first, second, third, fourth = world["registrations"]
    base = f"/staff/events/{event.slug}/"
    return {
        "list": ("get", "/staff/events/", None, "list", 200),
        "new (page)": ("get", "/staff/events/new/", None, "create", 200),
        "new": ("post", "/staff/events/new/", event_form(event, kempen), "create", 302),
        "detail": ("get", base, None, "read", 200),
        "edit (page)": ("get", base + "edit/", None, "write", 200),
        "edit": ("post", base + "edit/", event_form(event, kempen), "write", 302),
        "duplicate": ("post", base + "duplicate/", {}, "write", 302),
        "publish": ("post", f"/staff/events/{draft.slug}/publish/", {}, "write", 302),
        "cancel (page)": ("get", base + "cancel/", None, "write", 200),
        "cancel": ("post", base + "cancel/", {"confirm": "on"}, "write", 302),
        "capacity": ("post", base + "capacity/", {"capacity": "5"}, "write", 302),
        "guest": (
            "post",
            base + "guest/",
            {
                "enterprise_number": world["company"].enterprise_number,
                "first_name": "Gert",
                "last_name": "Gast",
                "email": "gert@example.be",
                "preferred_language": "nl",
            },
            "write",
            302,
        ),
        "check-in (page)": ("get", base + "check-in/", None, "write", 200),
        "check-in": ("post", base + "check-in/", {"ticket_code": first.ticket_code}, "write", 200),
        "promote": ("post", base + f"waiting-list/{fourth.pk}/promote/", {}, "write", 302),
        "move": (
            "post",
            base + f"waiting-list/{fourth.pk}/move/",
            {"direction": "up"},
            "write",
            302,
        ),
        "export": ("post", base + "export/", {"format": "csv"}, "read", 200),
    }


ACTIONS = [
    "list",
    "new (page)",
    "new",
    "detail",
    "edit (page)",
    "edit",
    "duplicate",
    "publish",
    "cancel (page)",
    "cancel",
    "capacity",
    "guest",
    "check-in (page)",
    "check-in",
    "promote",
    "move",
    "export",
]


def expected_status(role, access, allowed):
    if role == "visitor":
        return LOGIN
    if role in ("member_employee", "company_admin"):
        return 403
    if role == "staff_of_other_chamber":
        # They manage events at their own chamber: lists and the new-event form are theirs;
        # the new form refuses Kempen as organiser (200, with the error); A's event is a 404.
        if access == "list":
            return 200
        if access == "create":
            return 200
        return 404
    if role == "viewer":
        if access in ("list", "read"):
            return 200
        return 403
    # event manager, chamber admin of A, alliance admin
    return allowed


MATRIX = [(role, action) for role in ROLES for action in ACTIONS]


@pytest.mark.parametrize(("role", "action"), MATRIX)
def test_permission_matrix(client, world, member_user, kempen, mechelen, role, action):
    user = user_for(role, world, member_user, kempen, mechelen)
    if user is not None:
        client.force_login(user)
    method, path, data, access, allowed = actions(world, kempen)[action]
    expected = expected_status(role, access, allowed)
    before = snapshot()
    response = (
        getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
    )
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected, (role, action, response.status_code)
    refused = expected in (LOGIN, 403, 404) or (
        role == "staff_of_other_chamber" and action == "new"
    )
    if refused:
        assert snapshot() == before, f"{role} could {action}"
    if expected == 404:
        assert b"Innovatieforum" not in response.content, "a 404 never names the event"


@pytest.mark.parametrize(
    "action",
    [
        "new",
        "edit",
        "duplicate",
        "publish",
        "cancel",
        "capacity",
        "guest",
        "check-in",
        "promote",
        "move",
    ],
)
@pytest.mark.parametrize("role", ["event_manager", "chamber_admin", "alliance_admin"])
def test_allowed_writes_change_something(
    client, world, member_user, kempen, mechelen, role, action, django_capture_on_commit_callbacks
):
    """The 302s of the matrix are real changes, not refusals turned into messages."""
    client.force_login(user_for(role, world, member_user, kempen, mechelen))
    method, path, data, access, allowed = actions(world, kempen)[action]
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, data)
    assert response.status_code == allowed
    errors = [m for m in response.wsgi_request._messages if m.level_tag == "error"]
    assert not errors, [str(m) for m in errors]
    assert snapshot() != before, f"{role}: {action} changed nothing"


def test_staff_of_another_chamber_do_not_see_the_event_in_their_list(
    client, world, member_user, kempen, mechelen
):
    client.force_login(user_for("staff_of_other_chamber", world, member_user, kempen, mechelen))
    html = client.get("/staff/events/").content.decode()
    assert ">Innovatieforum</a>" not in html and ">Ontwerp</a>" not in html
    assert "0 activiteiten" in html
    html = client.get("/staff/events/", {"q": "Innovatieforum"}).content.decode()
    assert ">Innovatieforum</a>" not in html and "0 activiteiten" in html


def test_co_organising_makes_the_event_visible_and_manageable(
    client, world, member_user, kempen, mechelen
):
    world["event"].co_organisers.add(mechelen)
    client.force_login(user_for("staff_of_other_chamber", world, member_user, kempen, mechelen))
    assert "Innovatieforum" in client.get("/staff/events/").content.decode()
    assert client.get(f"/staff/events/{world['event'].slug}/edit/").status_code == 200
    # ... but only the organising chamber cancels it.
    assert client.get(f"/staff/events/{world['event'].slug}/cancel/").status_code == 403


def test_a_viewer_with_an_event_role_elsewhere_still_only_reads_here(
    client, world, kempen, mechelen
):
    user = UserFactory()
    StaffRoleFactory(user=user, chamber=kempen, role=Role.VIEWER)
    StaffRoleFactory(user=user, chamber=mechelen, role=Role.EVENT_MANAGER)
    client.force_login(user)
    slug = world["event"].slug
    assert client.get(f"/staff/events/{slug}/").status_code == 200
    assert client.post(f"/staff/events/{slug}/capacity/", {"capacity": "9"}).status_code == 403
    html = client.get("/staff/events/").content.decode()
    assert "Nieuwe activiteit" in html, "they may create events for Mechelen"
    assert f"/staff/events/{slug}/edit/" not in html


def test_past_events_are_guarded_the_same_way(client, kempen, mechelen):
    now = timezone.now()
    past = Event.objects.create(
        title_nl="Vorig jaar",
        slug="vorig-jaar",
        kind=Event.Kind.FORUM,
        organiser=kempen,
        starts_at=now - datetime.timedelta(days=365),
        ends_at=now - datetime.timedelta(days=365) + datetime.timedelta(hours=2),
        city="Geel",
        status=Event.Status.PUBLISHED,
    )
    client.force_login(staff_user(Role.CHAMBER_ADMIN, mechelen))
    assert client.get(f"/staff/events/{past.slug}/").status_code == 404
    assert "Vorig jaar" not in client.get("/staff/events/", {"past": "1"}).content.decode()

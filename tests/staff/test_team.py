"""A chamber's team at /staff/team/: its admins add, change and remove their colleagues' roles.

Read with chambers.services staff_role_grant / change / revoke: a chamber admin manages the roles
of their own chambers only, a chamber keeps a chamber admin, and everyone added or removed is
told by e-mail (a newcomer with a link to choose a password).
"""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from chambers import services
from chambers.models import StaffRole
from tests.factories import UserFactory, give_second_factor, staff_user
from tests.helpers import client_for
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The e-mails leave when a service's transaction commits: run those callbacks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


Role = StaffRole.Role
TEAM = reverse("staff:team")
ADD = reverse("staff:team_add")


def add(client, chamber, email, role=Role.EVENT_MANAGER, **extra):
    data = {"chamber": chamber.pk, "email": email, "role": role} | extra
    return client.post(ADD, data)


def test_a_chamber_admin_adds_a_colleague_as_event_manager_and_removes_them(
    chamber_admin, this_chamber, committed
):
    colleague = UserFactory(email="an.peeters@kempen.voka.be", first_name="An", last_name="Peeters")
    admin = client_for(chamber_admin)

    with committed():
        response = add(admin, this_chamber, "An.Peeters@kempen.voka.be")

    assert response.status_code == 302 and response["Location"] == TEAM
    staff_role = StaffRole.objects.get(user=colleague)
    assert (staff_role.chamber, staff_role.role) == (this_chamber, Role.EVENT_MANAGER)
    (message,) = mail.outbox
    assert message.to == ["an.peeters@kempen.voka.be"]
    assert "Activiteitenbeheerder" in message.subject and "Kempen" in message.subject
    assert "/staff/" in message.body and "wachtwoord" not in message.body
    # The colleague sets up a second factor first (every staff role needs one), then makes
    # events for the chamber; the list shows them.
    first_visit = client_for(colleague).get(reverse("staff:event_new"))
    assert first_visit.status_code == 302 and "/2fa/" in first_visit["Location"]
    give_second_factor(colleague)
    assert client_for(colleague).get(reverse("staff:event_new")).status_code == 200
    page = admin.get(TEAM).content.decode()
    assert "an.peeters@kempen.voka.be" in page and "Activiteitenbeheerder" in page

    mail.outbox.clear()
    with committed():
        response = admin.post(reverse("staff:team_remove", args=[staff_role.pk]), follow=True)

    assert not StaffRole.objects.filter(user=colleague).exists()
    assert "hoort niet meer bij het team van Kempen" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [colleague.email] and "ingetrokken" in message.subject
    assert client_for(colleague).get(reverse("staff:dashboard")).status_code == 403


def test_someone_without_an_account_is_invited_and_chooses_a_password(
    chamber_admin, this_chamber, committed
):
    with committed():
        response = add(
            client_for(chamber_admin),
            this_chamber,
            "nieuw@kempen.voka.be",
            Role.VIEWER,
            first_name="Noor",
            last_name="Wouters",
        )

    assert response.status_code == 302
    staff_role = StaffRole.objects.select_related("user").get(user__email="nieuw@kempen.voka.be")
    user = staff_role.user
    assert (user.first_name, user.has_usable_password()) == ("Noor", False)
    (message,) = mail.outbox
    assert "Dag Noor" in message.body
    link = re.search(r"http\S+/password/reset/key/\S+", message.body).group(0)
    path = link.removeprefix(re.match(r"https?://[^/]+", link).group(0))

    visitor = client_for(None)
    form_page = visitor.get(path, follow=True)
    assert form_page.status_code == 200 and "password1" in form_page.content.decode()
    done = visitor.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "Kempen-Brouwt-Bier-2026", "password2": "Kempen-Brouwt-Bier-2026"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Kempen-Brouwt-Bier-2026")
    # The address the invitation went to is the account's, verified: log-in works at once.
    assert visitor.login(username=user.username, password="Kempen-Brouwt-Bier-2026")


def test_a_second_role_at_the_same_chamber_is_refused_next_to_the_address(
    chamber_admin, this_chamber, event_manager, committed
):
    with committed():
        response = add(client_for(chamber_admin), this_chamber, event_manager.email, Role.VIEWER)

    assert response.status_code == 400
    assert "heeft al een rol bij deze kamer" in response.context["form"].errors["email"][0]
    assert StaffRole.objects.get(user=event_manager).role == Role.EVENT_MANAGER
    assert mail.outbox == []


def test_a_chamber_admin_cannot_touch_another_chambers_team(chamber_admin, this_chamber, antwerpen):
    theirs = staff_user(Role.EVENT_MANAGER, antwerpen, email="jan@antwerpen.voka.be")
    staff_role = theirs.staff_roles.get()
    admin = client_for(chamber_admin)

    assert admin.post(reverse("staff:team_remove", args=[staff_role.pk])).status_code == 404
    changed = admin.post(reverse("staff:team_change", args=[staff_role.pk]), {"role": "viewer"})
    assert changed.status_code == 404
    # Their own chamber is the only one the form offers: another is the form's error.
    response = add(admin, antwerpen, "iemand@example.be")
    assert response.status_code == 400 and "chamber" in response.context["form"].errors
    assert "jan@antwerpen.voka.be" not in admin.get(TEAM).content.decode()
    staff_role.refresh_from_db()
    assert staff_role.role == Role.EVENT_MANAGER
    assert not StaffRole.objects.filter(user__email="iemand@example.be").exists()
    with pytest.raises(PermissionDenied):
        services.staff_role_revoke(staff_role=staff_role, actor=chamber_admin)


def test_a_chamber_keeps_a_chamber_admin(chamber_admin, this_chamber):
    own_role = chamber_admin.staff_roles.get()
    admin = client_for(chamber_admin)

    removed = admin.post(reverse("staff:team_remove", args=[own_role.pk]), follow=True)
    demoted = admin.post(
        reverse("staff:team_change", args=[own_role.pk]), {"role": "viewer"}, follow=True
    )

    for response in (removed, demoted):
        assert "houdt minstens één kamerbeheerder" in response.content.decode()
    own_role.refresh_from_db()
    assert own_role.role == Role.CHAMBER_ADMIN
    # With a second admin, the first may step down.
    colleague = staff_user(Role.CHAMBER_ADMIN, this_chamber)
    admin.post(reverse("staff:team_change", args=[own_role.pk]), {"role": "viewer"})
    own_role.refresh_from_db()
    assert own_role.role == Role.VIEWER
    assert StaffRole.objects.get(user=colleague).role == Role.CHAMBER_ADMIN


def test_the_roles_offered_are_a_chambers_roles(chamber_admin, this_chamber):
    response = add(client_for(chamber_admin), this_chamber, "baas@example.be", Role.ALLIANCE_ADMIN)

    assert response.status_code == 400 and "role" in response.context["form"].errors
    with pytest.raises(Exception) as refused:
        services.staff_role_grant(
            chamber=this_chamber,
            email="baas@example.be",
            role="alliance_admin",
            actor=chamber_admin,
        )
    assert getattr(refused.value, "code", "") == "role_not_assignable"
    assert not StaffRole.objects.filter(user__email="baas@example.be").exists()


def test_only_chamber_and_alliance_admins_see_the_team_and_its_link(
    viewer, event_manager, chamber_admin, alliance_admin, this_chamber, antwerpen
):
    staff_user(Role.VIEWER, antwerpen, email="lezer@antwerpen.voka.be")
    for user in (viewer, event_manager):
        client = client_for(user)
        assert client.get(TEAM).status_code == 403
        assert TEAM not in client.get(reverse("staff:dashboard")).content.decode()
    assert TEAM in client_for(chamber_admin).get(reverse("staff:dashboard")).content.decode()
    # The alliance admin sees every chamber's team; alliance-wide roles are not a team's.
    page = client_for(alliance_admin).get(TEAM).content.decode()
    assert "lezer@antwerpen.voka.be" in page and chamber_admin.email in page
    assert alliance_admin.email not in page


def test_the_team_page_costs_the_same_for_few_or_many(chamber_admin, this_chamber):
    def count_for(rows):
        StaffRole.objects.filter(chamber=this_chamber).exclude(user=chamber_admin).delete()
        for _ in range(rows):
            staff_user(Role.VIEWER, this_chamber)
        assert_request_query_count("staff:team as chamber admin", client_for(chamber_admin), TEAM)

    count_for(2)
    count_for(9)

"""Back-office journeys of issue 12 in a real Chromium: a chamber admin runs their team and their
chamber's competence centres without the Django admin, at 1280 and 390 px, each page fitting the
screen and passing axe-core's serious and critical checks."""

import pytest

from chambers.models import StaffRole
from competences.models import CompetenceCentre
from tests.e2e.conftest import WIDTHS, axe_violations, overflow
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


def checked(page) -> None:
    assert overflow(page) <= 0
    assert axe_violations(page) == []


def post_with_the_pages_token(page, path: str):
    """A POST from inside the logged-in browser (its session and CSRF cookie), as a forged form
    would send it."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(path, headers={"X-CSRFToken": token}, form={"role": "viewer"})


@pytest.mark.parametrize("width", WIDTHS)
def test_a_chamber_admin_adds_a_colleague_as_event_manager_removes_them_and_cannot_touch_another_chambers_team(  # noqa: E501
    live_server, new_context, kempen, antwerpen, width
):
    admin = staff_user(StaffRole.Role.CHAMBER_ADMIN, kempen, email="admin@kempen.example")
    UserFactory(email="an.peeters@kempen.example", first_name="An", last_name="Peeters")
    elsewhere = staff_user(StaffRole.Role.EVENT_MANAGER, antwerpen, email="jo@antwerpen.example")
    page = new_context(WIDTHS[width], user=admin, live_server=live_server).new_page()

    page.goto(f"{live_server.url}/staff/team/")
    checked(page)
    assert "jo@antwerpen.example" not in page.content()
    # The add form's fields (each row of the list has a role select of its own).
    page.fill("#id_email", "an.peeters@kempen.example")
    page.select_option("#id_role", "event_manager")
    page.get_by_role("button", name="Voeg toe").click()
    page.get_by_text("an.peeters@kempen.example is nu activiteitenbeheerder").wait_for()
    checked(page)
    role = StaffRole.objects.get(user__email="an.peeters@kempen.example")
    assert (role.chamber, role.role) == (kempen, StaffRole.Role.EVENT_MANAGER)

    page.get_by_role(
        "button", name="Haal an.peeters@kempen.example uit het team van Kempen"
    ).click()
    page.get_by_text("hoort niet meer bij het team van Kempen").wait_for()
    assert not StaffRole.objects.filter(user__email="an.peeters@kempen.example").exists()

    # Another chamber's staff: not listed, and their role's address is a 404 that changes nothing.
    other_role = elsewhere.staff_roles.get()
    for path in (f"/staff/team/{other_role.pk}/", f"/staff/team/{other_role.pk}/remove/"):
        assert post_with_the_pages_token(page, f"{live_server.url}{path}").status == 404
    other_role.refresh_from_db()
    assert other_role.role == StaffRole.Role.EVENT_MANAGER


@pytest.mark.parametrize("width", WIDTHS)
def test_a_chamber_admin_edits_a_competence_centre_and_adds_a_service(
    live_server, new_context, kempen, centre, width
):
    admin = staff_user(StaffRole.Role.CHAMBER_ADMIN, kempen, email="admin@kempen.example")
    page = new_context(WIDTHS[width], user=admin, live_server=live_server).new_page()

    page.goto(f"{live_server.url}/staff/chambers/")
    checked(page)
    page.get_by_role("link", name=centre.name).click()
    page.wait_for_url(f"**/staff/centres/{centre.slug}/")
    checked(page)
    page.fill("input[name=name_fr]", "Innovation intégrale")
    page.fill("input[name=name_en]", "Integral innovation")
    page.get_by_role("button", name="Bewaar").click()
    page.get_by_text("is bewaard").wait_for()
    page.get_by_role("link", name="Nieuwe dienst").click()
    page.fill("input[name=name_nl]", "Innovatiescan")
    page.select_option("select[name=kind]", "advice")
    page.get_by_role("button", name="Bewaar").click()
    page.get_by_text("Dienst Innovatiescan is aangemaakt").wait_for()
    checked(page)
    centre = CompetenceCentre.objects.get(pk=centre.pk)
    assert centre.name_en == "Integral innovation"
    assert list(centre.services.values_list("name_nl", flat=True)) == ["Innovatiescan"]

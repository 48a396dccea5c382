"""Every main page — public, /me/ and /staff/ — at 1280 and 390 px in Chromium: never wider than
its viewport (WCAG 1.4.10 reflow) and no serious or critical axe-core violation.

One world per audience and width (tests/query_counts_world.py, grown by two units so that lists
and tables have rows), every page of that audience visited in the same browser context.
"""

import pytest
from django.core.cache import cache

from tests.e2e.conftest import WIDTHS, axe_violations, overflow
from tests.factories import SectorFactory
from tests.query_counts_world import World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(alliance, kempen, mechelen, centre, company, person, member_user, event):
    cache.clear()
    world = World(
        alliance=alliance,
        kempen=kempen,
        mechelen=mechelen,
        centre=centre,
        company=company,
        person=person,
        member_user=member_user,
        event=event,
    )
    world.grow(2)
    # The demo's long names, which are what widen a filter's select on a phone.
    for chamber in (kempen, mechelen):
        chamber.name = f"Voka – Kamer van Koophandel {chamber.short_name}"
        chamber.save()
    SectorFactory(name="Chemie, farmaceutica en life sciences & gezondheid")
    yield world
    cache.clear()


def public_pages(world: World) -> list[str]:
    return [
        "/",
        "/events/",
        "/events/?past=1",
        f"/events/{world.event.slug}/",
        f"/events/{world.event.slug}/inschrijven-niet-lid/",
        "/competences/",
        f"/competences/{world.centre.slug}/",
        f"/chambers/{world.kempen.slug}/",
        "/directory/",
        f"/directory/{world.company.slug}/",
        "/search/?q=innovatie",
        "/accounts/login/",
        "/accounts/signup/",
        "/bestaat-niet/",
    ]


def member_pages(world: World) -> list[str]:
    return [
        "/me/",
        "/me/company/",
        "/me/company/edit/",
        "/me/interests/",
        "/me/agenda/",
        "/me/service-requests/",
        "/me/apply/",
        f"/me/tickets/{world.registration.ticket_code}/",
        f"/events/{world.event.slug}/",
        "/events/",
    ]


def staff_pages(world: World) -> list[str]:
    return [
        "/staff/",
        "/staff/events/",
        "/staff/events/new/",
        f"/staff/events/{world.event.slug}/",
        f"/staff/events/{world.event.slug}/edit/",
        f"/staff/events/{world.event.slug}/check-in/",
        "/staff/members/",
        f"/staff/members/{world.company.slug}/",
        "/staff/requests/",
        f"/staff/requests/{world.service_request.pk}/",
        "/staff/figures/",
        "/staff/partners/",
        f"/staff/partners/{world.partner.slug}/",
        "/staff/imports/",
        "/staff/applications/",
        f"/staff/applications/{world.application.pk}/",
        "/staff/prospects/",
        f"/staff/prospects/{world.prospect.pk}/convert/",
        "/staff/accreditation/",
        f"/staff/accreditation/{world.cycle.pk}/",
    ]


AUDIENCES = {
    "visitor": (public_pages, None),
    "member": (member_pages, "member_user"),
    "staff": (staff_pages, "admin"),
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_main_pages_fit_and_pass_axe(live_server, new_context, world, audience, width):
    pages, who = AUDIENCES[audience]
    user = getattr(world, who) if who else None
    context = new_context(WIDTHS[width], user=user, live_server=live_server)
    page = context.new_page()
    too_wide, violations = {}, {}
    for path in pages(world):
        response = page.goto(live_server.url + path)
        assert response.status in (200, 404), (path, response.status)
        page.wait_for_load_state("load")
        if (extra := overflow(page)) > 0:
            too_wide[path] = f"{extra} px too wide"
        if found := axe_violations(page):
            violations[path] = found
    assert not too_wide, f"wider than {width} px: {too_wide}"
    assert not violations, f"axe-core at {width} px: " + "\n".join(
        f"{path}: {line}" for path, lines in violations.items() for line in lines
    )

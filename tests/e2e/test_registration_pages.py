"""Issue 14's pages in a real Chromium at 1280 and 390 px: seats per chamber on the event's
staff page, a company booking, the settlement ledger, the selection of a mission's
participants. Each fits the screen and passes axe-core's serious and critical checks. With
SCREENSHOTS=1 they are saved to docs/screenshots/ (desktop `<name>.png`, phone
`phone-<name>.png`), as scripts/screenshots.py does for the demo."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from chambers.models import StaffRole
from events.models import SeatAllocation
from events.services import registration_create
from members.models import Person
from tests.e2e.conftest import WIDTHS, axe_violations, overflow
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


def look(page, name: str, width: str) -> None:
    assert overflow(page) <= 0, name
    assert axe_violations(page) == [], name
    if os.environ.get("SCREENSHOTS") == "1":
        prefix = "phone-" if width == "390" else ""
        page.screenshot(path=str(SHOTS / f"{prefix}{name}.png"), full_page=width != "390")


@pytest.fixture
def mission(kempen, mechelen, antwerpen):
    event = EventFactory(
        title="Handelsmissie Vietnam",
        slug="handelsmissie-vietnam",
        kind="trade_mission",
        organiser=kempen,
        capacity=20,
        city="Ho Chi Minhstad",
        country="VN",
        member_price=1450,
        non_member_price=1950,
        starts_at=timezone.now() + datetime.timedelta(days=60),
        ends_at=timezone.now() + datetime.timedelta(days=65),
        pooling_at=timezone.now() + datetime.timedelta(days=30),
    )
    event.co_organisers.add(mechelen, antwerpen)
    for chamber in (kempen, mechelen, antwerpen):
        SeatAllocation.objects.create(event=event, chamber=chamber, places=5)
    for chamber, count in ((kempen, 4), (mechelen, 2), (antwerpen, 5)):
        company = CompanyFactory()
        MembershipFactory(company=company, chamber=chamber)
        for _ in range(count):
            registration_create(event=event, person=PersonFactory(company=company))
    return event


@pytest.mark.parametrize("width", WIDTHS)
def test_seats_per_chamber_on_the_staff_page(live_server, new_context, mission, kempen, width):
    manager = staff_user(StaffRole.Role.EVENT_MANAGER, kempen)
    page = new_context(WIDTHS[width], user=manager, live_server=live_server).new_page()
    page.goto(f"{live_server.url}/staff/events/{mission.slug}/#allocations")
    assert "4 van 5" in page.content()
    page.locator("#allocations").scroll_into_view_if_needed()
    look(page, "staff-allocations", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_company_booking(live_server, new_context, mission, company, width):
    user = UserFactory(first_name="Bart", last_name="Claes")
    PersonFactory(
        company=company, user=user, email=user.email, role=Person.Role.ADMIN, first_name="Bart"
    )
    for name in ("Els", "Jan", "Lotte"):
        PersonFactory(company=company, first_name=name)
    page = new_context(WIDTHS[width], user=user, live_server=live_server).new_page()
    page.goto(f"{live_server.url}/events/{mission.slug}/boeken/")
    look(page, "company-booking", width)
    page.get_by_role("checkbox").first.check()
    page.fill("#id_first_name_0", "Nele")
    page.fill("#id_last_name_0", "Nieuw")
    page.fill("#id_email_0", f"nele-{width}@anker.example")
    page.get_by_role("button", name="Schrijf in").click()
    page.wait_for_load_state("networkidle")
    assert "2 collega's zijn ingeschreven" in page.content()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_settlement_ledger(live_server, new_context, mission, width):
    admin = staff_user(StaffRole.Role.ALLIANCE_ADMIN)
    today = timezone.localdate()
    page = new_context(WIDTHS[width], user=admin, live_server=live_server).new_page()
    end = (mission.starts_at + datetime.timedelta(days=1)).date()
    page.goto(f"{live_server.url}/staff/ledger/?start={today.isoformat()}&end={end.isoformat()}")
    assert "Saldo per paar kamers" in page.content()
    look(page, "staff-ledger", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_selection_of_a_missions_participants(live_server, new_context, kempen, width):
    from events import missions

    selection = EventFactory(
        title="B2B-delegatie India",
        slug="b2b-delegatie-india",
        kind="trade_mission",
        organiser=kempen,
        capacity=8,
        city="Bangalore",
        country="IN",
        selects_participants=True,
    )
    manager = staff_user(StaffRole.Role.EVENT_MANAGER, kempen)
    for n, (name, markets) in enumerate(
        [
            ("Metaalwerken Geel NV", "India, Vietnam"),
            ("Kempense Verpakking BV", "India"),
            ("Brouwerij De Molen", "India, Singapore"),
        ]
    ):
        company = CompanyFactory(name=name)
        MembershipFactory(company=company, chamber=kempen)
        choice = missions.apply(
            person=PersonFactory(company=company),
            events=[selection],
            motivation="We zoeken distributeurs voor onze machines in Zuid-India.",
            target_markets=markets,
        ).choices.get()
        missions.score(choice=choice, score=85 - 10 * n, actor=manager)
        if n == 0:
            missions.accept(choice=choice, actor=manager)
        elif n == 2:
            missions.decline(choice=choice, actor=manager, reserve=True)
    page = new_context(WIDTHS[width], user=manager, live_server=live_server).new_page()
    page.goto(f"{live_server.url}/staff/events/{selection.slug}/missions/")
    assert "Metaalwerken Geel NV" in page.content()
    look(page, "staff-mission-selection", width)

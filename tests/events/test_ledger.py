"""The settlement ledger (issue 14): figures against a hand count on a small alliance."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from alliance.figures import queries as figures
from chambers.models import ApiScope, StaffRole
from events import billing, ledger
from events.models import Event, Registration
from members.models import Membership, ServiceRequest
from tests.factories import (
    CompanyFactory,
    CompetenceCentreFactory,
    EventFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    ServiceRequestFactory,
    partner_api_key,
    staff_user,
)
from tests.helpers import client_for
from tests.invoicing.conftest import make_seller

YEAR = timezone.localdate().year


def at(month, day, hour=10):
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour))  # noqa: DTZ001


def member(chamber, start=None, until=None, status=Membership.Status.ACTIVE):
    company = CompanyFactory()
    MembershipFactory(
        company=company,
        chamber=chamber,
        status=status,
        valid_from=start or datetime.date(YEAR - 1, 1, 1),
        valid_until=until or datetime.date(YEAR + 1, 12, 31),
    )
    return company


def register(event, company, price, status="confirmed", **fields):
    person = PersonFactory(company=company)
    return RegistrationFactory(
        event=event, person=person, company=company, price=Decimal(price), status=status, **fields
    )


@pytest.fixture
def books(alliance, kempen, mechelen, antwerpen):
    """By hand, for the year:
    Kempen's forum in March: Mechelen's member 45, Antwerpen's 45 (attended), Kempen's own 45,
    a non-member 95, a company then at Mechelen (it moved to Kempen on 1 July) 45; a cancelled
    Mechelen registration counts nothing. Mechelen's seminar in September: Kempen's member 30,
    the moved company (now Kempen's) 30, a free seat of Kempen's 0. Kempen's centre completed
    a question of Antwerpen's member in May (0). Last year's event counts in no period of this.
    So Kempen served Mechelen's members for 90 (2), Mechelen Kempen's for 60 (3): Mechelen pays
    Kempen 30; Kempen served Antwerpen's for 45 (2); 9 entries, 335 in all.
    """
    in_mechelen, in_kempen, in_antwerpen = member(mechelen), member(kempen), member(antwerpen)
    moved = member(
        mechelen,
        datetime.date(YEAR - 1, 7, 1),
        datetime.date(YEAR, 6, 30),
        status=Membership.Status.ENDED,
    )
    MembershipFactory(
        company=moved,
        chamber=kempen,
        valid_from=datetime.date(YEAR, 7, 1),
        valid_until=datetime.date(YEAR + 1, 6, 30),
    )
    forum = EventFactory(organiser=kempen, starts_at=at(3, 10), ends_at=at(3, 10, 17))
    seminar = EventFactory(organiser=mechelen, starts_at=at(9, 15), ends_at=at(9, 15, 17))
    old = EventFactory(
        organiser=kempen,
        starts_at=at(3, 10) - datetime.timedelta(days=400),
        ends_at=at(3, 10, 17) - datetime.timedelta(days=400),
    )
    register(forum, in_mechelen, "45")
    register(forum, in_antwerpen, "45", status="attended", checked_in_at=at(3, 10))
    register(forum, in_kempen, "45")
    register(forum, CompanyFactory(), "95")
    register(forum, moved, "45")
    register(
        forum, in_mechelen, "45", status="cancelled", cancelled_at=at(3, 1), cancelled_by="person"
    )
    register(seminar, in_kempen, "30")
    register(seminar, moved, "30")
    register(seminar, in_kempen, "0", free_seat=True)
    register(old, in_mechelen, "45")
    centre = CompetenceCentreFactory(lead_chamber=kempen, alliance=alliance)
    request = ServiceRequestFactory(
        person=PersonFactory(company=in_antwerpen),
        centre=centre,
        status=ServiceRequest.Status.DONE,
        assignee=staff_user(StaffRole.Role.CHAMBER_ADMIN, kempen),
        assigned_at=at(5, 1),
    )
    ServiceRequest.objects.filter(pk=request.pk).update(closed_at=at(5, 5))
    return {"moved": moved}


PERIOD = (datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))


def test_entries_and_balances_match_the_hand_count(books, kempen, mechelen, antwerpen):
    rows = ledger.entries(*PERIOD)
    assert len(rows) == 9
    assert sum(entry.amount for entry in rows) == Decimal("335.00")
    moved = [entry for entry in rows if entry.company == books["moved"].name]
    assert [(entry.on.month, entry.home_id) for entry in moved] == [
        (3, mechelen.pk),
        (9, kempen.pk),
    ], "the home chamber at that date"
    by_pair = {
        frozenset((balance.a.slug, balance.b.slug)): balance for balance in ledger.balances(rows)
    }
    assert set(by_pair) == {
        frozenset(("kempen", "mechelen")),
        frozenset(("kempen", "antwerpen-waasland")),
    }
    km = by_pair[frozenset(("kempen", "mechelen"))]
    served = {
        km.a.slug: (km.a_served_b, km.a_served_b_count),
        km.b.slug: (km.b_served_a, km.b_served_a_count),
    }
    assert served == {"kempen": (Decimal("90.00"), 2), "mechelen": (Decimal("60.00"), 3)}
    owed_to_kempen = km.net if km.a == kempen else -km.net
    assert owed_to_kempen == Decimal("30.00")
    ka = by_pair[frozenset(("kempen", "antwerpen-waasland"))]
    kempen_served = ka.a_served_b if ka.a == kempen else ka.b_served_a
    count = ka.a_served_b_count if ka.a == kempen else ka.b_served_a_count
    assert (kempen_served, count) == (Decimal("45.00"), 2)


def test_a_chamber_sees_the_entries_it_served_or_whose_members_were_served(books, antwerpen):
    rows = ledger.entries(*PERIOD, chamber_ids=[antwerpen.pk])
    assert len(rows) == 2
    assert {entry.kind for entry in rows} == {"registration", "service_request"}


def test_the_participation_matrix_uses_the_same_home_chamber_rule(books, kempen, mechelen):
    pairs = {
        (row["home_chamber"], row["organiser"]): row["count"]
        for row in figures.cross_chamber_matrix(year=YEAR)
    }
    assert pairs[("mechelen", "kempen")] == 2, "Mechelen's member and the company before it moved"
    assert pairs[("kempen", "mechelen")] == 3
    assert pairs[(None, "kempen")] == 1


def test_the_staff_page_and_its_exports(books, kempen):
    admin = staff_user(StaffRole.Role.CHAMBER_ADMIN, kempen)
    client = client_for(admin)
    url = reverse("staff:ledger")
    query = {"start": PERIOD[0].isoformat(), "end": PERIOD[1].isoformat()}
    page = client.get(url, query)
    assert page.status_code == 200
    assert page.context["count"] == 9
    text = " ".join(page.content.decode().split())
    assert "Mechelen betaalt Kempen" in text, text[text.find("Saldo") : text.find("Saldo") + 900]
    assert "30,00" in text
    response = client.get(url, query | {"format": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(table) == 10 and table[0][0] == "Datum"
    assert sum(Decimal(row[-1]) for row in table[1:]) == Decimal("335.00")
    response = client.get(url, query | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 10
    assert sum(Decimal(str(row[-1])) for row in values[1:]) == Decimal("335")
    bad = client.get(url, {"start": PERIOD[1].isoformat(), "end": PERIOD[0].isoformat()})
    assert "Het einde ligt na het begin." in bad.content.decode()
    viewer = staff_user(StaffRole.Role.VIEWER, kempen)
    assert client_for(viewer).get(url).status_code == 403


def test_the_api_resource(books, kempen):
    from tests.factories import PartnerFactory

    _key, secret = partner_api_key(PartnerFactory(), scopes=[ApiScope.LEDGER_READ])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    response = api.get(
        reverse("api:ledger"), {"start": PERIOD[0].isoformat(), "end": PERIOD[1].isoformat()}
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body["entries"]) == 9
    km = next(
        b for b in body["balances"] if {b["chamber_a"], b["chamber_b"]} == {"kempen", "mechelen"}
    )
    net_to_kempen = Decimal(km["net"]) * (1 if km["chamber_a"] == "kempen" else -1)
    assert net_to_kempen == Decimal("30.00")
    refused = api.get(reverse("api:ledger"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert refused.status_code == 400


def test_where_the_organiser_invoices_the_ledger_counts_what_was_invoiced(books, kempen, mechelen):
    make_seller(kempen)
    forum = Event.objects.get(organiser=kempen, starts_at=at(3, 10))
    in_mechelen = member(mechelen)
    kept = register(forum, in_mechelen, "45")
    late, in_time = register(forum, in_mechelen, "45"), register(forum, in_mechelen, "45")
    for registration in (kept, late, in_time):
        assert billing.registration_invoice(registration) is not None
    for registration, fee in ((late, "10"), (in_time, "0")):
        Registration.objects.filter(pk=registration.pk).update(
            status="cancelled",
            cancelled_at=at(3, 9),
            cancelled_by="person",
            cancellation_fee=Decimal(fee),
        )
        registration.refresh_from_db()
        assert billing.registration_credit(registration) is not None
    # The invoice's net amount is not the price on the registration: the invoice decides.
    Registration.objects.filter(pk=kept.pk).update(price=Decimal("99"))

    amounts = {entry.pk: entry.amount for entry in ledger.entries(*PERIOD)}
    assert amounts[kept.pk] == Decimal("45.00")
    assert amounts[late.pk] == Decimal("10.00"), "cancelled late: the fee its credit note kept"
    assert in_time.pk not in amounts, "credited in full: nothing charged"
    assert len(amounts) == 11

"""Free seats of a membership tier (issue 14): two free trainings a year for "premium"."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.figures import queries as figures
from events import free_seats
from events.rules import terms_for
from events.services import registration_cancel, registration_create, registration_substitute
from members.models import FreeSeatAllowance, Membership
from tests.factories import EventFactory, PersonFactory
from tests.helpers import client_for


@pytest.fixture
def premium(company, mechelen):
    Membership.objects.filter(company=company).update(tier=Membership.Tier.PREMIUM)
    FreeSeatAllowance.objects.create(
        chamber=mechelen, tier=Membership.Tier.PREMIUM, event_kind="training", seats=2
    )
    return company


def END_OF_YEAR():  # noqa: N802
    now = timezone.localtime()
    return max(
        now + datetime.timedelta(hours=6),
        now.replace(month=12, day=31, hour=18, minute=0),
    )


def training(kempen, **fields):
    # Ten days ahead: in this calendar year, also in December (the test runs on any day).
    fields.setdefault("starts_at", min(timezone.now() + datetime.timedelta(days=10), END_OF_YEAR()))
    return EventFactory(organiser=kempen, kind="training", **fields)


def test_two_free_trainings_a_year_then_the_member_price(premium, kempen):
    people = [PersonFactory(company=premium) for _ in range(3)]
    first, second, third = (
        registration_create(event=training(kempen), person=person) for person in people
    )
    assert (first.price, first.free_seat) == (Decimal("0.00"), True)
    assert (second.price, second.free_seat) == (Decimal("0.00"), True)
    assert (third.price, third.free_seat) == (Decimal("45.00"), False)
    seminar = EventFactory(organiser=kempen, kind="seminar")
    other = registration_create(event=seminar, person=people[0])
    assert (other.price, other.free_seat) == (Decimal("45.00"), False), "trainings only"


def test_a_cancelled_free_seat_comes_back(premium, kempen):
    people = [PersonFactory(company=premium) for _ in range(2)]
    taken = [registration_create(event=training(kempen), person=person) for person in people]
    event = training(kempen)
    terms = terms_for(event, premium)
    assert free_seats.free_seats_for(event, premium, terms).left == 0
    registration_cancel(registration=taken[0])
    seats = free_seats.free_seats_for(event, premium, terms)
    assert (seats.seats, seats.used, seats.left) == (2, 1, 1)
    again = registration_create(event=event, person=people[0])
    assert again.free_seat and again.price == 0


def test_free_seats_count_per_calendar_year(premium, kempen):
    this_year = timezone.now().year
    next_year = timezone.localtime().replace(year=this_year + 1, month=3, day=10, hour=9)
    people = [PersonFactory(company=premium) for _ in range(3)]
    for person in people[:2]:
        registration_create(event=training(kempen), person=person)
    later = registration_create(event=training(kempen, starts_at=next_year), person=people[2])
    assert later.free_seat, "a new year, new free seats"


def test_no_free_seat_for_another_tier_or_a_free_event(company, kempen, mechelen):
    FreeSeatAllowance.objects.create(
        chamber=mechelen, tier=Membership.Tier.PREMIUM, event_kind="", seats=2
    )
    standard = registration_create(event=training(kempen), person=PersonFactory(company=company))
    assert not standard.free_seat and standard.price == Decimal("45.00")
    Membership.objects.filter(company=company).update(tier=Membership.Tier.PREMIUM)
    free_event = training(kempen, member_price=0, non_member_price=0)
    gratis = registration_create(event=free_event, person=PersonFactory(company=company))
    assert not gratis.free_seat, "a free event uses no free seat"


def test_a_substitute_keeps_the_free_seat(premium, kempen, company_admin):
    event = training(kempen)
    held = registration_create(event=event, person=PersonFactory(company=premium))
    colleague = PersonFactory(company=premium)
    substitute = registration_substitute(
        registration=held, colleague=colleague, actor=company_admin
    )
    assert substitute.free_seat and substitute.price == 0
    terms = terms_for(event, premium)
    assert free_seats.free_seats_for(event, premium, terms).used == 1


def test_the_price_shown_and_the_confirmation_and_the_figures(premium, kempen, member_user):
    event = training(kempen)
    client = client_for(member_user)
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "een gratis plaats van je formule (nog 2 van 2" in page
    confirm = client.get(reverse("events:register", args=[event.slug]))
    assert confirm.context["prices"].including == 0
    assert "nog 2 van 2" in confirm.content.decode()
    client.post(reverse("events:register", args=[event.slug]), {"purchase_order": ""})
    registration = event.registrations.get()
    assert registration.free_seat and registration.price == 0
    months = figures.registrations_over_time()
    assert months[-1]["free_seats"] == 1
    assert months[-1]["count"] == 1

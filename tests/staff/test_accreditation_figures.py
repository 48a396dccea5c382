"""The portal's figures per accreditation principle (alliance/figures/accreditation.py), each
against values counted by hand on a small fixture. The cycle is opened in year Y; the period is
the three years before it, Y-3 to Y-1."""

import datetime

import pytest
from django.utils import timezone

from alliance.figures import accreditation as figures
from chambers.models import AccreditationCycle, Chamber, StaffRole
from events.models import Event, Registration
from members.models import Membership, ServiceRequest, ServiceRequestMessage
from tests.factories import (
    ChamberFactory,
    CompanyFactory,
    CompetenceCentreFactory,
    EventFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    ServiceRequestFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

Y = timezone.localdate().year
D = datetime.date


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def cycle(kempen):
    return AccreditationCycle.objects.create(
        chamber=kempen,
        self_assessment_due=timezone.localdate() + datetime.timedelta(days=30),
        decision_due=timezone.localdate() + datetime.timedelta(days=60),
    )


def member(company, chamber, start, end, status=Membership.Status.ENDED):
    return MembershipFactory(
        company=company, chamber=chamber, valid_from=start, valid_until=end, status=status
    )


def test_the_period_is_the_three_years_before_the_cycle(cycle):
    assert figures.period_of(cycle) == (D(Y - 3, 1, 1), D(Y - 1, 12, 31))


def test_members_and_retention(cycle, kempen, mechelen):
    a, b, c, d, e = (CompanyFactory() for _ in range(5))
    # A: a member every year, renewed each time, and still one.
    for year in (Y - 3, Y - 2, Y - 1):
        member(a, kempen, D(year, 1, 1), D(year, 12, 31))
    member(a, kempen, D(Y, 1, 1), D(Y, 12, 31), status=Membership.Status.ACTIVE)
    # B: one year, not renewed.
    member(b, kempen, D(Y - 3, 1, 1), D(Y - 3, 12, 31), status=Membership.Status.LAPSED)
    # C: from March Y-2, renewed 46 days after it ended (within the grace), then not.
    member(c, kempen, D(Y - 2, 3, 1), D(Y - 2, 12, 31))
    member(c, kempen, D(Y - 1, 2, 15), D(Y - 1, 12, 31), status=Membership.Status.LAPSED)
    # D asked but was never a member; E is Mechelen's.
    member(d, kempen, D(Y - 1, 1, 1), D(Y - 1, 12, 31), status=Membership.Status.PENDING)
    member(e, mechelen, D(Y - 3, 1, 1), D(Y + 1, 12, 31), status=Membership.Status.ACTIVE)

    result = figures.figures_for(cycle)
    trend, retention = result[1]
    # Y-3 end: A, B; Y-2 end: A, C; Y-1 end: A, C; today: A.
    assert trend.values["trend"] == [
        (D(Y - 3, 12, 31), 2),
        (D(Y - 2, 12, 31), 2),
        (D(Y - 1, 12, 31), 2),
        (timezone.localdate(), 1),
    ]
    # Due Y-3: A (renewed), B (not). Y-2: A, C (both renewed). Y-1: A (renewed), C (not).
    assert [
        (r["label"], r["due"], r["renewed"], r["churned"]) for r in retention.values["retention"]
    ] == [(str(Y - 3), 2, 1, 1), (str(Y - 2), 2, 2, 0), (str(Y - 1), 2, 1, 1)]
    assert retention.rows[0][-1] == "50%"
    assert "<svg" in trend.chart and "<svg" in retention.chart
    assert trend.method and trend.period == (D(Y - 3, 1, 1), timezone.localdate())


def test_events_and_services_for_other_chambers(cycle, kempen, mechelen, antwerpen):
    in_period = at(D(Y - 2, 5, 10))

    def event(organiser, *co, starts_at=in_period, status=Event.Status.PUBLISHED):
        made = EventFactory(organiser=organiser, starts_at=starts_at, status=status)
        made.co_organisers.add(*co)
        return made

    alone = event(kempen)
    event(kempen, mechelen, antwerpen)  # with two others: one event
    event(kempen, status=Event.Status.CANCELLED)
    event(kempen, starts_at=at(D(Y - 4, 12, 31)))  # before the period
    event(mechelen, kempen)  # Mechelen's, co-organised by Kempen
    event(mechelen)

    # Places at Kempen's events: two on Mechelen's member terms (one cancelled: not counted),
    # one on Kempen's own, one without member terms.
    RegistrationFactory(event=alone, member_terms=True, member_terms_chamber=mechelen)
    RegistrationFactory(event=alone, member_terms=True, member_terms_chamber=antwerpen)
    RegistrationFactory(
        event=alone,
        member_terms=True,
        member_terms_chamber=mechelen,
        status=Registration.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )
    RegistrationFactory(event=alone, member_terms=True, member_terms_chamber=kempen)
    RegistrationFactory(event=alone)

    # Requests to Kempen's centre: done for a Mechelen member (counted), done for a Kempen member
    # (not), declined for a Mechelen member (not).
    centre = CompetenceCentreFactory(lead_chamber=kempen)
    theirs, ours = CompanyFactory(), CompanyFactory()
    member(theirs, mechelen, D(Y - 3, 1, 1), D(Y + 1, 1, 1), status=Membership.Status.ACTIVE)
    member(ours, kempen, D(Y - 3, 1, 1), D(Y + 1, 1, 1), status=Membership.Status.ACTIVE)
    asked = [
        ServiceRequestFactory(
            centre=centre,
            person=PersonFactory(company=company),
            status=status,
            assignee=staff_user(StaffRole.Role.CHAMBER_ADMIN, kempen) if status == "done" else None,
            assigned_at=timezone.now() if status == "done" else None,
        )
        for company, status in ((theirs, "done"), (ours, "done"), (theirs, "declined"))
    ]
    ServiceRequest.objects.filter(pk__in=[r.pk for r in asked]).update(created_at=in_period)

    held, services = figures.figures_for(cycle)[9]
    assert held.values == {"held": 2, "with_others": 1, "co_organised_for_others": 1}
    assert services.values == {"places": 2, "requests": 1}


def test_response_times(cycle, kempen, mechelen):
    centre = CompetenceCentreFactory(lead_chamber=kempen)
    elsewhere = CompetenceCentreFactory(lead_chamber=mechelen)
    asked_at = at(D(Y - 1, 3, 1), 9)
    # Replies after 2 h, 4 h and 30 h (the first after a note at 1 h, which does not count);
    # one unanswered and still open; one at another chamber's centre.
    delays = [2, 4, 30, None]
    requests = []
    for delay in delays:
        request = ServiceRequestFactory(centre=centre)
        requests.append(request)
        if delay is not None:
            ServiceRequestMessage.objects.create(
                service_request=request,
                kind=ServiceRequestMessage.Kind.REPLY,
                body="Antwoord",
                created_at=asked_at + datetime.timedelta(hours=delay),
            )
            ServiceRequestMessage.objects.create(
                service_request=request,
                kind=ServiceRequestMessage.Kind.REPLY,
                body="Nog een antwoord",
                created_at=asked_at + datetime.timedelta(hours=delay + 50),
            )
    ServiceRequestMessage.objects.create(
        service_request=requests[0],
        kind=ServiceRequestMessage.Kind.NOTE,
        body="Intern",
        created_at=asked_at + datetime.timedelta(hours=1),
    )
    requests.append(ServiceRequestFactory(centre=elsewhere))
    ServiceRequest.objects.filter(pk__in=[r.pk for r in requests]).update(created_at=asked_at)

    (quality,) = figures.figures_for(cycle)[12]
    # Median of 2, 4, 30 is 4; the mean is 12.
    assert quality.values == {
        "asked": 4,
        "answered": 3,
        "median_hours": 4.0,
        "average_hours": 12.0,
        "waiting": 1,
    }


def test_a_bilateral_chamber_gets_quality_of_service_under_pillar_2(db):
    abroad = ChamberFactory(kind=Chamber.Kind.BILATERAL, country="CN")
    cycle = AccreditationCycle.objects.create(
        chamber=abroad,
        self_assessment_due=timezone.localdate(),
        decision_due=timezone.localdate(),
    )
    assert list(figures.figures_for(cycle)) == [2]

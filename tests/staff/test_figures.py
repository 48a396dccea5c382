"""The figures: every number checked against a small fixture counted by hand, the page, the
charts and the CSV downloads."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.figures import charts
from alliance.figures import queries as figures
from chambers.models import StaffRole
from events.models import Event, Registration
from members.models import Membership
from tests.factories import (
    CompanyFactory,
    CompetenceCentreFactory,
    EventFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    ServiceRequestFactory,
    staff_user,
)
from tests.helpers import client_for
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
A, CONF, NO, WAIT, CANC = "attended", "confirmed", "no_show", "waitlisted", "cancelled"


def register(event, company, status, via=None):
    now = timezone.now()
    return RegistrationFactory(
        event=event,
        person=PersonFactory(company=company),
        status=status,
        member_terms=via is not None,
        member_terms_chamber=via,
        checked_in_at=now if status == A else None,
        cancelled_at=now if status == CANC else None,
        waiting_list_position=1 if status == WAIT else None,
    )


@pytest.fixture
def fixture(alliance, mechelen, kempen, limburg):
    """Members: m1 (standard) and m2 (premium) at Mechelen, k1 (starter) at Kempen, x1 none.

    Registrations that count (got a place), by home chamber → organiser:
        Mechelen → Kempen: 4 (3 at the forum eK1: attended, no-show, confirmed; 1 at eK2)
        Kempen → Kempen: 1     no home chamber → Kempen: 1
        Kempen → Mechelen: 2 (attended, no-show)     Mechelen → Mechelen: 1
    and two that do not: a cancelled and a waitlisted one at eK1.
    """
    m1, m2, k1, x1 = (CompanyFactory(name=name) for name in ("M1", "M2", "K1", "X1"))
    MembershipFactory(company=m1, chamber=mechelen, tier=Membership.Tier.STANDARD)
    MembershipFactory(company=m2, chamber=mechelen, tier=Membership.Tier.PREMIUM)
    MembershipFactory(company=k1, chamber=kempen, tier=Membership.Tier.STARTER)
    past = timezone.now() - datetime.timedelta(days=3)
    ek1 = EventFactory(organiser=kempen, kind=Event.Kind.FORUM, capacity=10, starts_at=past)
    ek2 = EventFactory(organiser=kempen, kind=Event.Kind.FORUM, capacity=None, starts_at=past)
    em1 = EventFactory(organiser=mechelen, kind=Event.Kind.WORKSHOP, capacity=4, starts_at=past)
    for company, status, via in [
        (m1, A, mechelen),
        (m1, NO, mechelen),
        (m2, CONF, mechelen),
        (k1, A, kempen),
        (x1, A, None),
        (m2, CANC, mechelen),
        (m1, WAIT, mechelen),
    ]:
        register(ek1, company, status, via)
    register(ek2, m2, A, mechelen)
    for company, status, via in [(k1, A, kempen), (k1, NO, kempen), (m1, A, mechelen)]:
        register(em1, company, status, via)
    return {"ek1": ek1, "ek2": ek2, "em1": em1}


# --- the cross-chamber matrix, by hand ------------------------------------------------------------


def test_matrix_of_the_alliance_matches_the_hand_count(fixture, mechelen, kempen):
    pairs = figures.cross_chamber_matrix()
    assert {(p["home_chamber"], p["organiser"]): p["count"] for p in pairs} == {
        ("mechelen", "kempen"): 4,
        ("kempen", "kempen"): 1,
        (None, "kempen"): 1,
        ("kempen", "mechelen"): 2,
        ("mechelen", "mechelen"): 1,
    }
    grid = figures.pivot_matrix(pairs)
    assert grid["rows"] == [("kempen", "Kempen"), ("mechelen", "Mechelen"), (None, None)]
    assert grid["columns"] == [("kempen", "Kempen"), ("mechelen", "Mechelen")]
    assert grid["grid"] == [[1, 2], [4, 1], [1, 0]]
    assert grid["row_totals"] == [3, 5, 1]
    assert grid["column_totals"] == [6, 3]
    assert grid["total"] == 9


def test_matrix_of_one_chamber_is_its_row_and_its_column(fixture, mechelen):
    pairs = figures.cross_chamber_matrix([mechelen.pk])
    assert {(p["home_chamber"], p["organiser"]): p["count"] for p in pairs} == {
        ("mechelen", "kempen"): 4,
        ("kempen", "mechelen"): 2,
        ("mechelen", "mechelen"): 1,
    }


def test_matrix_counts_the_events_of_the_chosen_year(fixture, mechelen):
    em1 = fixture["em1"]
    em1.starts_at = em1.starts_at.replace(year=em1.starts_at.year - 2)
    em1.ends_at = em1.starts_at + datetime.timedelta(hours=3)
    em1.save()
    this_year = timezone.localtime(fixture["ek1"].starts_at).year
    pairs = figures.cross_chamber_matrix(year=this_year)
    assert all(p["organiser"] == "kempen" for p in pairs)
    assert sum(p["count"] for p in pairs) == 6


def test_matrix_on_the_page_with_its_headline_and_its_csv(fixture, alliance_admin):
    client = client_for(alliance_admin)
    response = client.get(reverse("staff:figures"), {"year": "all"})
    matrix = next(f for f in response.context["figures"] if f.name == "matrix")
    assert matrix.header[1:] == ["Kempen", "Mechelen", "Totaal"]
    assert matrix.cells == [
        ["Kempen", "1", "2", "3"],
        ["Mechelen", "4", "1", "5"],
        ["geen ledenvoorwaarden", "1", "0", "1"],
    ]
    assert matrix.total_cells == ["Totaal", "6", "3", "9"]
    # Of the 8 registrations on member terms, 6 were at another chamber's events.
    assert matrix.note.startswith("75,0\u00a0% van de inschrijvingen op ledenvoorwaarden (6 van 8)")
    download = client.get(
        reverse("staff:figures"),
        {"chamber": "alliance", "year": "all", "format": "csv", "figure": "matrix"},
    )
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="matrix-alliance-alle-jaren.csv"' in download["Content-Disposition"]
    assert list(csv.reader(io.StringIO(download.content.decode()))) == [
        ["Thuiskamer ↓ / organisator →", "Kempen", "Mechelen", "Totaal"],
        ["Kempen", "1", "2", "3"],
        ["Mechelen", "4", "1", "5"],
        ["geen ledenvoorwaarden", "1", "0", "1"],
        ["Totaal", "6", "3", "9"],
    ]


# --- the other figures, by hand -------------------------------------------------------------------


def test_fill_and_no_show_rates_by_kind(fixture, mechelen):
    rows = {row["kind"]: row for row in figures.fill_and_no_show_rates_by_kind()}
    forum, workshop = rows["forum"], rows["workshop"]
    # Forum: eK1 (10 places, 5 taken) and eK2 (no limit: not in the fill rate).
    assert (forum["events"], forum["capacity"], forum["places_taken"]) == (2, 10, 5)
    assert forum["fill_rate"] == 0.5
    assert (forum["attended"], forum["no_shows"]) == (4, 1)
    assert forum["no_show_rate"] == 0.2
    assert (workshop["capacity"], workshop["places_taken"], workshop["fill_rate"]) == (4, 3, 0.75)
    assert workshop["no_show_rate"] == pytest.approx(1 / 3)
    assert [row["kind"] for row in figures.fill_and_no_show_rates_by_kind([mechelen.pk])] == [
        "workshop"
    ]


def test_events_still_to_come_do_not_count_in_the_rates(fixture, mechelen):
    EventFactory(organiser=mechelen, kind=Event.Kind.TRAINING, capacity=20)
    assert "training" not in {row["kind"] for row in figures.fill_and_no_show_rates_by_kind()}


def test_events_csv_has_rates_as_percentages(fixture):
    client = client_for(staff_user(Role.CHAMBER_ADMIN, fixture["ek1"].organiser))
    download = client.get(
        reverse("staff:figures"), {"year": "all", "format": "csv", "figure": "events"}
    )
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == [
        "Soort",
        "Activiteiten",
        "Capaciteit",
        "Bezette plaatsen",
        "Vullingsgraad",
        "Aanwezig",
        "Niet opgedaagd",
        "No-showgraad",
    ]
    assert rows[1:] == [["Forum", "2", "10", "5", "50.0", "4", "1", "20.0"]]


def test_members_by_chamber_and_tier(fixture, mechelen, kempen):
    lapsed = CompanyFactory()
    MembershipFactory(
        company=lapsed,
        chamber=mechelen,
        status=Membership.Status.LAPSED,
        valid_from=timezone.localdate() - datetime.timedelta(days=400),
        valid_until=timezone.localdate() - datetime.timedelta(days=35),
    )
    rows = figures.members_by_chamber_and_tier()
    assert [(r["chamber"], r["tier"], r["members"]) for r in rows] == [
        ("kempen", "starter", 1),
        ("mechelen", "standard", 1),
        ("mechelen", "premium", 1),
    ]
    assert [r["chamber"] for r in figures.members_by_chamber_and_tier([kempen.pk])] == ["kempen"]


def test_retention_per_year(limburg):
    """r1 renewed last year's period, r2 let it lapse, r3 renewed two years ago and then left."""
    year = timezone.localdate().year

    def period(company, start_year, status):
        MembershipFactory(
            company=company,
            chamber=limburg,
            status=status,
            valid_from=datetime.date(start_year, 1, 1),
            valid_until=datetime.date(start_year, 12, 31),
        )

    r1, r2, r3 = CompanyFactory(), CompanyFactory(), CompanyFactory()
    period(r1, year - 1, "ended")
    period(r1, year, "active")
    period(r2, year - 1, "lapsed")
    period(r3, year - 2, "ended")
    period(r3, year - 1, "ended")
    rows = {row["label"]: row for row in figures.retention("year", [limburg.pk])}
    assert list(rows) == [str(y) for y in range(year - 4, year + 1)]
    last = rows[str(year - 1)]
    assert (last["due"], last["renewed"], last["churned"]) == (3, 1, 2)
    assert last["retention_rate"] == pytest.approx(1 / 3)
    assert last["churn_rate"] == pytest.approx(2 / 3)
    before = rows[str(year - 2)]
    assert (before["due"], before["renewed"], before["retention_rate"]) == (1, 1, 1.0)
    # This year's periods have not ended yet: nothing is due, and a rate of nothing is None.
    assert (rows[str(year)]["due"], rows[str(year)]["retention_rate"]) == (0, None)


def test_registrations_over_time(fixture, kempen):
    moved = Registration.objects.filter(event=fixture["em1"], status=NO).get()
    earlier = timezone.now() - datetime.timedelta(days=62)
    Registration.objects.filter(pk=moved.pk).update(created_at=earlier)
    rows = figures.registrations_over_time()
    assert len(rows) == 12
    by_label = {row["label"]: row for row in rows}
    this_month = figures.period_label(timezone.localdate().replace(day=1), "month")
    then = figures.period_label(timezone.localtime(earlier).date().replace(day=1), "month")
    assert (by_label[this_month]["count"], by_label[this_month]["member_terms"]) == (8, 7)
    assert by_label[then]["count"] == 1
    assert sum(row["count"] for row in rows) == 9
    assert sum(row["count"] for row in figures.registrations_over_time([kempen.pk])) == 6


def test_service_requests_by_centre_and_status(alliance, mechelen, kempen):
    ours = CompetenceCentreFactory(name="Duurzaam", lead_chamber=mechelen, alliance=alliance)
    theirs = CompetenceCentreFactory(name="Energie", lead_chamber=kempen, alliance=alliance)
    person = PersonFactory()
    now = timezone.now()
    for centre, status in [(ours, "new"), (ours, "new"), (ours, "declined"), (theirs, "declined")]:
        ServiceRequestFactory(
            person=person,
            centre=centre,
            message="Vraag",
            status=status,
            closed_at=now if status == "declined" else None,
        )
    rows = figures.service_requests_by_centre_and_status()
    assert [(r["centre_name"], r["status"], r["count"]) for r in rows] == [
        ("Duurzaam", "new", 2),
        ("Duurzaam", "declined", 1),
        ("Energie", "declined", 1),
    ]
    assert {r["centre"] for r in figures.service_requests_by_centre_and_status([kempen.pk])} == {
        theirs.slug
    }
    client = client_for(staff_user(Role.VIEWER, mechelen))
    page = client.get(reverse("staff:figures"), {"year": "all"})
    requests = next(f for f in page.context["figures"] if f.name == "requests")
    assert requests.cells == [["Duurzaam", "2", "0", "0", "0", "1", "3"]]


# --- for the API: no chamber named means every chamber -------------------------------------------


def test_an_empty_chamber_list_means_the_whole_alliance(fixture):
    """As for a partner's key that names no chamber (alliance/api.py passes its list)."""
    assert figures.members_by_chamber_and_tier([]) == figures.members_by_chamber_and_tier()
    assert figures.cross_chamber_matrix([]) == figures.cross_chamber_matrix()
    assert sum(p["count"] for p in figures.cross_chamber_matrix([])) == 9


# --- the page -------------------------------------------------------------------------------------


def test_page_has_a_chart_a_table_and_a_csv_link_per_figure(fixture, alliance_admin):
    client = client_for(alliance_admin)
    response = client.get(reverse("staff:figures"))
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["chosen"] == "alliance"
    names = [figure.name for figure in response.context["figures"]]
    assert names == ["members", "retention", "registrations", "matrix", "events", "requests"]
    for name in names:
        assert f'id="{name}"' in content
        assert f"format=csv&amp;figure={name}" in content
    assert content.count('role="img"') >= 5
    assert content.count("<table") >= 5


def test_chamber_staff_see_their_chamber_and_not_the_alliance(fixture, mechelen):
    client = client_for(staff_user(Role.VIEWER, mechelen))
    response = client.get(reverse("staff:figures"))
    assert response.context["chosen"] == "mechelen"
    assert [value for value, _ in response.context["choices"]] == ["mechelen"]
    assert client.get(reverse("staff:figures"), {"chamber": "alliance"}).status_code == 404
    assert client.get(reverse("staff:figures"), {"chamber": "kempen"}).status_code == 404


def test_unknown_figure_is_404(fixture, alliance_admin):
    client = client_for(alliance_admin)
    url = reverse("staff:figures")
    assert client.get(url, {"format": "csv", "figure": "salaries"}).status_code == 404


def test_page_query_count_does_not_grow_with_the_data(fixture, mechelen, kempen, alliance_admin):
    client = client_for(alliance_admin)

    def count():
        assert_request_query_count(
            "staff:figures as alliance admin, registrations of past events",
            client,
            reverse("staff:figures"),
            {"year": "all"},
        )

    count()
    past = timezone.now() - datetime.timedelta(days=5)
    for kind in (Event.Kind.SEMINAR, Event.Kind.TRAINING, Event.Kind.COMPANY_VISIT):
        event = EventFactory(organiser=mechelen, kind=kind, starts_at=past)
        for _ in range(4):
            register(event, CompanyFactory(), A, kempen)
    count()


# --- the charts -----------------------------------------------------------------------------------


def test_charts_are_accessible_svg_with_escaped_text():
    svg = charts.bar_chart(
        title="Leden <per> kamer",
        description="Staafdiagram",
        categories=["Kempen", "Mechelen & co"],
        series=[("Starter", [1, 2]), ("Premium", [0, 5])],
        y_label="leden",
        x_label="kamer",
    )
    assert svg.startswith('<svg class="chart"')
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "Leden &lt;per&gt; kamer" in svg and "Mechelen &amp; co" in svg
    assert "<title>Mechelen &amp; co · Premium: 5</title>" in svg
    line = charts.line_chart(
        title="Retentie",
        description="Lijn",
        categories=["2024", "2025"],
        series=[("retentie", [None, 50.0])],
        y_label="procent",
        x_label="jaar",
        unit="%",
        top=100,
    )
    assert "2025 · retentie: 50%" in line
    heat = charts.heatmap(
        title="Deelname",
        description="Raster",
        rows=["Kempen"],
        columns=["Mechelen"],
        values=[[7]],
        row_label="thuiskamer",
        column_label="organisator",
    )
    assert "Kempen → Mechelen: 7" in heat


@pytest.mark.parametrize(
    ("largest", "top", "step"), [(0, 1.0, 1.0), (7, 8, 2), (9, 10, 2), (23, 25, 5), (100, 100, 20)]
)
def test_axis_scale_is_nice(largest, top, step):
    assert charts.nice_scale(largest) == (top, step)

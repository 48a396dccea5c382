"""/staff/audit/: chamber admins read their chambers' rows, alliance admins all; filtered,
paginated, exported as formula-safe CSV, one row with its diff (alliance/staff/audit.py)."""

import csv
import io

import pytest
from django.urls import reverse
from pghistory.models import Events

from alliance.base import audit
from chambers.models import StaffRole
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

AUDIT = reverse("staff:audit")


def rows_on(client, query="") -> str:
    response = client.get(f"{AUDIT}?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_a_chamber_admin_reads_their_chambers_rows_only(chamber_admin, this_chamber, antwerpen):
    ours = EventFactory(organiser=this_chamber, title="Kempense netwerkavond")
    theirs = EventFactory(organiser=antwerpen, title="Havendag Antwerpen")
    member = CompanyFactory(name="Bakkerij Kempen")
    MembershipFactory(company=member, chamber=this_chamber)
    PersonFactory(company=member, first_name="Lotte", last_name="Kempenaar")
    stranger = CompanyFactory(name="Rederij Elders")
    MembershipFactory(company=stranger, chamber=antwerpen)
    PersonFactory(company=stranger, first_name="Pieter", last_name="Vreemd")

    page = rows_on(client_for(chamber_admin), "q=")

    assert "Kempense netwerkavond" in page and "Bakkerij Kempen" in page
    assert "Lotte Kempenaar" in page
    assert "Havendag Antwerpen" not in page and "Rederij Elders" not in page
    assert "Pieter Vreemd" not in page
    theirs_row = Events.objects.tracks(theirs).first()
    outside = client_for(chamber_admin).get(
        reverse("staff:audit_detail", args=[theirs_row.pgh_slug])
    )
    assert outside.status_code == 404
    inside = client_for(chamber_admin).get(
        reverse("staff:audit_detail", args=[Events.objects.tracks(ours).first().pgh_slug])
    )
    assert inside.status_code == 200


def test_an_alliance_admin_reads_everything(alliance_admin, this_chamber, antwerpen):
    EventFactory(organiser=this_chamber, title="Kempense netwerkavond")
    EventFactory(organiser=antwerpen, title="Havendag Antwerpen")
    page = rows_on(client_for(alliance_admin))
    assert "Kempense netwerkavond" in page and "Havendag Antwerpen" in page


def test_the_filters_narrow_by_who_kind_action_date_and_text(chamber_admin, this_chamber):
    # Made first: a test is one transaction, in which the request's context (a setting local to
    # the transaction) would outlive the request.
    EventFactory(organiser=this_chamber, title="Zonder wie")
    admin = client_for(chamber_admin)
    colleague = UserFactory(email="jan.mertens@kempen.voka.be")
    admin.post(
        reverse("staff:team_add"),
        {"chamber": this_chamber.pk, "email": colleague.email, "role": "viewer"},
    )

    by_me = rows_on(admin, f"who={chamber_admin.email}")
    assert "<td>Personeelsrol</td>" in by_me and "Zonder wie" not in by_me
    by_system = rows_on(admin, "who=systeem&kind=events.Event")
    assert "Zonder wie" in by_system and "<td>Personeelsrol</td>" not in by_system
    assert "Zonder wie" not in rows_on(admin, "action=delete")
    assert "Zonder wie" not in rows_on(admin, "since=2999-01-01")
    assert "Zonder wie" in rows_on(admin, "since=2000-01-01&until=2999-12-31")
    assert "Zonder wie" in rows_on(admin, "q=zonder")
    assert "Zonder wie" not in rows_on(admin, "q=nergens-te-vinden")
    # A bad value is said next to its field, nothing listed, never a 500.
    bad = admin.get(f"{AUDIT}?action=steal&since=gisteren")
    assert bad.status_code == 200 and "Zonder wie" not in bad.content.decode()


def test_the_detail_shows_what_changed(event_manager, chamber_admin, event):
    client_for(event_manager).post(
        reverse("staff:event_capacity", args=[event.slug]), {"capacity": event.capacity + 7}
    )
    update = Events.objects.tracks(event).filter(pgh_label=audit.UPDATE).latest("pgh_created_at")

    page = client_for(chamber_admin).get(reverse("staff:audit_detail", args=[update.pgh_slug]))

    content = page.content.decode()
    assert page.status_code == 200
    assert "capacity" in content and str(event.capacity + 7) in content
    assert event_manager.email in content


def test_the_csv_is_formula_safe_and_filtered(chamber_admin, this_chamber):
    EventFactory(organiser=this_chamber, title='=HYPERLINK("https://evil.example")')
    EventFactory(organiser=this_chamber, title="Gewone avond")

    response = client_for(chamber_admin).get(f"{AUDIT}?format=csv&q=HYPERLINK")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    names = [row[6] for row in rows[1:]]
    assert names == ['\'=HYPERLINK("https://evil.example")']


def test_viewers_and_event_managers_may_not_read_it(viewer, event_manager):
    assert client_for(viewer).get(AUDIT).status_code == 403
    assert client_for(event_manager).get(AUDIT).status_code == 403


def test_a_staff_role_of_the_chamber_is_in_its_scope(chamber_admin, this_chamber, antwerpen):
    StaffRole.objects.create(
        user=UserFactory(email="a@kempen.be"), chamber=this_chamber, role="viewer"
    )
    StaffRole.objects.create(
        user=UserFactory(email="b@antwerpen.be"), chamber=antwerpen, role="viewer"
    )
    rows = list(audit_rows_for(chamber_admin).filter(pgh_obj_model="chambers.StaffRole"))
    assert {row.pgh_data["chamber_id"] for row in rows} == {this_chamber.pk}


def audit_rows_for(user):
    from alliance.staff.audit import rows_visible_to

    return rows_visible_to(user)

"""The audit trail (alliance/base/audit.py): every staff and partner write is recorded in its
transaction with who, when, from where and what changed; the database refuses to change it."""

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from pghistory.models import Events

from alliance.base import audit
from chambers.models import PartnerAPIKey, StaffRole, WebhookEndpoint
from events.models import Event
from tests.factories import (
    PartnerFactory,
    PersonFactory,
    RegistrationFactory,
    UserFactory,
    WebhookEndpointFactory,
    partner_api_key,
)
from tests.helpers import client_for, reauthenticate

pytestmark = pytest.mark.django_db


def events_of(obj):
    return list(Events.objects.tracks(obj).order_by("pgh_created_at", "pgh_id"))


def test_a_staff_write_names_the_user_the_address_and_the_page(chamber_admin, this_chamber):
    colleague = UserFactory(email="an.peeters@kempen.voka.be")
    client = client_for(chamber_admin)

    response = client.post(
        reverse("staff:team_add"),
        {"chamber": this_chamber.pk, "email": colleague.email, "role": "event_manager"},
        REMOTE_ADDR="198.51.100.7",
    )

    assert response.status_code == 302
    role = StaffRole.objects.get(user=colleague)
    (created,) = events_of(role)
    assert created.pgh_label == audit.CREATE
    assert created.pgh_data["role"] == "event_manager"
    assert created.pgh_data["chamber_id"] == this_chamber.pk
    context = created.pgh_context
    assert context["user"] == chamber_admin.pk
    assert context["address"] == "198.51.100.7"
    assert context["url"] == reverse("staff:team_add") and context["method"] == "POST"


def test_a_change_records_what_changed(event_manager, event):
    client_for(event_manager).post(
        reverse("staff:event_capacity", args=[event.slug]), {"capacity": event.capacity + 10}
    )

    event.refresh_from_db()
    update = [row for row in events_of(event) if row.pgh_label == audit.UPDATE][-1]
    assert update.pgh_diff["capacity"][1] == event.capacity
    assert update.pgh_context["user"] == event_manager.pk


def test_a_delete_is_recorded_with_the_last_values(chamber_admin, this_chamber):
    role = StaffRole.objects.create(
        user=UserFactory(), chamber=this_chamber, role=StaffRole.Role.VIEWER
    )
    client_for(chamber_admin).post(reverse("staff:team_remove", args=[role.pk]))

    assert not StaffRole.objects.filter(pk=role.pk).exists()
    deleted = Events.objects.filter(
        pgh_obj_model="chambers.StaffRole", pgh_obj_id=str(role.pk), pgh_label=audit.DELETE
    ).get()
    assert deleted.pgh_data["role"] == "viewer"
    assert deleted.pgh_context["user"] == chamber_admin.pk


def test_a_refused_write_records_nothing(viewer, event):
    before = Events.objects.count()
    response = client_for(viewer).post(
        reverse("staff:event_capacity", args=[event.slug]), {"capacity": 500}
    )
    assert response.status_code == 403
    assert Events.objects.count() == before


def test_reads_record_nothing_and_open_no_context(event_manager, event):
    before = Events.objects.count()
    client_for(event_manager).get(reverse("staff:event_detail", args=[event.slug]))
    assert Events.objects.count() == before
    assert not audit.in_context()


def test_secrets_are_never_in_the_history(db):
    partner = PartnerFactory()
    api_key, _key = partner_api_key(partner)
    endpoint = WebhookEndpointFactory(partner=partner)
    person = PersonFactory()
    person.renew_calendar_token()
    person.save()
    registration = RegistrationFactory(person=person)

    key_event = events_of(api_key)[0]
    assert "hashed_key" not in key_event.pgh_data and "prefix" in key_event.pgh_data
    assert "secret" not in events_of(endpoint)[0].pgh_data
    assert all("calendar_token" not in row.pgh_data for row in events_of(person))
    assert "ticket_code" not in events_of(registration)[0].pgh_data
    # Using a key touches last_used_at: not a change worth an audit row.
    PartnerAPIKey.objects.filter(pk=api_key.pk).update(last_used_at="2026-01-01T00:00:00Z")
    assert len(events_of(api_key)) == 1
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_the_database_refuses_to_change_or_delete_the_history(event):
    event_model = Event.audit_events.rel.related_model
    row = event_model.objects.filter(pgh_obj=event).first()
    assert row is not None
    for statement in (
        f"UPDATE {event_model._meta.db_table} SET title = 'x' WHERE pgh_id = %s",
        f"DELETE FROM {event_model._meta.db_table} WHERE pgh_id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [row.pgh_id])
    row.refresh_from_db()
    assert row.title == event.title


def test_only_scrubbing_passes_the_guard(event):
    event_model = Event.audit_events.rel.related_model
    row = event_model.objects.filter(pgh_obj=event).first()
    with transaction.atomic(), audit.scrubbing():
        event_model.objects.filter(pk=row.pk).update(venue="(scrubbed)")
    row.refresh_from_db()
    assert row.venue == "(scrubbed)"
    with pytest.raises(DatabaseError), transaction.atomic():
        event_model.objects.filter(pk=row.pk).update(venue="again")


def test_a_task_is_the_system_and_names_itself(event):
    from celery import shared_task

    from alliance.base.reliable import ReliableTask

    @shared_task(name="tests.audit.rename", base=ReliableTask)
    def rename(event_id):
        Event.objects.filter(pk=event_id).update(venue="Hangar 58")

    rename.apply(args=[event.pk])

    update = [row for row in events_of(event) if row.pgh_label == audit.UPDATE][-1]
    assert update.pgh_context["actor"] == "system"
    assert update.pgh_context["task"] == "tests.audit.rename"


def test_an_attendee_export_is_recorded(event_manager, event):
    RegistrationFactory(event=event)
    # Exports ask for a fresh confirmation first (tests/security/test_reauthentication.py).
    response = reauthenticate(client_for(event_manager)).post(
        reverse("staff:event_export", args=[event.slug]), {"format": "csv"}
    )

    assert response.status_code == 200
    export = [row for row in events_of(event) if row.pgh_label == audit.EXPORT][-1]
    assert export.pgh_context["user"] == event_manager.pk
    assert export.pgh_context["export_format"] == "csv"
    assert export.pgh_context["export_rows"] == 1


def test_a_command_is_the_system(db):
    partner = PartnerFactory(slug="liof")
    call_command("create_api_key", "--partner=liof", "--scopes=events:read", stdout=io.StringIO())
    (created,) = events_of(PartnerAPIKey.objects.get(partner=partner))
    assert created.pgh_context == {"actor": "system", "command": "create_api_key"}


def test_a_partner_write_is_not_attributed_to_a_user(event):
    partner = PartnerFactory()
    assert partner.pk  # a row made outside any context: no user, shown as the system
    (created,) = events_of(partner)
    assert created.pgh_context is None


def test_the_admin_shows_it_read_only(admin_client, event):
    url = reverse("admin:pghistory_events_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "events.Event" in response.content.decode()
    from django.contrib import admin as django_admin
    from pghistory.models import Events as EventsModel

    events_admin = django_admin.site._registry[EventsModel]
    request = response.wsgi_request
    assert not events_admin.has_add_permission(request)
    assert not events_admin.has_change_permission(request)
    assert not events_admin.has_delete_permission(request)

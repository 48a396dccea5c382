"""Retention (alliance/retention.py): one nightly task purges or anonymises what is past its
period, each period a setting; run for real, with time travel."""

import datetime
import os
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from pghistory.models import Events

from alliance import tasks
from alliance.base.models import FailedTask, SentMessage
from chambers.models import ApiCall, WebhookDelivery
from events.models import Registration
from tests.factories import (
    EventFactory,
    FailedTaskFactory,
    PartnerFactory,
    RegistrationFactory,
    SentMessageFactory,
    WebhookDeliveryFactory,
)
from tests.helpers import travel_to

pytestmark = pytest.mark.django_db


def run() -> dict:
    return tasks.apply_retention.apply().get()


@pytest.fixture
def old_and_new(settings, person, company, kempen, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    ended_long_ago = EventFactory(
        organiser=kempen,
        starts_at=now - datetime.timedelta(days=800, hours=3),
        ends_at=now - datetime.timedelta(days=800),
    )
    recent = EventFactory(
        organiser=kempen,
        starts_at=now - datetime.timedelta(days=10, hours=3),
        ends_at=now - datetime.timedelta(days=10),
    )
    old_registration = RegistrationFactory(event=ended_long_ago, person=person, company=company)
    new_registration = RegistrationFactory(event=recent, person=person, company=company)
    partner = PartnerFactory()
    ApiCall.objects.create(
        partner=partner,
        key_prefix="abc",
        method="GET",
        path="/api/v1/old/",
        status_code=200,
        duration_ms=3,
        created_at=now - datetime.timedelta(days=91),
    )
    ApiCall.objects.create(
        partner=partner,
        key_prefix="abc",
        method="GET",
        path="/api/v1/new/",
        status_code=200,
        duration_ms=3,
    )
    old_delivery = WebhookDeliveryFactory(
        status="succeeded",
        delivered_at=now,
        payload={"email": person.email},
        created_at=now - datetime.timedelta(days=31),
    )
    pending = WebhookDeliveryFactory(
        payload={"email": person.email}, created_at=now - datetime.timedelta(days=31)
    )
    FailedTaskFactory(args=[person.email], failed_at=now - datetime.timedelta(days=31))
    FailedTaskFactory(args=["recent"])
    SentMessageFactory(sent_at=now - datetime.timedelta(days=181))
    SentMessageFactory(key="recent")
    for folder in ("exports", "imports"):
        (tmp_path / folder).mkdir()
        stale = tmp_path / folder / "stale.csv"
        stale.write_text(person.email)
        three_days_ago = time.time() - 3 * 86400
        os.utime(stale, (three_days_ago, three_days_ago))
        (tmp_path / folder / "fresh.csv").write_text("fresh")
    return {
        "old": old_registration,
        "new": new_registration,
        "old_event": ended_long_ago,
        "old_delivery": old_delivery,
        "pending": pending,
        "tmp": tmp_path,
    }


def test_the_nightly_task_purges_and_anonymises_what_is_past_its_period(old_and_new, person):
    counted = Registration.objects.filter(event=old_and_new["old_event"]).count()

    done = run()

    old = Registration.objects.select_related("person").get(pk=old_and_new["old"].pk)
    assert old.person_id != person.pk and old.person.is_erased
    assert old.company_id == person.company_id
    assert Registration.objects.filter(event=old_and_new["old_event"]).count() == counted
    assert Registration.objects.get(pk=old_and_new["new"].pk).person_id == person.pk
    # The audit trail no longer ties her to the old event either.
    assert not Events.objects.tracks(old).filter(pgh_data__person_id=person.pk).exists()
    assert list(ApiCall.objects.values_list("path", flat=True)) == ["/api/v1/new/"]
    assert WebhookDelivery.objects.get(pk=old_and_new["old_delivery"].pk).payload == {}
    assert WebhookDelivery.objects.get(pk=old_and_new["pending"].pk).payload != {}
    assert sorted(map(tuple, FailedTask.objects.values_list("args", flat=True))) == [
        (),
        ("recent",),
    ]
    assert list(SentMessage.objects.values_list("key", flat=True)) == ["recent"]
    for folder in ("exports", "imports"):
        assert sorted(p.name for p in (old_and_new["tmp"] / folder).iterdir()) == ["fresh.csv"]
    assert done["registrations"] == 1 and done["api_calls"] == 1 and done["files"] == 2
    # A second run finds nothing left.
    assert set(run().values()) == {0}


def test_the_periods_come_from_the_settings_and_time_moves_things_past_them(
    old_and_new, settings, person
):
    settings.RETENTION_REGISTRATIONS_DAYS = 3650
    run()
    assert Registration.objects.get(pk=old_and_new["old"].pk).person_id == person.pk

    with travel_to(timezone.now() + datetime.timedelta(days=3650)):
        run()
    assert Registration.objects.get(pk=old_and_new["new"].pk).person_id != person.pk


def test_the_task_is_scheduled_every_night(db):
    call_command("setup_schedules")
    scheduled = PeriodicTask.objects.get(task="alliance.apply_retention")
    assert (scheduled.crontab.minute, scheduled.crontab.hour) == ("30", "3")

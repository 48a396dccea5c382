"""Retention: personal data the portal no longer needs is purged or anonymised on schedule.

One periodic task (`alliance.apply_retention`, every night; `manage.py setup_schedules`) runs
`apply_retention()`. Each period is a setting read from the environment (alliance/settings/
base.py, `RETENTION_*`), listed with its default in docs/privacy.md:

- registrations of events that ended more than RETENTION_REGISTRATIONS_DAYS ago no longer say
  who attended: each is moved to an anonymous stand-in person of the same company (erased, one
  per registration, so that the one-registration-per-person rule holds), and the audit trail's
  snapshots of it are pointed at the stand-in too. The counts (per event, per company, per
  chamber) do not change;
- the partners' API call log after RETENTION_API_CALLS_DAYS (deleted);
- webhook payloads of finished deliveries after RETENTION_WEBHOOK_PAYLOADS_DAYS (emptied; the
  delivery's status and times stay);
- the arguments of failed tasks after RETENTION_FAILED_TASKS_DAYS (emptied; the error stays);
- export and import files after RETENTION_FILES_DAYS (deleted);
- the records of sent e-mails after RETENTION_SENT_MESSAGES_DAYS (deleted).

Idempotent: a second run finds nothing left to do.
"""

import datetime
import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alliance.base import audit
from alliance.base import tasks as base_tasks
from alliance.base.models import FailedTask
from chambers.models import ApiCall, WebhookDelivery
from events.models import Registration
from members.models import Person

logger = logging.getLogger(__name__)

STAND_IN_FIRST_NAME = "—"
STAND_IN_LAST_NAME = "(anonieme deelnemer)"
# Registrations moved per transaction: a long backlog is worked off in steps.
BATCH = 500


def _before(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def anonymise_old_registrations() -> int:
    """Registrations of events ended RETENTION_REGISTRATIONS_DAYS ago lose their person."""
    registration_events = Registration.audit_events.rel.related_model
    old = (
        Registration.objects.filter(
            event__ends_at__lt=_before(settings.RETENTION_REGISTRATIONS_DAYS),
            person__erased_at__isnull=True,
        )
        .select_related("person")
        .order_by("pk")
    )
    moved = 0
    while True:
        with transaction.atomic():
            batch = list(old.select_for_update(of=("self",))[:BATCH])
            if not batch:
                return moved
            now = timezone.now()
            for registration in batch:
                stand_in = Person.objects.create(
                    company_id=registration.company_id,
                    first_name=STAND_IN_FIRST_NAME,
                    last_name=STAND_IN_LAST_NAME,
                    email=f"anonymous-{registration.pk}@erased.invalid",
                    erased_at=now,
                )
                registration.person = stand_in
                registration.save(update_fields=["person", "updated_at"])
                with audit.scrubbing():
                    registration_events.objects.filter(pgh_obj_id=registration.pk).update(
                        person_id=stand_in.pk
                    )
            moved += len(batch)


def purge_api_calls() -> int:
    deleted, _ = ApiCall.objects.filter(
        created_at__lt=_before(settings.RETENTION_API_CALLS_DAYS)
    ).delete()
    return deleted


def empty_webhook_payloads() -> int:
    return (
        WebhookDelivery.objects.exclude(status=WebhookDelivery.Status.PENDING)
        .filter(created_at__lt=_before(settings.RETENTION_WEBHOOK_PAYLOADS_DAYS))
        .exclude(payload={})
        .update(payload={})
    )


def empty_failed_tasks() -> int:
    return (
        FailedTask.objects.filter(failed_at__lt=_before(settings.RETENTION_FAILED_TASKS_DAYS))
        .exclude(args=[], kwargs={})
        .update(args=[], kwargs={})
    )


def purge_files() -> int:
    """Export and import files (and their job files) older than RETENTION_FILES_DAYS."""
    limit = time.time() - settings.RETENTION_FILES_DAYS * 86400
    deleted = 0
    for folder in ("exports", "imports"):
        path = Path(settings.MEDIA_ROOT) / folder
        if not path.is_dir():
            continue
        for file in path.iterdir():
            if file.is_file() and file.stat().st_mtime < limit:
                file.unlink(missing_ok=True)
                deleted += 1
    return deleted


def purge_sent_messages() -> int:
    """Sent-message records after RETENTION_SENT_MESSAGES_DAYS, and the outbox's rows (whole
    messages) after OUTBOX_KEEP_SENT_DAYS: alliance.base.tasks.purge_sent_messages."""
    return base_tasks.purge_sent_messages()


def apply_retention() -> dict[str, int]:
    """Every retention rule, once; what each did."""
    with audit.system_context(task="alliance.apply_retention"):
        done = {
            "registrations": anonymise_old_registrations(),
            "api_calls": purge_api_calls(),
            "webhook_payloads": empty_webhook_payloads(),
            "failed_tasks": empty_failed_tasks(),
            "files": purge_files(),
            "sent_messages": purge_sent_messages(),
        }
    logger.info("Retention applied: %s", done)
    return done

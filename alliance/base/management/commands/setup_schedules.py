"""Create or update the beat schedules (django-celery-beat), so that staff see them in the admin.

Idempotent: `make run` and `make worker` run it every time. A schedule staff switched off stays
off; its timing and task follow the code.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

# name shown to staff: (task, crontab minute, hour, description)
SCHEDULES = {
    "Herinneringen voor activiteiten": (
        "events.send_due_reminders",
        "*/5",
        "*",
        "Twee dagen en twee uur voor een activiteit; elke vijf minuten kijken wat er klaar staat.",
    ),
    "Aanbiedingen van de wachtlijst laten verlopen": (
        "events.expire_offers",
        "*/5",
        "*",
        "Een aangeboden plaats die niet op tijd bevestigd werd, gaat naar de volgende in de rij.",
    ),
    "Voorbehouden plaatsen vrijgeven": (
        "events.pool_allocations",
        "*/5",
        "*",
        "Na de datum van vrijgave gaan ongebruikte plaatsen per kamer naar de wachtlijst.",
    ),
    "Hernieuwing van lidmaatschappen": (
        "members.send_renewal_reminders",
        "0",
        "8",
        "Beheerders van ondernemingen horen 30 dagen op voorhand dat hun lidmaatschap afloopt.",
    ),
    "Lidmaatschappen laten ingaan": (
        "members.roll_over_memberships",
        "5",
        "0",
        "Een vooraf verlengd lidmaatschap wordt actief op zijn eerste dag.",
    ),
    "Lidgeldfacturen": (
        "invoicing.issue_dues_invoices",
        "20",
        "0",
        "De factuur voor het lidgeld van elk lidmaatschap dat vandaag ingaat (nieuw of verlengd).",
    ),
    "E-facturen versturen": (
        "invoicing.send_due",
        "*",
        "*",
        "Elke minuut: facturen en creditnota's die nog via Peppol verstuurd moeten worden.",
    ),
    "Betalingsherinneringen": (
        "invoicing.send_payment_reminders",
        "30",
        "8",
        "Een herinnering voor elke open factuur 7 en 21 dagen na de vervaldag, elke stap één keer.",
    ),
    "Webhooks versturen": (
        "chambers.webhook_deliver_due",
        "*",
        "*",
        "Elke minuut: de webhooks voor partners die (opnieuw) verstuurd moeten worden.",
    ),
    "Uitgaande e-mails versturen": (
        "mail.drain_outbox",
        "*",
        "*",
        "Elke minuut: de e-mails die nog niet vertrokken (de broker was onbereikbaar, de "
        "mailserver weigerde) opnieuw proberen.",
    ),
    "Herinneringen voor accreditaties": (
        "chambers.send_accreditation_reminders",
        "15",
        "7",
        "Zelfevaluaties 14 en 3 dagen voor hun uiterste datum, accreditaties 90 en 30 dagen "
        "voor ze aflopen.",
    ),
    "Bewaartermijnen toepassen": (
        "alliance.apply_retention",
        "30",
        "3",
        "Wist of anonimiseert elke nacht wat de bewaartermijnen zeggen: oude inschrijvingen, "
        "API-log, webhookinhoud, mislukte taken, export- en importbestanden, verzonden e-mails.",
    ),
}


class Command(BaseCommand):
    help = "Create or update the periodic tasks (beat schedules) of the portal."

    def handle(self, *args, **options):
        timezone = ZoneInfo(settings.CELERY_TIMEZONE)
        with transaction.atomic():
            for name, (task, minute, hour, description) in SCHEDULES.items():
                crontab, _ = CrontabSchedule.objects.get_or_create(
                    minute=minute,
                    hour=hour,
                    day_of_week="*",
                    day_of_month="*",
                    month_of_year="*",
                    timezone=timezone,
                )
                periodic, created = PeriodicTask.objects.get_or_create(
                    name=name,
                    defaults={"task": task, "crontab": crontab, "description": description},
                )
                if not created and (
                    periodic.task,
                    periodic.crontab_id,
                    periodic.interval_id,
                    periodic.description,
                ) != (task, crontab.pk, None, description):
                    periodic.task = task
                    periodic.crontab = crontab
                    periodic.interval = None
                    periodic.description = description
                    periodic.save()
                state = "+" if created else "="
                self.stdout.write(f"{state} {name}: {task} ({minute} {hour} * * *)")

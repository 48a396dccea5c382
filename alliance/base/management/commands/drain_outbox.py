"""Send the e-mails waiting in the outbox now, without a worker (after an outage, or by cron).

Safe beside running workers and a second drain: each message is claimed with FOR UPDATE SKIP
LOCKED and marked sent in the same transaction (alliance.base.mail.send_pending).
"""

from django.core.management.base import BaseCommand

from alliance.base import mail
from alliance.base.models import OutboxMessage


class Command(BaseCommand):
    help = "Send the e-mails that are due in the outbox."

    def handle(self, *args, **options):
        sent = mail.drain()
        left = OutboxMessage.objects.pending().count()
        failed = OutboxMessage.objects.filter(failed_at__isnull=False).count()
        self.stdout.write(f"{sent} sent, {left} pending, {failed} given up")

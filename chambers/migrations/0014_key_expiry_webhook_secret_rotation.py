"""Every partner API key expires: keys made without a date get API_KEY_LIFETIME_DAYS from now
(their partners have that long to rotate them), and the database refuses a key without one.
Webhook endpoints keep their previous secret for the overlap after a rotation."""

import datetime

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def give_keys_an_expiry(apps, schema_editor):
    PartnerAPIKey = apps.get_model("chambers", "PartnerAPIKey")
    PartnerAPIKey.objects.filter(expiry_date__isnull=True).update(
        expiry_date=timezone.now() + datetime.timedelta(days=settings.API_KEY_LIFETIME_DAYS)
    )


class Migration(migrations.Migration):
    dependencies = [("chambers", "0012_agreement_period_message")]

    operations = [
        migrations.RunPython(give_keys_an_expiry, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="partnerapikey",
            constraint=models.CheckConstraint(
                condition=models.Q(expiry_date__isnull=False), name="api_key_expires"
            ),
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="previous_secret",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=80, verbose_name="vorig geheim"
            ),
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="previous_secret_expires_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="vorig geheim geldig tot"
            ),
        ),
    ]

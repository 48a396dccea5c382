# The API's keyset order (starts_at, pk): make bench found the list sorting every event per page.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0030_event_kmo_recognition_number"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["starts_at", "id"], name="event_api_order_idx"),
        ),
    ]

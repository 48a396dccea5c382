"""Registration closes at the event's start at the latest (issue 11).

Events whose registration used to close after the start (up to the end) are closed at the
start; an opening at or after the start is dropped (it could never be used).
"""

from django.db import migrations, models

CLAMP = """
UPDATE events_event SET registration_opens_at = NULL
 WHERE registration_opens_at >= starts_at
   AND registration_closes_at > starts_at;
UPDATE events_event SET registration_closes_at = starts_at
 WHERE registration_closes_at > starts_at;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_partner_proposals_and_delegations"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="event",
            name="event_registration_closes_before_end",
        ),
        migrations.RunSQL(CLAMP, reverse_sql=migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("registration_closes_at__isnull", True),
                    ("registration_closes_at__lte", models.F("starts_at")),
                    _connector="OR",
                ),
                name="event_registration_closes_by_start",
            ),
        ),
    ]

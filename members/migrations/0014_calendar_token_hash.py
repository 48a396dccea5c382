"""Calendar tokens are stored as their SHA-256 only. Existing links keep working: each stored
token is replaced by its hash, and the feed looks a token up by its hash."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    Person = apps.get_model("members", "Person")
    people = list(Person.objects.exclude(calendar_token__isnull=True).only("calendar_token"))
    for person in people:
        person.calendar_token_hash = hashlib.sha256(person.calendar_token.encode()).hexdigest()
    Person.objects.bulk_update(people, ["calendar_token_hash"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("members", "0012_company_country_identifiers")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="calendar_token_hash",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                null=True,
                unique=True,
                verbose_name="agenda-sleutel (hash)",
            ),
        ),
        # Forwards only: a hash cannot be turned back into the token.
        migrations.RunPython(hash_tokens, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="person", name="calendar_token"),
    ]

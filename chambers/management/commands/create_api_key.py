"""manage.py create_api_key --partner <slug> --scopes events:read,directory:read

Prints a new key once: only its hash is kept.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from alliance.base import audit
from chambers import services
from chambers.models import ApiScope, Chamber, Partner


class Command(BaseCommand):
    help = "Maak een API-sleutel voor een partner en toon ze één keer."

    def add_arguments(self, parser):
        parser.add_argument("--partner", required=True, help="slug van de partner")
        parser.add_argument(
            "--scopes",
            required=True,
            help="rechten, met komma's: " + ", ".join(ApiScope.values),
        )
        parser.add_argument("--name", default="", help="naam van de sleutel (max. 50 tekens)")
        parser.add_argument(
            "--chambers", default="", help="slugs van kamers, met komma's (leeg: alle kamers)"
        )
        parser.add_argument(
            "--expires",
            type=datetime.date.fromisoformat,
            help="vervaldatum JJJJ-MM-DD (standaard: over een jaar)",
        )

    def handle(self, *args, **options):
        # The audit trail names the system and this command as the key's maker.
        with audit.command_context("create_api_key"):
            return self._create(**options)

    def _create(self, **options):
        try:
            partner = Partner.objects.get(slug=options["partner"])
        except Partner.DoesNotExist:
            raise CommandError(f"Geen partner met slug {options['partner']!r}.") from None
        scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
        slugs = [slug.strip() for slug in options["chambers"].split(",") if slug.strip()]
        chambers = list(Chamber.objects.filter(slug__in=slugs))
        missing = set(slugs) - {chamber.slug for chamber in chambers}
        if missing:
            raise CommandError(f"Onbekende kamers: {', '.join(sorted(missing))}.")
        expires_on = options["expires"] or timezone.localdate() + datetime.timedelta(days=365)
        expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max))
        name = options["name"] or f"{partner.slug} {timezone.localdate():%Y-%m-%d}"
        try:
            api_key, key = services.api_key_create(
                partner=partner,
                name=name,
                scopes=scopes,
                chambers=chambers,
                expires_at=expires_at,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(
            f"Sleutel {api_key.prefix} voor {partner.name}: rechten {', '.join(api_key.scopes)}, "
            f"kamers {', '.join(slugs) or 'alle'}, geldig tot {expires_on:%Y-%m-%d}. "
            "Bewaar ze nu: ze wordt niet opnieuw getoond."
        )
        self.stdout.write(key)

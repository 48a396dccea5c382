"""`manage.py seed_demo`: the demo alliance, its members, events and log-ins.

Fixed facts from the seed texts are created or updated by natural key; generated rows are keyed
on deterministic enterprise numbers and event slugs, so a second run adds nothing and is quick.
"""

from __future__ import annotations

import contextlib
import datetime
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import transaction
from django.utils import timezone, translation
from tqdm import tqdm

from alliance.demo import generate
from alliance.demo.facts import DEMO_COMPANY, ensure_facts, ensure_seed_events
from alliance.demo.invoices import seed_invoices
from alliance.demo.logins import LOGINS, PASSWORD, ensure_accreditation_cycle, ensure_logins
from chambers.models import (
    Accreditation,
    AccreditationAssessment,
    Alliance,
    Chamber,
    Partner,
    PartnerAgreement,
    StaffRole,
)
from competences.models import CompetenceCentre, Service
from events.models import Event, Registration
from invoicing.models import Invoice
from members.models import Company, Membership, Person, Sector

# From this many companies on, the seed commits slice by slice (the bench's large dataset).
LARGE_DATASET_COMPANIES = 20_000


class RawStream:
    """tqdm redraws its line with '\\r'; OutputWrapper would end every write with a newline."""

    def __init__(self, wrapper: OutputWrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        # As is: no newline, and not coloured as an error.
        self.wrapper.write(text, style_func=str, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


class Command(BaseCommand):
    help = (
        "Vult de databank met de demo-alliantie: kamers, competentiecentra, partners, "
        "ondernemingen, activiteiten, inschrijvingen en demo-aanmeldingen. Mag opnieuw lopen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--companies", type=int, default=5600, help="Aantal ondernemingen (standaard 5600)."
        )
        parser.add_argument(
            "--events",
            type=int,
            default=120,
            help="Aantal gegenereerde activiteiten naast die uit de bronteksten (standaard 120).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Startwaarde (standaard 2026).")
        parser.add_argument(
            "--public-demo",
            action="store_true",
            help=(
                "Ook zonder DEBUG: een publieke demo, waar iedereen de demo-aanmeldingen (met "
                "een superuser) en hun wachtwoord uit de README mag kennen."
            ),
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Ankerdatum JJJJ-MM-DD waar alle data rond liggen (standaard vandaag, Brussel).",
        )

    def handle(self, *args, companies: int, events: int, seed: int, today, **options) -> None:
        self.verbosity = options["verbosity"]
        # The demo's log-ins, a superuser among them, share the README's password: never on a
        # real portal by mistake.
        if not settings.DEBUG and not options["public_demo"]:
            raise CommandError(
                "seed_demo maakt aanmeldingen (ook een superuser) met het publieke wachtwoord uit "
                "de README. Zonder DEBUG enkel met --public-demo, voor een publieke demo."
            )
        if companies < 0 or events < 0:
            raise CommandError("--companies en --events zijn niet negatief.")
        if companies > generate.NUMBER_SPACE:
            raise CommandError(f"Hoogstens {generate.NUMBER_SPACE} ondernemingen.")
        today = today or timezone.localdate()
        started = time.monotonic()
        # The untranslated columns hold Dutch, whatever language the shell runs in. One
        # transaction for the demo; the large dataset (make bench) commits slice by slice
        # instead: one transaction of millions of rows grows slower with every row (its
        # deferred constraint checks queue up), and an interrupted run resumes where it stopped.
        whole = (
            transaction.atomic()
            if companies < LARGE_DATASET_COMPANIES
            else contextlib.nullcontext()
        )
        with translation.override("nl"), whole:
            self.seed(companies=companies, events=events, seed=seed, today=today)
        if self.verbosity >= 1:
            self.report(seed=seed, today=today, seconds=time.monotonic() - started)

    def progress(self, total: int, label: str, unit: str) -> tqdm:
        return tqdm(
            total=total,
            desc=label,
            unit=unit,
            file=RawStream(self.stderr),
            disable=self.verbosity < 1 or not self.stderr.isatty(),
            leave=True,
        )

    def note(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def seed(self, *, companies: int, events: int, seed: int, today: datetime.date) -> None:
        """Everything, in order: facts, log-ins, companies, events, registrations."""
        facts = ensure_facts(today)
        demo_people = ensure_logins(facts, today)
        ensure_accreditation_cycle(facts, today)
        seeds = ensure_seed_events(facts, today)
        self.note("Vaste gegevens en demo-aanmeldingen bijgewerkt.")

        ctx = generate.Context(seed=seed, today=today, facts=facts)
        numbers = generate.enterprise_numbers(seed, companies)
        with self.progress(companies, "Ondernemingen", "ond") as bar:
            new_companies = generate.seed_companies(ctx, numbers, advance=bar.update)
        self.note(
            f"Ondernemingen: {new_companies} nieuw, {companies - new_companies} bestonden al."
        )

        new_events = generate.seed_events(ctx, events)
        self.note(
            f"Activiteiten: {len(new_events) + sum(s.created for s in seeds)} nieuw "
            f"({sum(s.created for s in seeds)} uit de bronteksten)."
        )

        # Registrations only for events created now: an existing event keeps its own.
        todo: list[tuple[Event, int, bool, list[int]]] = [
            (
                s.event,
                round(s.fill * (s.event.capacity or 100)),
                False,
                [demo_people[key].pk for key in s.demo_people],
            )
            for s in seeds
            if s.created
        ]
        todo += [(d.event, d.demand, True, []) for d in new_events]
        registrations = 0
        if todo:
            pool = generate.Pool(
                [*numbers, DEMO_COMPANY["enterprise_number"]], today, facts.chambers.values()
            )
            with self.progress(len(todo), "Inschrijvingen", "act") as bar:
                for event, demand, ramp, first in todo:
                    with transaction.atomic():
                        registrations += generate.write_registrations(
                            generate.draft_registrations(
                                event, demand, pool, ctx, ramp=ramp, first=first
                            )
                        )
                    bar.update(1)
        self.note(f"Inschrijvingen: {registrations} nieuw.")
        self.note(
            f"Prospecten en aanvragen voor lidmaatschap: {generate.seed_open_doors(ctx)} nieuw."
        )
        self.note(f"Facturen en creditnota's: {seed_invoices(facts, today)} nieuw.")

    def report(self, *, seed: int, today: datetime.date, seconds: float) -> None:
        """The counts per table and the demo log-ins, in a block that is easy to copy from."""
        counts: list[tuple[str, Callable[[], int]]] = [
            ("Kamers", Chamber.objects.count),
            ("Allianties", Alliance.objects.count),
            ("Competentiecentra", CompetenceCentre.objects.count),
            ("Diensten", Service.objects.count),
            ("Sectoren", Sector.objects.count),
            ("Partners", Partner.objects.count),
            ("Partnerovereenkomsten", PartnerAgreement.objects.count),
            ("Accreditaties", Accreditation.objects.count),
            ("Accreditatiebeoordelingen", AccreditationAssessment.objects.count),
            ("Ondernemingen", Company.objects.count),
            ("Lidmaatschappen", Membership.objects.count),
            ("  waarvan lopend", lambda: Membership.objects.current(today).count()),
            ("Personen", Person.objects.count),
            ("Activiteiten", Event.objects.count),
            ("Inschrijvingen", Registration.objects.count),
            ("Facturen en creditnota's", Invoice.objects.count),
            ("Gebruikers", get_user_model().objects.count),
            ("Personeelsrollen", StaffRole.objects.count),
        ]
        out = self.stdout
        out.write("")
        out.write(
            self.style.SUCCESS(
                f"Demodata klaar in {seconds:.1f} s (seed {seed}, ankerdatum {today:%Y-%m-%d})."
            )
        )
        for label, count in counts:
            out.write(f"  {label:<28}{count():>10,}".replace(",", "."))
        out.write("")
        out.write(self.style.MIGRATE_HEADING("Demo-aanmeldingen"))
        width = max(len(login.email) for login in LOGINS) + 2
        out.write(f"  {'e-mail':<{width}}{'wachtwoord':<22}rol")
        for login in LOGINS:
            out.write(f"  {login.email:<{width}}{PASSWORD:<22}{login.role}")
        out.write("")

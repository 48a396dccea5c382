"""The demo log-ins: one per role, with verified e-mail addresses so that allauth lets them in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from alliance.demo.facts import Facts, at
from chambers import accreditation
from chambers.models import AccreditationCycle, StaffRole
from members.models import Person

PASSWORD = "demo-alliantie-2026"


@dataclass(frozen=True)
class Login:
    email: str
    first_name: str
    last_name: str
    role: str  # how the summary describes it
    staff_role: str | None = None
    chamber: str | None = None
    person_role: str | None = None  # Person.Role at the demo company
    person_key: str | None = None  # how seed events refer to this person
    superuser: bool = False


LOGINS = [
    Login(
        "admin@alliantie.example",
        "Ilse",
        "Claes",
        "Alliantiebeheerder (superuser, ook /admin/)",
        staff_role=StaffRole.Role.ALLIANCE_ADMIN,
        superuser=True,
    ),
    Login(
        "events.antwerpen-waasland@alliantie.example",
        "Tom",
        "Wouters",
        "Activiteitenbeheerder Antwerpen-Waasland",
        staff_role=StaffRole.Role.EVENT_MANAGER,
        chamber="antwerpen-waasland",
    ),
    Login(
        "events.kempen@alliantie.example",
        "Lies",
        "Geudens",
        "Activiteitenbeheerder Kempen",
        staff_role=StaffRole.Role.EVENT_MANAGER,
        chamber="kempen",
    ),
    Login(
        "events.mechelen@alliantie.example",
        "Pieter",
        "Mertens",
        "Activiteitenbeheerder Mechelen",
        staff_role=StaffRole.Role.EVENT_MANAGER,
        chamber="mechelen",
    ),
    Login(
        "events.limburg@alliantie.example",
        "Katrien",
        "Vrancken",
        "Activiteitenbeheerder Limburg",
        staff_role=StaffRole.Role.EVENT_MANAGER,
        chamber="limburg",
    ),
    Login(
        "kamer.kempen@alliantie.example",
        "Sofie",
        "Verheyen",
        "Kamerbeheerder Kempen (vult de zelfevaluatie voor de accreditatie in)",
        staff_role=StaffRole.Role.CHAMBER_ADMIN,
        chamber="kempen",
    ),
    Login(
        "federatie@alliantie.example",
        "Marc",
        "Dewitte",
        "Accreditatiebeoordelaar van de federatie",
        staff_role=StaffRole.Role.FEDERATION_REVIEWER,
    ),
    Login(
        "beheerder@dijleland.example",
        "Els",
        "Van Dyck",
        "Bedrijfsbeheerder, Dijleland Verpakkingen NV (lid in Mechelen)",
        person_role=Person.Role.ADMIN,
        person_key="admin",
    ),
    Login(
        "medewerker@dijleland.example",
        "Bram",
        "Peeters",
        "Medewerker, Dijleland Verpakkingen NV (lid in Mechelen)",
        person_role=Person.Role.EMPLOYEE,
        person_key="employee",
    ),
]


def ensure_logins(facts: Facts, today: datetime.date) -> dict[str, Person]:
    """Create or reset every demo log-in; returns the demo company's people by person_key."""
    User = get_user_model()
    # One hash for all: hashing is deliberately slow, and the password is public anyway.
    password = make_password(PASSWORD)
    people = {}
    for login in LOGINS:
        user, _ = User.objects.update_or_create(
            username=login.email,
            defaults={
                "email": login.email,
                "first_name": login.first_name,
                "last_name": login.last_name,
                "is_active": True,
                "is_staff": login.superuser,
                "is_superuser": login.superuser,
                "password": password,
            },
        )
        # Mandatory verification: without a verified address allauth would not let them in.
        EmailAddress.objects.filter(user=user).exclude(email=login.email).update(primary=False)
        EmailAddress.objects.update_or_create(
            user=user, email=login.email, defaults={"verified": True, "primary": True}
        )
        if login.staff_role:
            StaffRole.objects.update_or_create(
                user=user,
                chamber=facts.chambers[login.chamber] if login.chamber else None,
                defaults={"role": login.staff_role},
            )
        if login.person_role:
            values = {
                "user": user,
                "role": login.person_role,
                "first_name": login.first_name,
                "last_name": login.last_name,
                "job_title": "Zaakvoerder"
                if login.person_role == Person.Role.ADMIN
                else "Exportmanager",
                "preferred_language": "nl",
                "newsletter_consent": True,
                "event_suggestions_consent": True,
            }
            person, _ = Person.objects.update_or_create(
                company=facts.demo_company,
                email=login.email,
                defaults=values,
                create_defaults={
                    **values,
                    "consents_updated_at": at(today - datetime.timedelta(days=30), 10),
                },
            )
            person.interest_centres.set(
                [facts.centres["duurzaam-ondernemen"], facts.centres["integrale-innovatie"]]
            )
            person.interest_sectors.set([facts.sectors["maakindustrie"]])
            people[login.person_key] = person
    return people


# The demo's accreditation cycle in progress: Kempen's, opened by the federation's reviewer,
# half filled in by its chamber admin (one answer with a reviewer-ready explanation per number).
DEMO_ANSWERS = {
    1: ("meets", "Ruim 1.300 leden; de ledenaantallen en de hernieuwingen staan hieronder."),
    2: ("meets", "De statuten leggen politieke neutraliteit vast; geen mandatarissen in de raad."),
    3: ("meets", "Partner van de provincie en de stad in het streekpact Kempen."),
    4: ("partly", "De kerntaken zijn vervuld; internationaal ondernemen loopt via de alliantie."),
    5: ("meets", "Vijf jaar positief resultaat; de jaarrekening is neergelegd."),
    9: (
        "meets",
        "Alliantie met Antwerpen-Waasland en Mechelen; samen georganiseerde activiteiten.",
    ),
}


def ensure_accreditation_cycle(facts: Facts, today: datetime.date) -> None:
    """Kempen's accreditation cycle in progress, once (an undecided cycle is left as it is)."""
    kempen = facts.chambers["kempen"]
    if AccreditationCycle.objects.filter(chamber=kempen).undecided().exists():
        return
    User = get_user_model()
    reviewer = User.objects.get(username="federatie@alliantie.example")
    admin = User.objects.get(username="kamer.kempen@alliantie.example")
    # Deadlines ahead of the real today too (a demo seeded "on" an earlier day).
    start = max(today, timezone.localdate())
    cycle = accreditation.accreditation_cycle_open(
        chamber=kempen,
        self_assessment_due=start + datetime.timedelta(days=21),
        decision_due=start + datetime.timedelta(days=60),
        actor=reviewer,
    )
    for answer in cycle.answers.select_related("principle"):
        if answer.principle.number in DEMO_ANSWERS:
            status, explanation = DEMO_ANSWERS[answer.principle.number]
            accreditation.accreditation_answer_save(
                answer=answer, status=status, explanation=explanation, actor=admin
            )

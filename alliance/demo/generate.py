"""Generated demo rows: companies with memberships and people, events, registrations.

Every row is drawn from its own `random.Random`, seeded with the run's seed and the row's index
(or the event's slug), so that company 17 is the same company whether 60 or 100,000 are
generated, a later run can add the missing ones only, and nothing depends on database ids or on
the order in which earlier rows were written.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import itertools
import random
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.text import slugify
from faker import Faker

from alliance.demo import vocabulary as words
from alliance.demo.facts import (
    ALLIANCE_CHAMBERS,
    AREAS,
    SECTORS,
    Area,
    Facts,
    Text,
    at,
)
from chambers.models import Chamber
from events.models import Event, Registration
from events.rules import terms_for
from members.models import (
    Company,
    ConsentRecord,
    Membership,
    MembershipApplication,
    Person,
    Prospect,
)

BATCH_SIZE = 2000
T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed weighted choice, with the cumulative weights computed once."""

    def __init__(self, pairs: Iterable[tuple[T, float]]):
        items, weights = zip(*pairs, strict=True)
        self.items: tuple[T, ...] = items
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk_through(m2m: models.ManyToManyField, pairs: Iterable[tuple[int, int]]) -> int:
    """Insert (source id, target id) rows straight into a many-to-many table."""
    through = m2m.remote_field.through
    source, target = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
    rows = [through(**{source: a, target: b}) for a, b in pairs]
    through.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def ascii_fold(text: str) -> str:
    """'Géraldine Van Hoof' → 'geraldinevanhoof': what fits in the local part of an e-mail."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(char for char in folded if char.isalnum())


def round_to(amount: float, step: int = 5) -> Decimal:
    return Decimal(int(round(amount / step)) * step).quantize(Decimal("0.01"))


# --- Enterprise numbers --------------------------------------------------------------------

# Generated numbers are 0BBBBBBB + two check digits with the base in 02000000–09999999; the
# demo company's number starts with 01, so it is never generated.
NUMBER_OFFSET = 2_000_000
NUMBER_SPACE = 8_000_000


def enterprise_numbers(seed: int, count: int) -> list[str]:
    """`count` distinct valid enterprise numbers, the same for the same seed.

    The i-th base is offset + (start + i · step) mod space with step coprime to the space
    (2⁹ · 5⁶), which walks through the space without repeating: unique without a lookup.
    """
    if count > NUMBER_SPACE:
        raise ValueError(f"At most {NUMBER_SPACE} companies.")
    rng = random.Random(f"{seed}:enterprise-numbers")
    step = rng.randrange(1_000_001, NUMBER_SPACE, 2)
    while step % 5 == 0:
        step += 2
    start = rng.randrange(NUMBER_SPACE)
    numbers = []
    for index in range(count):
        base = NUMBER_OFFSET + (start + index * step) % NUMBER_SPACE
        numbers.append(f"{base:08d}{97 - base % 97:02d}")
    return numbers


# --- The generation context ----------------------------------------------------------------

CHAMBER_SHARE = {"antwerpen-waasland": 40, "kempen": 20, "mechelen": 20, "limburg": 20}

SECTOR_BASE_WEIGHT = {
    "chemie-en-farma": 1.0,
    "land-en-tuinbouw": 0.8,
    "logistiek-en-transport": 2.0,
    "voeding": 1.5,
    "maakindustrie": 2.5,
    "agritech": 0.4,
    "life-sciences-en-gezondheid": 0.8,
    "energie": 1.0,
    "digitaal": 2.0,
    "bouw": 3.0,
    "handel": 3.0,
    "zakelijke-dienstverlening": 4.0,
    "horeca-en-toerisme": 1.5,
    "textiel-hout-en-meubel": 0.8,
}
# What each region is known for: the port and its chemistry, Geel and Beerse, the vegetable
# auctions of Sint-Katelijne-Waver, Limburg's logistics and fruit.
SECTOR_BOOST = {
    "antwerpen-waasland": {"chemie-en-farma": 3, "logistiek-en-transport": 2.5, "handel": 1.3},
    "kempen": {
        "maakindustrie": 1.6,
        "chemie-en-farma": 1.5,
        "energie": 2,
        "life-sciences-en-gezondheid": 1.5,
        "land-en-tuinbouw": 1.5,
    },
    "mechelen": {
        "land-en-tuinbouw": 2.5,
        "voeding": 1.5,
        "life-sciences-en-gezondheid": 2,
        "chemie-en-farma": 1.3,
        "logistiek-en-transport": 1.5,
    },
    "limburg": {
        "logistiek-en-transport": 2,
        "maakindustrie": 1.5,
        "agritech": 3,
        "voeding": 1.5,
        "land-en-tuinbouw": 1.5,
    },
}

SIZE = Weighted(
    [
        (Company.SizeClass.MICRO, 50),
        (Company.SizeClass.SMALL, 30),
        (Company.SizeClass.MEDIUM, 14),
        (Company.SizeClass.LARGE, 6),
    ]
)
LEGAL_FORM = Weighted(
    [
        (Company.LegalForm.BV, 55),
        (Company.LegalForm.NV, 25),
        (Company.LegalForm.CV, 4),
        (Company.LegalForm.VZW, 4),
        (Company.LegalForm.SOLE_TRADER, 10),
        (Company.LegalForm.OTHER, 2),
    ]
)
LEGAL_SUFFIX = {"bv": "BV", "nv": "NV", "cv": "CV", "vzw": "vzw"}
PEOPLE_PER_SIZE = {
    "micro": Weighted([(1, 55), (2, 35), (3, 10)]),
    "small": Weighted([(1, 25), (2, 40), (3, 25), (4, 10)]),
    "medium": Weighted([(2, 35), (3, 35), (4, 30)]),
    "large": Weighted([(2, 20), (3, 35), (4, 45)]),
}
ANNUAL_FEE = {"micro": 395, "small": 695, "medium": 1450, "large": 2950}
LANGUAGE = Weighted([("nl", 87), ("fr", 8), ("en", 5)])
EXPORT_COUNTRY = Weighted(words.EXPORT_COUNTRIES)
EXPORT_ORDER = {code: position for position, (code, _) in enumerate(words.EXPORT_COUNTRIES)}
SECTOR_PHRASE = {fact.slug: fact.phrase for fact in SECTORS}


class Fakers:
    """One Faker per language, drawing from whichever Random the current row uses."""

    def __init__(self) -> None:
        self.by_language = {"nl": Faker("nl_BE"), "fr": Faker("fr_BE"), "en": Faker("en_GB")}

    def use(self, rng: random.Random) -> None:
        for fake in self.by_language.values():
            fake.random = rng

    def __getitem__(self, language: str) -> Faker:
        return self.by_language[language]


@dataclass
class Context:
    """What generation needs from the fixed facts, as ids and ready-made weighted choices."""

    seed: int
    today: datetime.date
    facts: Facts
    fakers: Fakers = field(default_factory=Fakers)

    def __post_init__(self) -> None:
        self.now = at(self.today, 12)
        self.chamber_ids = {slug: chamber.pk for slug, chamber in self.facts.chambers.items()}
        self.centre_ids = {slug: centre.pk for slug, centre in self.facts.centres.items()}
        self.sector_ids = {slug: sector.pk for slug, sector in self.facts.sectors.items()}
        self.partner_ids = {slug: partner.pk for slug, partner in self.facts.partners.items()}
        self.seats = {
            slug: max(areas, key=lambda a: a.weight).municipality for slug, areas in AREAS.items()
        }
        self.home_chamber = Weighted(CHAMBER_SHARE.items())
        self.areas = {
            slug: Weighted((area, area.weight) for area in areas) for slug, areas in AREAS.items()
        }
        self.sector_choice = {
            chamber: Weighted(
                (slug, weight * SECTOR_BOOST[chamber].get(slug, 1))
                for slug, weight in SECTOR_BASE_WEIGHT.items()
            )
            for chamber in CHAMBER_SHARE
        }


# --- Companies, memberships, people --------------------------------------------------------


@dataclass
class PersonDraft:
    person: Person
    centre_ids: list[int]
    sector_ids: list[int]


@dataclass
class CompanyDraft:
    company: Company
    sector_ids: list[int]
    memberships: list[Membership]
    people: list[PersonDraft]


def company_name(
    rng: random.Random, fake: Faker, legal_form: str, sector: str, area: Area
) -> tuple[str, str]:
    """A Belgian-looking name with its legal form, and the stem its web and mail domain uses."""
    word = rng.choice(words.SECTOR_WORDS[sector])
    style = rng.random()
    if legal_form == Company.LegalForm.VZW:
        core = rng.choice(
            ["Ondernemersvereniging", "Bedrijvencentrum", "Opleidingscentrum", "Maatwerkbedrijf"]
        )
        core = f"{core} {area.municipality}"
    elif legal_form == Company.LegalForm.SOLE_TRADER:
        core = f"{word} {fake.last_name()}"
    elif style < 0.35:
        core = f"{fake.last_name()} {word}"
    elif style < 0.5:
        core = f"{fake.last_name()} & {fake.last_name()}"
    elif style < 0.6:
        core = f"{fake.last_name()} & Zonen"
    elif style < 0.8:
        core = f"{rng.choice(words.BRAND_STEMS)}{rng.choice(words.BRAND_ENDINGS)} {word}"
    else:
        core = f"{word} {area.municipality}"
    suffix = LEGAL_SUFFIX.get(legal_form)
    return (f"{core} {suffix}" if suffix else core), slugify(core)[:50].strip("-")


def join_nl(items: Sequence[str]) -> str:
    """['A', 'B', 'C'] → 'A, B en C'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} en {items[-1]}"


def draft_memberships(
    rng: random.Random, company: Company, chamber_id: int, tier: str, fee: Decimal, today
) -> list[Membership]:
    """Calendar-year periods at the home chamber: mostly current, some lapsed, ended, pending."""
    year = today.year
    joined = max(company.founded_year or year, year - min(int(rng.expovariate(1 / 7)), 30))
    roll = rng.random()

    def period(start_year: int, status: str) -> Membership:
        return Membership(
            company=company,
            chamber_id=chamber_id,
            tier=tier,
            status=status,
            valid_from=datetime.date(start_year, 1, 1),
            valid_until=datetime.date(start_year, 12, 31),
            annual_fee=fee,
        )

    if roll < 0.05:
        starts = today + datetime.timedelta(days=rng.randint(1, 45))
        return [
            Membership(
                company=company,
                chamber_id=chamber_id,
                tier=tier,
                status=Membership.Status.PENDING,
                valid_from=starts,
                valid_until=starts + datetime.timedelta(days=364),
                annual_fee=fee,
            )
        ]
    if roll < 0.85:
        last, last_status = year, Membership.Status.ACTIVE
    elif roll < 0.93:
        last, last_status = year - 1, Membership.Status.LAPSED
    else:
        last, last_status = year - rng.randint(1, 3), Membership.Status.ENDED
    # Zero to two earlier, ended periods: enough history to show, not a table full of it.
    first = max(min(joined, last), last - rng.choice((0, 0, 1, 1, 2)))
    history = [period(y, Membership.Status.ENDED) for y in range(first, last)]
    return [*history, period(last, last_status)]


def draft_people(
    rng: random.Random,
    ctx: Context,
    company: Company,
    domain: str,
    chamber: str,
    sector_ids: list[int],
) -> list[PersonDraft]:
    drafts = []
    emails: set[str] = set()
    centre_ids = list(ctx.centre_ids.values()) if chamber in ALLIANCE_CHAMBERS else []
    all_sector_ids = list(ctx.sector_ids.values())
    for position in range(PEOPLE_PER_SIZE[company.size_class].pick(rng)):
        language = LANGUAGE.pick(rng)
        fake = ctx.fakers[language]
        first_name, last_name = fake.first_name(), fake.last_name()
        local = f"{ascii_fold(first_name)}.{ascii_fold(last_name)}"
        email = f"{local}@{domain}.example"
        suffix = 2
        while email in emails:
            email = f"{local}{suffix}@{domain}.example"
            suffix += 1
        emails.add(email)
        newsletter, suggestions = rng.random() < 0.6, rng.random() < 0.45
        is_admin = position == 0
        drafts.append(
            PersonDraft(
                Person(
                    company=company,
                    role=Person.Role.ADMIN if is_admin else Person.Role.EMPLOYEE,
                    first_name=first_name,
                    last_name=last_name,
                    job_title=rng.choice(words.ADMIN_JOBS if is_admin else words.EMPLOYEE_JOBS),
                    email=email,
                    phone=f"+32 4{rng.choice('5789')}{rng.randint(0, 9)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                    preferred_language=language,
                    newsletter_consent=newsletter,
                    event_suggestions_consent=suggestions,
                    consents_updated_at=(
                        at(ctx.today - datetime.timedelta(days=rng.randint(1, 700)), 10)
                        if newsletter or suggestions
                        else None
                    ),
                ),
                centre_ids=rng.sample(centre_ids, k=min(len(centre_ids), rng.choice((0, 1, 1, 2)))),
                sector_ids=sorted(
                    set(rng.sample(sector_ids, k=min(len(sector_ids), rng.choice((0, 1, 1)))))
                    | set(rng.sample(all_sector_ids, k=rng.choice((0, 0, 1))))
                ),
            )
        )
    return drafts


def draft_company(index: int, number: str, ctx: Context) -> CompanyDraft:
    """Company `index` of the run's seed, with its memberships and people (all unsaved)."""
    rng = random.Random(f"{ctx.seed}:company:{index}")
    ctx.fakers.use(rng)
    today = ctx.today
    chamber = ctx.home_chamber.pick(rng)
    area = ctx.areas[chamber].pick(rng)
    sectors = [ctx.sector_choice[chamber].pick(rng)]
    if rng.random() < 0.3:
        second = ctx.sector_choice[chamber].pick(rng)
        if second != sectors[0]:
            sectors.append(second)
    size = SIZE.pick(rng)
    legal_form = LEGAL_FORM.pick(rng)
    if size in (Company.SizeClass.MEDIUM, Company.SizeClass.LARGE):
        legal_form = rng.choice((Company.LegalForm.NV, Company.LegalForm.BV))
    age = min(int(rng.expovariate(1 / 18)), 150)
    founded = max(today.year - age, 1850)
    family = legal_form != Company.LegalForm.VZW and rng.random() < 0.45
    name, domain = company_name(rng, ctx.fakers["nl"], legal_form, sectors[0], area)
    exports = []
    if rng.random() < 0.45:
        picked = {EXPORT_COUNTRY.pick(rng) for _ in range(rng.randint(1, 6))}
        exports = sorted(picked, key=EXPORT_ORDER.__getitem__)
    languages = ["nl"] + [
        code for code, share in (("fr", 0.45), ("en", 0.6), ("de", 0.15)) if rng.random() < share
    ]
    description = ""
    if rng.random() < 0.65:
        who = "Familiebedrijf" if family else ("Starter" if age <= 3 else "Onderneming")
        description = (
            f"{who} uit {area.municipality}, actief in {SECTOR_PHRASE[sectors[0]]} sinds {founded}."
        )
        if exports:
            description += (
                f" Exporteert naar {join_nl([words.COUNTRY_NAMES_NL[c] for c in exports])}."
            )
    consent = rng.random() < 0.55
    company = Company(
        name=name,
        slug=f"{slugify(name)[:180]}-{number}",
        enterprise_number=number,
        legal_form=legal_form,
        size_class=size,
        street=f"{rng.choice(words.STREETS)} {rng.randint(1, 250)}",
        postcode=area.postcode,
        municipality=area.municipality,
        website=f"https://www.{domain}.example" if rng.random() < 0.75 else "",
        description=description,
        is_family_business=family,
        founded_year=founded,
        export_countries=exports,
        languages=languages,
        directory_consent=consent,
        directory_consent_at=(
            at(today - datetime.timedelta(days=rng.randint(1, 900)), rng.randint(8, 18))
            if consent
            else None
        ),
    )
    # Shown to partners: about half of those in the directory, decided by the number (not by
    # the random stream, so that every other fact of the demo stays as it was).
    if consent and int(number) % 2 == 0:
        company.give_partner_consent()
        company.partner_consent_at = company.directory_consent_at
    if age <= 3 and size in (Company.SizeClass.MICRO, Company.SizeClass.SMALL):
        tier, fee = Membership.Tier.STARTER, Decimal("250.00")
    elif size in (Company.SizeClass.MEDIUM, Company.SizeClass.LARGE) and rng.random() < 0.3:
        tier, fee = Membership.Tier.PREMIUM, round_to(ANNUAL_FEE[size] * 1.6)
    else:
        tier, fee = Membership.Tier.STANDARD, Decimal(ANNUAL_FEE[size]).quantize(Decimal("0.01"))
    sector_ids = [ctx.sector_ids[slug] for slug in sectors]
    return CompanyDraft(
        company=company,
        sector_ids=sector_ids,
        memberships=draft_memberships(rng, company, ctx.chamber_ids[chamber], tier, fee, today),
        people=draft_people(rng, ctx, company, domain, chamber, sector_ids),
    )


def existing_numbers(numbers: Sequence[str]) -> set[str]:
    """Which of `numbers` are already in the database (in slices: one IN list per slice)."""
    found: set[str] = set()
    for chunk in chunked(numbers, 5000):
        found.update(
            Company.objects.filter(enterprise_number__in=chunk).values_list(
                "enterprise_number", flat=True
            )
        )
    return found


def consent_records(company: Company) -> list[ConsentRecord]:
    """The history behind a generated company's consents: given once, on their dates."""
    records = []
    if company.directory_consent:
        records.append(
            ConsentRecord(
                company=company,
                purpose=ConsentRecord.Purpose.DIRECTORY,
                given=True,
                source=ConsentRecord.Source.IMPORT,
                recorded_at=company.directory_consent_at,
            )
        )
    if company.partner_consent:
        records.append(
            ConsentRecord(
                company=company,
                purpose=ConsentRecord.Purpose.PARTNERS,
                given=True,
                text=company.partner_consent_purpose,
                source=ConsentRecord.Source.IMPORT,
                recorded_at=company.partner_consent_at,
            )
        )
    return records


def write_companies(drafts: Sequence[CompanyDraft]) -> dict[str, int]:
    """Insert one slice of drafts: companies first, then the rows that point at them."""
    Company.objects.bulk_create([d.company for d in drafts], batch_size=BATCH_SIZE)
    ConsentRecord.objects.bulk_create(
        [record for d in drafts for record in consent_records(d.company)], batch_size=BATCH_SIZE
    )
    memberships = [m for d in drafts for m in d.memberships]
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    people = [p for d in drafts for p in d.people]
    Person.objects.bulk_create([p.person for p in people], batch_size=BATCH_SIZE)
    bulk_through(
        Company._meta.get_field("sectors"),
        ((d.company.pk, sector_id) for d in drafts for sector_id in d.sector_ids),
    )
    bulk_through(
        Person._meta.get_field("interest_centres"),
        ((p.person.pk, centre_id) for p in people for centre_id in p.centre_ids),
    )
    bulk_through(
        Person._meta.get_field("interest_sectors"),
        ((p.person.pk, sector_id) for p in people for sector_id in p.sector_ids),
    )
    return {"companies": len(drafts), "memberships": len(memberships), "people": len(people)}


def seed_companies(
    ctx: Context, numbers: Sequence[str], advance: Callable[[int], object] = lambda n: None
) -> int:
    """Generate and insert the companies whose numbers are not in the database yet."""
    present = existing_numbers(numbers)
    missing = [(index, number) for index, number in enumerate(numbers) if number not in present]
    advance(len(numbers) - len(missing))
    for chunk in chunked(missing, BATCH_SIZE):
        drafts = []
        for index, number in chunk:
            drafts.append(draft_company(index, number, ctx))
            advance(1)
        with transaction.atomic():
            write_companies(drafts)
    return len(missing)


# --- Events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindProfile:
    weight: int
    capacity: tuple[int, int]
    unlimited: float  # share without a capacity limit
    member_prices: tuple[int, ...]
    members_only: float
    starts: tuple[tuple[int, int], ...]  # possible start times
    hours: tuple[float, ...]  # possible durations, or days for multi-day kinds
    days: tuple[int, ...] = (1,)


KINDS: dict[str, KindProfile] = {
    Event.Kind.SEMINAR: KindProfile(
        22, (40, 150), 0.2, (0, 0, 35, 45, 65), 0.05, ((9, 0), (14, 0), (18, 0)), (2.5, 3)
    ),
    Event.Kind.TRAINING: KindProfile(
        18, (10, 24), 0.0, (195, 295, 395, 595), 0.3, ((9, 0),), (3, 7.5)
    ),
    Event.Kind.WORKSHOP: KindProfile(12, (15, 40), 0.0, (0, 25, 45), 0.05, ((9, 0), (14, 0)), (3,)),
    Event.Kind.NETWORKING: KindProfile(
        15, (40, 120), 0.4, (0, 0, 15, 25), 0.2, ((7, 30), (17, 30), (18, 30)), (2, 3)
    ),
    Event.Kind.COMPANY_VISIT: KindProfile(
        12, (15, 40), 0.0, (0, 25, 35), 0.1, ((14, 0), (16, 0)), (3,)
    ),
    Event.Kind.FORUM: KindProfile(5, (100, 300), 0.1, (45, 95, 145), 0.0, ((13, 0),), (6,)),
    Event.Kind.TRADE_MISSION: KindProfile(
        8, (8, 20), 0.0, (1450, 2450, 3950), 0.4, ((8, 0),), (10,), days=(3, 4, 5, 6)
    ),
    Event.Kind.TRADE_FAIR_VISIT: KindProfile(
        8, (20, 50), 0.0, (95, 145, 195, 295), 0.1, ((6, 30),), (13.5,), days=(1, 1, 2)
    ),
}
KIND = Weighted((kind, profile.weight) for kind, profile in KINDS.items())
ORGANISER = Weighted(
    [("antwerpen-waasland", 35), ("kempen", 22), ("mechelen", 23), ("limburg", 20)]
)
EVENT_LANGUAGE = Weighted([("nl", 90), ("en", 8), ("fr", 2)])


@dataclass
class EventDraft:
    event: Event
    co_organiser_ids: list[int]
    partner_ids: list[int]
    sector_ids: list[int]
    demand: int  # how many want to register once registration has run its course


def event_slug(seed: int, index: int, title: str) -> str:
    """Readable and stable: the Dutch title plus a short digest of (seed, index).

    Nothing in it may depend on the anchor day, or a run on another day would add the event again.
    """
    digest = hashlib.sha1(f"{seed}:event:{index}".encode()).hexdigest()[:6]
    return f"{slugify(title)[:160].strip('-')}-{digest}"


def fill(template: Text, **values: str | Text) -> Text:
    """Format each language of `template`, taking the same language of any Text value."""

    def one(language: str) -> str:
        return getattr(template, language).format(
            **{k: getattr(v, language) if isinstance(v, Text) else v for k, v in values.items()}
        )

    return Text(one("nl"), one("fr"), one("en"))


def joined(first: Text, second: Text) -> Text:
    """Two texts as one, language by language."""
    return Text(f"{first.nl} {second.nl}", f"{first.fr} {second.fr}", f"{first.en} {second.en}")


def networking_title(rng: random.Random, hour: int) -> Text:
    """A breakfast in the morning, a café or after-work later on."""
    return rng.choice(
        [title for title, breakfast in words.NETWORKING_TITLES if breakfast == (hour < 10)]
    )


def draft_event(index: int, ctx: Context) -> EventDraft:
    """Generated event `index`: kind, organiser, theme, date within a year of the anchor day."""
    rng = random.Random(f"{ctx.seed}:event:{index}")
    ctx.fakers.use(rng)
    kind = KIND.pick(rng)
    profile = KINDS[kind]
    organiser = ORGANISER.pick(rng)
    in_alliance = organiser in ALLIANCE_CHAMBERS
    leads = {slug: centre.lead_chamber_id for slug, centre in ctx.facts.centres.items()}
    centre = None
    if kind in (Event.Kind.TRADE_MISSION, Event.Kind.TRADE_FAIR_VISIT):
        centre = "internationaal-ondernemen" if in_alliance else None
    elif in_alliance and rng.random() < 0.8:
        own = sorted(slug for slug, lead in leads.items() if lead == ctx.chamber_ids[organiser])
        centre = rng.choice(own if rng.random() < 0.6 else sorted(leads))
    day = ctx.today + datetime.timedelta(days=rng.randint(-365, 365))
    days = rng.choice(profile.days)
    if days == 1 and day.weekday() >= 5:
        day -= datetime.timedelta(days=day.weekday() - 4)  # weekend → the Friday before
    hour, minute = rng.choice(profile.starts)
    area = ctx.areas[organiser].pick(rng)
    city, country, venue = area.municipality, "BE", ""
    partners: list[str] = []
    sectors: list[str] = []
    if kind == Event.Kind.TRADE_MISSION:
        country, name, city, mission_partners = rng.choice(words.MISSIONS)
        title = fill(words.TRADE_MISSION_TITLE, country=name)
        description = fill(words.KIND_DESCRIPTIONS[kind], country=name)
        partners = ["flanders-investment-trade", *mission_partners]
        sectors = rng.sample(words.CENTRE_SECTORS["internationaal-ondernemen"], k=1)
    elif kind == Event.Kind.TRADE_FAIR_VISIT:
        fair, fair_city, country, sector = rng.choice(words.FAIRS)
        city, venue = fair_city.nl, fair
        title = fill(words.TRADE_FAIR_TITLE, fair=fair)
        description = fill(words.KIND_DESCRIPTIONS[kind], fair=fair, city=fair_city)
        sectors = [sector]
        if rng.random() < 0.5:
            partners = ["liof"] if organiser == "limburg" else ["flanders-investment-trade"]
    elif kind == Event.Kind.COMPANY_VISIT:
        sector = ctx.sector_choice[organiser].pick(rng)
        host = f"{ctx.fakers['nl'].last_name()} {rng.choice(words.SECTOR_WORDS[sector])}"
        venue = host
        title = fill(words.COMPANY_VISIT_TITLE, host=host)
        description = fill(words.KIND_DESCRIPTIONS[kind], host=host, city=city)
        sectors = [sector]
    else:
        if rng.random() < 0.4:
            # At the chamber's own house, in the region's main town.
            venue, city = ctx.facts.chambers[organiser].name, ctx.seats[organiser]
        else:
            venue = f"{rng.choice(words.VENUES)} {city}"
        if kind == Event.Kind.NETWORKING:
            title = fill(networking_title(rng, hour), city=city)
            description = words.KIND_DESCRIPTIONS[kind]
        else:
            topic = rng.choice(words.TOPICS[centre])
            title = fill(words.KIND_TITLES[kind], t=topic)
            description = fill(words.KIND_DESCRIPTIONS[kind], t=topic)
    if not sectors and rng.random() < 0.7:
        sectors = rng.sample(words.CENTRE_SECTORS[centre], k=rng.choice((1, 1, 2)))
    if not partners and rng.random() < 0.3:
        candidates = list(words.CENTRE_PARTNERS[centre])
        for sector in sectors:
            candidates.extend(words.SECTOR_PARTNERS.get(sector, ()))
        if organiser == "limburg":
            candidates.append("liof")
        if candidates:
            partners = [rng.choice(candidates)]
    description = joined(description, words.ALLIANCE_TERMS if in_alliance else words.LIMBURG_TERMS)

    starts_at = at(day, hour, minute)
    if days == 1:
        ends_at = starts_at + datetime.timedelta(hours=rng.choice(profile.hours))
    else:
        ends_at = at(day + datetime.timedelta(days=days - 1), 18)
    window = None
    if rng.random() < 0.9:
        lead = 14 if kind == Event.Kind.TRADE_MISSION else rng.randint(1, 3)
        window = (
            at(day - datetime.timedelta(days=rng.randint(30, 90)), 9),
            at(day - datetime.timedelta(days=lead), 23, 59),
        )
    capacity = None
    if rng.random() >= profile.unlimited:
        capacity = rng.randint(*profile.capacity)
    member_price = Decimal(rng.choice(profile.member_prices)).quantize(Decimal("0.01"))
    if member_price:
        non_member_price = max(member_price, round_to(float(member_price) * rng.uniform(1.3, 1.8)))
    else:
        non_member_price = Decimal(rng.choice((0, 0, 25, 35))).quantize(Decimal("0.01"))
    past = ends_at <= ctx.now
    roll = rng.random()
    if roll < 0.08:
        status = Event.Status.CANCELLED
    elif not past and roll < 0.2:
        status = Event.Status.DRAFT
    else:
        status = Event.Status.PUBLISHED
    co_organisers = []
    if in_alliance and rng.random() < 0.25:
        others = [slug for slug in ALLIANCE_CHAMBERS if slug != organiser]
        co_organisers = rng.sample(others, k=rng.choice((1, 1, 2)))
    language = EVENT_LANGUAGE.pick(rng)
    if kind == Event.Kind.TRADE_MISSION and rng.random() < 0.3:
        language = "en"
    # About a third of the events are popular: more demand than places.
    popular = rng.random() < 0.35
    demand = (
        round(capacity * (rng.uniform(1.1, 1.6) if popular else rng.uniform(0.3, 1.0)))
        if capacity is not None
        else rng.randint(15, 90)
    )
    event = Event(
        slug=event_slug(ctx.seed, index, title.nl),
        title=title.nl,
        title_nl=title.nl,
        title_fr=title.fr,
        title_en=title.en,
        description=description.nl,
        description_nl=description.nl,
        description_fr=description.fr,
        description_en=description.en,
        kind=kind,
        organiser_id=ctx.chamber_ids[organiser],
        centre_id=ctx.centre_ids[centre] if centre else None,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        city=city,
        country=country,
        language=language,
        capacity=capacity,
        has_waiting_list=capacity is not None and rng.random() < 0.75,
        registration_opens_at=window[0] if window else None,
        registration_closes_at=window[1] if window else None,
        member_price=member_price,
        non_member_price=non_member_price,
        audience=(
            Event.Audience.MEMBERS
            if rng.random() < profile.members_only
            else Event.Audience.EVERYONE
        ),
        status=status,
    )
    return EventDraft(
        event=event,
        co_organiser_ids=[ctx.chamber_ids[slug] for slug in co_organisers],
        partner_ids=[ctx.partner_ids[slug] for slug in dict.fromkeys(partners)],
        sector_ids=[ctx.sector_ids[slug] for slug in dict.fromkeys(sectors)],
        demand=demand,
    )


def seed_events(ctx: Context, count: int) -> list[EventDraft]:
    """Insert the generated events whose slugs are not in the database yet; return those."""
    drafts = [draft_event(index, ctx) for index in range(count)]
    present = set(
        Event.objects.filter(slug__in=[d.event.slug for d in drafts]).values_list("slug", flat=True)
    )
    new = [d for d in drafts if d.event.slug not in present]
    Event.objects.bulk_create([d.event for d in new], batch_size=BATCH_SIZE)
    bulk_through(
        Event._meta.get_field("co_organisers"),
        ((d.event.pk, chamber_id) for d in new for chamber_id in d.co_organiser_ids),
    )
    bulk_through(
        Event._meta.get_field("partners"),
        ((d.event.pk, partner_id) for d in new for partner_id in d.partner_ids),
    )
    bulk_through(
        Event._meta.get_field("sectors"),
        ((d.event.pk, sector_id) for d in new for sector_id in d.sector_ids),
    )
    return new


# --- Registrations -------------------------------------------------------------------------


@dataclass(frozen=True)
class Registrant:
    person_id: int
    company_id: int
    home_chamber_id: int | None  # the chamber of the company's current membership


class Pool:
    """The demo companies' people, in a fixed order, and who gets member terms where.

    Loaded from the database so that a run that only adds events finds the people of earlier
    runs; ordered by (enterprise number, e-mail) so that the order never depends on ids.
    """

    def __init__(self, numbers: Iterable[str], today: datetime.date, chambers: Iterable[Chamber]):
        wanted = set(numbers)
        number_of = {
            pk: number
            for pk, number in Company.objects.values_list("pk", "enterprise_number").iterator(
                chunk_size=10_000
            )
            if number in wanted
        }
        home = dict(Membership.objects.current(today).values_list("company_id", "chamber_id"))
        rows = sorted(
            (number_of[company_id], email, pk, company_id)
            for pk, company_id, email in Person.objects.values_list(
                "pk", "company_id", "email"
            ).iterator(chunk_size=10_000)
            if company_id in number_of
        )
        self.registrants = [
            Registrant(pk, company_id, home.get(company_id)) for *_, pk, company_id in rows
        ]
        self.index_of = {r.person_id: i for i, r in enumerate(self.registrants)}
        # {home chamber id: {organiser id: home chamber}}: the rule of members.selectors, once
        # per chamber instead of once per registration.
        self.member_chambers: dict[int | None, dict[int, Chamber]] = {None: {}}
        for chamber in chambers:
            allied = Chamber.objects.in_alliance_with(chamber).values_list("pk", flat=True)
            self.member_chambers[chamber.pk] = dict.fromkeys(allied, chamber)
        self._groups: dict[int, tuple[list[int], list[int]]] = {}

    def terms_chambers(self, home_chamber_id: int | None) -> dict[int, Chamber]:
        """What `member_terms_chamber_ids` would return for a company with this home chamber."""
        return self.member_chambers.get(home_chamber_id, {})

    def groups(self, organiser_id: int) -> tuple[list[int], list[int]]:
        """(the organiser's own members, members of the chambers allied with it), as indices."""
        if organiser_id not in self._groups:
            own, allied = [], []
            for index, registrant in enumerate(self.registrants):
                home = registrant.home_chamber_id
                if home == organiser_id:
                    own.append(index)
                elif organiser_id in self.terms_chambers(home):
                    allied.append(index)
            self._groups[organiser_id] = (own, allied)
        return self._groups[organiser_id]


def draft_registrations(
    event: Event,
    demand: int,
    pool: Pool,
    ctx: Context,
    *,
    ramp: bool = True,
    first: Sequence[int] = (),
) -> list[Registration]:
    """Who registered for `event` by the anchor day, respecting capacity and the waiting list.

    With `ramp`, an event whose registration is still open has only part of its demand yet.
    `first` are person ids that register before anyone else and do not cancel.
    """
    if event.status == Event.Status.DRAFT or not pool.registrants:
        return []
    now = ctx.now
    opens = event.registration_opens_at or event.starts_at - datetime.timedelta(days=60)
    closes = min(event.registration_closes_at or event.starts_at, event.starts_at)
    if now < opens:
        return []
    if ramp and now < closes:
        demand = round(demand * ((now - opens) / (closes - opens)) ** 0.5)
    rng = random.Random(f"{ctx.seed}:registrations:{event.slug}")
    own, allied = pool.groups(event.organiser_id)
    everyone = range(len(pool.registrants))
    members_only = event.audience == Event.Audience.MEMBERS
    chosen = [pool.index_of[pk] for pk in first if pk in pool.index_of]
    seen = set(chosen)
    for _ in range(demand * 4 + 20):
        if len(chosen) >= demand:
            break
        roll = rng.random()
        # Half from the organiser's own members, a third across the alliance, the rest anyone.
        group = own if roll < 0.5 else allied if roll < 0.85 else everyone
        index = rng.choice(group or everyone)
        registrant = pool.registrants[index]
        if index in seen or (
            members_only
            and event.organiser_id not in pool.terms_chambers(registrant.home_chamber_id)
        ):
            continue
        seen.add(index)
        chosen.append(index)

    until = min(now, event.starts_at)
    span = (until - opens).total_seconds()

    def moment(after: datetime.datetime = opens) -> datetime.datetime:
        return after + datetime.timedelta(seconds=rng.uniform(0, (until - after).total_seconds()))

    # Registration times in the order people were chosen: the first ones got the places.
    registered = sorted(opens + datetime.timedelta(seconds=rng.uniform(0, span)) for _ in chosen)
    event_cancelled_at = None
    if event.status == Event.Status.CANCELLED and chosen:
        event_cancelled_at = moment(registered[-1])
    past = event.ends_at <= now
    registrations = []
    taken = waiting = 0
    for position, index in enumerate(chosen):
        registrant = pool.registrants[index]
        terms = terms_for(
            event, None, member_chambers=pool.terms_chambers(registrant.home_chamber_id)
        )
        values = {"cancelled_at": None, "checked_in_at": None, "waiting_list_position": None}
        if position >= len(first) and rng.random() < 0.07:
            values.update(
                status=Registration.Status.CANCELLED, cancelled_at=moment(registered[position])
            )
        elif event.capacity is None or taken < event.capacity:
            taken += 1
            values["status"] = Registration.Status.CONFIRMED
        elif event.has_waiting_list:
            waiting += 1
            values.update(status=Registration.Status.WAITLISTED, waiting_list_position=waiting)
        else:
            continue  # full and no waiting list: the registration was refused
        if event_cancelled_at and values["status"] != Registration.Status.CANCELLED:
            values.update(
                status=Registration.Status.CANCELLED,
                cancelled_at=event_cancelled_at,
                waiting_list_position=None,
            )
        elif past and values["status"] == Registration.Status.CONFIRMED:
            if rng.random() < 0.88:
                values.update(
                    status=Registration.Status.ATTENDED,
                    checked_in_at=event.starts_at - datetime.timedelta(minutes=rng.randint(0, 25)),
                )
            else:
                values["status"] = Registration.Status.NO_SHOW
        elif past and values["status"] == Registration.Status.WAITLISTED:
            # The waiting list lapses when the event starts.
            values.update(
                status=Registration.Status.CANCELLED,
                cancelled_at=event.starts_at,
                waiting_list_position=None,
            )
        registration = Registration(
            event=event,
            person_id=registrant.person_id,
            company_id=registrant.company_id,
            member_terms=terms.member_terms,
            member_terms_chamber_id=terms.via_chamber.pk if terms.via_chamber else None,
            price=terms.price,
            **values,
        )
        # Not a field: write_registrations dates the row with it (created_at, updated_at).
        registration.registered_at = registered[position]
        registrations.append(registration)
    return registrations


@contextlib.contextmanager
def own_timestamps(model: type[models.Model]) -> Iterator[None]:
    """bulk_create keeps the created_at and updated_at the rows were given: auto_now_add and
    auto_now are off for the block (the seed runs in one thread). One INSERT instead of an
    INSERT and a bulk_update, whose CASE over thousands of ids costs PostgreSQL time that grows
    with the square of the batch (it was half the time of the large dataset's seed)."""
    stamps = [model._meta.get_field("created_at"), model._meta.get_field("updated_at")]
    saved = [(stamp.auto_now_add, stamp.auto_now) for stamp in stamps]
    for stamp in stamps:
        stamp.auto_now_add = stamp.auto_now = False
    try:
        yield
    finally:
        for stamp, (auto_now_add, auto_now) in zip(stamps, saved, strict=True):
            stamp.auto_now_add, stamp.auto_now = auto_now_add, auto_now


def write_registrations(registrations: Sequence[Registration]) -> int:
    """Insert, each registration dated when its person registered."""
    for registration in registrations:
        registration.created_at = registration.updated_at = registration.registered_at
    with own_timestamps(Registration):
        Registration.objects.bulk_create(registrations, batch_size=BATCH_SIZE)
    return len(registrations)


# --- Open doors: prospects and a pending application for the back-office ---------------------

DEMO_APPLICANT_EMAIL = "sofie.aanvraag@voorbeeld.example"


def seed_open_doors(ctx: Context) -> int:
    """Two prospects of Kempen (companies without a current membership that came to its
    Innovatieforum) and one pending membership application, so that staff see both lists in
    `make run`. Idempotent: the same companies, once each. Returns the rows made."""
    kempen = ctx.facts.chambers["kempen"]
    current = Membership.objects.current(ctx.today).values("company_id")
    outsiders = list(
        Company.objects.exclude(pk__in=current)
        .exclude(pk=ctx.facts.demo_company.pk)
        .filter(people__isnull=False)
        .distinct()
        .order_by("enterprise_number")[:3]
    )
    made = 0
    for company in outsiders[:2]:
        _prospect, created = Prospect.objects.get_or_create(
            company=company,
            chamber=kempen,
            defaults={
                "source_detail": "Innovatieforum Kempen",
                "contact": company.people.order_by("pk").first(),
                "created_at": ctx.now - datetime.timedelta(days=12),
            },
        )
        made += created
    if len(outsiders) == 3:
        company = outsiders[2]
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_APPLICANT_EMAIL,
            defaults={"email": DEMO_APPLICANT_EMAIL, "first_name": "Sofie", "last_name": "Aerts"},
        )
        if created:
            # Not a demo log-in: the applicant is someone outside, seen by staff only.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        chamber = Chamber.objects.for_postcode(company.postcode) or kempen
        if not MembershipApplication.objects.filter(company=company).exists():
            MembershipApplication.objects.create(
                company=company,
                chamber=chamber,
                tier=Membership.Tier.STANDARD,
                applicant=user,
                first_name="Sofie",
                last_name="Aerts",
                job_title="Zaakvoerder",
                message="Wij willen graag lid worden en deelnemen aan de opleidingen.",
            )
            made += 1
    return made

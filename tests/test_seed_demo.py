"""`manage.py seed_demo`: fixed facts, valid generated rows, determinism, idempotence, log-ins."""

import datetime
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from stdnum.be import vat

from alliance.demo.logins import LOGINS, PASSWORD
from chambers.models import (
    Accreditation,
    AccreditationCycle,
    AccreditationPrinciple,
    Alliance,
    Chamber,
    Partner,
    PartnerAgreement,
    StaffRole,
)
from competences.models import CompetenceCentre
from events.models import Event, Registration
from events.rules import terms_for
from invoicing import ubl
from invoicing.models import Invoice
from invoicing.peppol import validate
from members.models import Company, Membership, MembershipApplication, Person, Prospect

TODAY = datetime.date(2026, 5, 4)
NOW = datetime.datetime(2026, 5, 4, 12, tzinfo=ZoneInfo("Europe/Brussels"))
COMPANIES, EVENTS = 60, 15
DEMO_NUMBER = "0123456749"

# Each chamber's postcodes, written independently of the seed's own lists.
POSTCODE_RANGES = {
    "antwerpen-waasland": [(2000, 2199), (2600, 2699), (2900, 2999), (9100, 9199)],
    "kempen": [(2200, 2499)],
    "mechelen": [(2500, 2599), (2800, 2899)],
    "limburg": [(3500, 3999)],
}
SEED_EVENTS = {
    "innovatieforum-kempen",
    "gezamenlijk-bezoek-anuga-keulen",
    "bezoek-brightlands-campus-greenport-venlo",
    "inspiratieatelier-chemie-en-farma",
}


def seed_demo(*extra: str) -> str:
    """Run the command at the test size and anchor day; returns what it printed."""
    out = StringIO()
    call_command(
        "seed_demo",
        f"--companies={COMPANIES}",
        f"--events={EVENTS}",
        f"--today={TODAY:%Y-%m-%d}",
        "--public-demo",  # pytest-django runs with DEBUG off
        *extra,
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


@pytest.fixture
def seeded(db) -> str:
    return seed_demo()


def generated_companies():
    # The fixed companies (the demo log-ins' and the Dutch one) are not generated.
    return Company.objects.filter(country="BE").exclude(enterprise_number=DEMO_NUMBER)


def snapshot() -> dict:
    """Everything generated, in a canonical form that leaves out ids, timestamps and tickets."""
    return {
        "companies": sorted(
            generated_companies().values_list(
                "enterprise_number", "name", "postcode", "municipality", "legal_form", "size_class"
            )
        ),
        "memberships": sorted(
            Membership.objects.values_list(
                "company__enterprise_number", "chamber__slug", "status", "valid_from", "annual_fee"
            )
        ),
        "people": sorted(
            Person.objects.values_list(
                "company__enterprise_number", "email", "first_name", "last_name", "role"
            ),
            key=repr,  # the Dutch company has no enterprise number (None)
        ),
        "events": sorted(
            Event.objects.values_list(
                "slug", "title_nl", "title_fr", "title_en", "starts_at", "capacity", "status"
            )
        ),
        "registrations": sorted(
            Registration.objects.values_list(
                "event__slug",
                "person__email",
                "company__enterprise_number",
                "status",
                "price",
                "member_terms",
                "waiting_list_position",
            ),
            key=repr,
        ),
    }


def delete_generated() -> None:
    # Invoices are kept by law, so a company with invoices cannot be deleted: they go first,
    # credit notes before the invoices they credit.
    Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).delete()
    Invoice.objects.all().delete()
    Registration.objects.all().delete()
    Event.objects.all().delete()
    Company.objects.all().delete()


def row_counts() -> dict[str, int]:
    """Rows in every table, many-to-many tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


# --- Fixed facts ---------------------------------------------------------------------------


def test_the_chambers_and_the_alliance(seeded):
    local = Chamber.objects.filter(kind=Chamber.Kind.LOCAL)
    assert set(local.values_list("slug", flat=True)) == set(POSTCODE_RANGES)
    assert len(set(local.values_list("accent", flat=True))) == 4
    assert all(c.email and c.phone and c.website and c.region for c in local)
    assert Chamber.objects.get(kind=Chamber.Kind.BILATERAL).country == "CN"

    alliance = Alliance.objects.get()
    assert alliance.name == "Alliantie Antwerpen-Waasland, Kempen en Mechelen"
    assert set(alliance.chambers.values_list("slug", flat=True)) == {
        "antwerpen-waasland",
        "kempen",
        "mechelen",
    }
    assert alliance.target_date == alliance.signed_on.replace(year=alliance.signed_on.year + 3)
    assert not Chamber.objects.get(slug="limburg").alliances.exists()


def test_the_competence_centres_and_their_lead_chambers(seeded):
    leads = dict(CompetenceCentre.objects.values_list("name_nl", "lead_chamber__slug"))
    assert leads == {
        "Starters & snelle groeiers": "antwerpen-waasland",
        "Internationaal ondernemen": "antwerpen-waasland",
        "Duurzaam ondernemen": "mechelen",
        "Familiebedrijven": "mechelen",
        "Integrale innovatie": "kempen",
        "Energie": "kempen",
    }
    for centre in CompetenceCentre.objects.annotate(n=Count("services")):
        assert centre.name_fr and centre.name_en and centre.description_fr
        assert centre.description_en
        assert 2 <= centre.n <= 3
        for service in centre.services.all():
            assert service.name_fr and service.name_en and service.price_note_en


def test_principles_partners_agreements_and_accreditations(seeded):
    assert AccreditationPrinciple.objects.filter(chamber_kind="local").count() == 12
    assert AccreditationPrinciple.objects.filter(chamber_kind="bilateral").count() == 3
    # The demo's cycle in progress: Kempen's, half filled in by its chamber admin.
    cycle = AccreditationCycle.objects.get(chamber__slug="kempen")
    assert cycle.status == AccreditationCycle.Status.OPEN
    assert cycle.answers.exclude(status="").count() == 6
    for slug in POSTCODE_RANGES:
        accreditation = Accreditation.objects.get(chamber__slug=slug)
        assert accreditation.status == Accreditation.Status.GRANTED
        assert accreditation.assessments.count() == 12

    partners = {p.slug: p for p in Partner.objects.all()}
    assert (partners["liof"].kind, partners["liof"].country) == ("development_agency", "NL")
    assert partners["flanders-investment-trade"].kind == "trade_agency"
    for slug in ("essenscia", "agoria", "fevia", "vil", "flux50", "vdab", "boerenbond"):
        assert slug in partners
    assert partners["resoc-mechelen"].kind == "public_body"
    assert partners["bcecc"].kind == partners["vckk"].kind == "bilateral_chamber"

    liof = PartnerAgreement.objects.get(partner__slug="liof")
    assert liof.chamber.slug == "limburg" and liof.alliance is None
    assert liof.valid_from == datetime.date(2019, 9, 1)
    assert {"logistiek-en-transport", "voeding", "land-en-tuinbouw", "agritech"} <= set(
        liof.sectors.values_list("slug", flat=True)
    )
    fit = PartnerAgreement.objects.get(partner__slug="flanders-investment-trade")
    assert fit.alliance is not None and fit.chamber is None
    assert (fit.valid_from, fit.valid_until) == (
        datetime.date(2022, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert list(fit.competence_centres.values_list("slug", flat=True)) == [
        "internationaal-ondernemen"
    ]


def test_the_events_of_the_seed_texts(seeded):
    events = {e.slug: e for e in Event.objects.filter(slug__in=SEED_EVENTS)}
    assert set(events) == SEED_EVENTS
    for event in events.values():
        assert event.title_fr and event.title_en and event.description_fr and event.description_en

    forum = events["innovatieforum-kempen"]
    assert (forum.kind, forum.organiser.slug, forum.centre.slug) == (
        "forum",
        "kempen",
        "integrale-innovatie",
    )
    assert forum.starts_at.astimezone(NOW.tzinfo).date() == datetime.date(2026, 10, 5)

    anuga = events["gezamenlijk-bezoek-anuga-keulen"]
    assert (anuga.kind, anuga.organiser.slug, anuga.country) == (
        "trade_fair_visit",
        "limburg",
        "DE",
    )
    assert [p.slug for p in anuga.partners.all()] == ["liof"]
    assert [s.slug for s in anuga.sectors.all()] == ["voeding"]
    local_days = {
        anuga.starts_at.astimezone(NOW.tzinfo).date(),
        anuga.ends_at.astimezone(NOW.tzinfo).date(),
    }
    assert local_days == {datetime.date(2026, 10, 7), datetime.date(2026, 10, 8)}

    greenport = events["bezoek-brightlands-campus-greenport-venlo"]
    assert (greenport.kind, greenport.organiser.slug, greenport.country) == (
        "company_visit",
        "limburg",
        "NL",
    )
    assert "agritech" in greenport.sectors.values_list("slug", flat=True)

    chemistry = events["inspiratieatelier-chemie-en-farma"]
    assert (chemistry.kind, chemistry.organiser.slug) == ("workshop", "mechelen")
    assert set(chemistry.partners.values_list("slug", flat=True)) == {"resoc-mechelen", "essenscia"}
    assert "chemie-en-farma" in chemistry.sectors.values_list("slug", flat=True)

    # Dated around the anchor day: the forum, Anuga and the other ateliers within half a year,
    # the chemistry atelier just past.
    half_year = Event.objects.filter(
        slug__in=SEED_EVENTS | {"inspiratieatelier-land-en-tuinbouw"},
        starts_at__gt=NOW,
        starts_at__lt=NOW + datetime.timedelta(days=183),
    )
    assert half_year.count() == 3
    assert chemistry.ends_at < NOW
    assert chemistry.registrations.filter(status="attended").exists()


# --- Generated rows ------------------------------------------------------------------------


def test_the_dutch_company_can_join_the_joint_anuga_visit(seeded):
    dutch = Company.objects.get(country="NL")
    assert dutch.enterprise_number is None
    assert dutch.registration_number and dutch.vat_number.startswith("NL")
    dutch.full_clean()  # a valid KvK form, a VAT number that passes stdnum, a Dutch postcode
    anuga = Event.objects.get(slug="gezamenlijk-bezoek-anuga-keulen")
    assert anuga.audience == Event.Audience.EVERYONE
    assert terms_for(anuga, dutch).price == anuga.non_member_price
    assert dutch.people.exists()


def test_generated_companies_are_valid_and_in_their_region(seeded):
    companies = list(generated_companies().prefetch_related("memberships__chamber", "people"))
    assert len(companies) == COMPANIES
    numbers = [c.enterprise_number for c in companies]
    assert len(set(numbers)) == COMPANIES
    assert all(vat.is_valid(number) and number[0] == "0" for number in numbers)
    for company in companies:
        chambers = {m.chamber.slug for m in company.memberships.all()}
        assert len(chambers) == 1, company  # one home chamber
        (home,) = chambers
        postcode = int(company.postcode)
        assert any(low <= postcode <= high for low, high in POSTCODE_RANGES[home]), company
        assert sum(m.status == "active" for m in company.memberships.all()) <= 1
        roles = Counter(p.role for p in company.people.all())
        assert 1 <= sum(roles.values()) <= 4 and roles["admin"] == 1
    homes = Counter(m.chamber.slug for c in companies for m in c.memberships.all())
    assert set(homes) == set(POSTCODE_RANGES)
    assert Membership.objects.current(TODAY).count() > COMPANIES // 2
    assert generated_companies().filter(directory_consent=True).exists()
    assert generated_companies().filter(is_family_business=True).exists()
    # Some are shown to partners (the API's directory is not empty), each consent with its
    # history row.
    shown = generated_companies().filter(partner_consent=True)
    assert 0 < shown.count() < generated_companies().filter(directory_consent=True).count()
    for company in shown[:20]:
        (record,) = company.consent_records.filter(purpose="partners")
        assert record.given and record.recorded_at == company.partner_consent_at
    assert Company.objects.visible_to_partner(None).exists()


def test_registrations_keep_every_rule(seeded):
    events = Event.objects.annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=["confirmed", "attended"]))
    )
    for event in events:
        registrations = list(event.registrations.all())
        if event.capacity is not None:
            assert event.taken <= event.capacity, event
        waiting = sorted(r.waiting_list_position for r in registrations if r.status == "waitlisted")
        assert waiting == list(range(1, len(waiting) + 1)), event
        if waiting:
            assert event.has_waiting_list and event.taken == event.capacity, event
        # Places went to the earliest registrations; nobody registered after the anchor moment.
        placed = [r.created_at for r in registrations if r.status in ("confirmed", "attended")]
        queued = [r.created_at for r in registrations if r.status == "waitlisted"]
        if placed and queued:
            assert max(placed) <= min(queued), event
        for registration in registrations:
            assert registration.created_at <= min(NOW, event.starts_at), registration
            if registration.cancelled_at:
                assert registration.created_at <= registration.cancelled_at, registration
        if event.ends_at <= NOW:
            assert not {"confirmed", "waitlisted"} & {r.status for r in registrations}, event
        if event.status == "draft":
            assert not registrations
        if event.status == "cancelled":
            assert {r.status for r in registrations} <= {"cancelled"}
        assert event.member_price <= event.non_member_price

    registrations = Registration.objects.select_related("event", "company")
    assert registrations.count() > 0
    for registration in registrations:
        terms = terms_for(registration.event, registration.company, on=TODAY)
        assert registration.member_terms == terms.member_terms, registration
        assert registration.price == terms.price, registration
        assert registration.member_terms_chamber == terms.via_chamber, registration
    cross_chamber = registrations.filter(member_terms=True).exclude(
        member_terms_chamber=F("event__organiser")
    )
    assert cross_chamber.count() > 0
    for status in ("confirmed", "waitlisted", "attended", "no_show", "cancelled"):
        assert registrations.filter(status=status).exists(), status


# --- Determinism and idempotence -----------------------------------------------------------


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(seeded):
    first = snapshot()
    delete_generated()
    seed_demo()
    assert snapshot() == first

    delete_generated()
    seed_demo("--seed=7")
    other = snapshot()
    assert not {row[0] for row in other["companies"]} & {row[0] for row in first["companies"]}
    assert other["events"] != first["events"]


def test_a_second_run_adds_nothing(seeded):
    before = row_counts()
    output = seed_demo()
    assert row_counts() == before
    assert f"Ondernemingen: 0 nieuw, {COMPANIES} bestonden al." in output
    assert "Inschrijvingen: 0 nieuw." in output


def test_a_run_on_another_day_of_the_year_adds_nothing(seeded):
    before = row_counts()
    seed_demo("--today=2026-08-17")
    assert row_counts() == before


def test_a_larger_run_adds_only_the_missing_companies(seeded):
    first = snapshot()["companies"]
    seed_demo(f"--companies={COMPANIES + 20}")
    assert generated_companies().count() == COMPANIES + 20
    assert set(first) <= set(snapshot()["companies"])


# --- Log-ins -------------------------------------------------------------------------------


def test_the_demo_logins_work_and_have_their_roles(seeded, client):
    assert "demo-alliantie-2026" in seeded
    for login in LOGINS:
        assert login.email in seeded
        response = client.post("/accounts/login/", {"login": login.email, "password": PASSWORD})
        assert response.status_code == 302, login.email
        assert "confirm-email" not in response.url
        assert client.session.get("_auth_user_id"), login.email
        client.logout()

    admin = StaffRole.objects.get(user__email="admin@alliantie.example")
    assert (admin.role, admin.chamber, admin.user.is_superuser) == ("alliance_admin", None, True)
    managers = StaffRole.objects.filter(role="event_manager")
    assert set(managers.values_list("chamber__slug", flat=True)) == set(POSTCODE_RANGES)
    people = Person.objects.filter(user__isnull=False).select_related("company")
    assert {p.role for p in people} == {"admin", "employee"}
    (company,) = {p.company for p in people}
    assert Membership.objects.current(TODAY).get(company=company).chamber.slug == "mechelen"


def untranslated_texts() -> list[str]:
    """Every translated field (modeltranslation's registry) of what the portal publishes —
    the alliance, the active chambers, centres, services, sectors, principles and the published
    events — that has a Dutch text but no French or English one."""
    from modeltranslation.translator import translator

    published = {
        Event: Event.objects.filter(status=Event.Status.PUBLISHED),
        Chamber: Chamber.objects.filter(is_active=True),
    }
    missing = []
    for model in translator.get_registered_models():
        rows = published.get(model, model._default_manager.all())
        for field in translator.get_options_for_model(model).fields:
            for row in rows:
                if getattr(row, f"{field}_nl"):
                    missing += [
                        f"{model.__name__} {row.pk} {field}_{language}"
                        for language in ("fr", "en")
                        if not getattr(row, f"{field}_{language}")
                    ]
    return missing


def test_every_text_a_member_reads_is_in_three_languages(seeded):
    missing = untranslated_texts()
    assert missing == [], f"{len(missing)} texts without a translation: {missing[:10]}"
    assert Alliance.objects.get().name_fr == "Alliance Anvers-Waes, Campine et Malines"


def test_a_text_without_its_translation_is_caught(db):
    from tests.factories import ChamberFactory

    chamber = ChamberFactory(region="Het Pajottenland")
    draft = ChamberFactory(region="Nergens", is_active=False)
    missing = untranslated_texts()
    assert f"Chamber {chamber.pk} region_fr" in missing
    assert f"Chamber {chamber.pk} region_en" in missing
    assert not any(f"Chamber {draft.pk} " in line for line in missing)


def test_without_debug_the_demo_log_ins_need_public_demo(db, settings):
    """The README's password and a superuser never land on a real portal by mistake."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--public-demo"):
        call_command("seed_demo", "--companies=0", "--events=0", stdout=StringIO())
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_staff_find_prospects_and_a_pending_application(seeded):
    """Issue 12: the back-office's prospects and applications are not empty in `make run`."""
    prospects = Prospect.objects.select_related("company", "chamber")
    assert prospects.count() == 2
    assert {p.chamber.slug for p in prospects} == {"kempen"}
    assert all(p.contact and not p.company.memberships.current(TODAY).exists() for p in prospects)
    [application] = MembershipApplication.objects.pending()
    assert not application.company.memberships.current(TODAY).exists()
    assert application.chamber.slug in POSTCODE_RANGES
    before = (Prospect.objects.count(), MembershipApplication.objects.count())
    seed_demo()
    assert (Prospect.objects.count(), MembershipApplication.objects.count()) == before


def test_the_demo_invoices_and_credit_notes_are_valid_peppol(seeded):
    documents = list(Invoice.objects.for_document())
    kinds = Counter(document.kind for document in documents)
    assert kinds[Invoice.Kind.INVOICE] > 0 and kinds[Invoice.Kind.CREDIT_NOTE] > 0
    assert {document.source_kind for document in documents} >= {"membership", "registration"}
    # Trainings are exempt at the demo's chambers (a product with its exemption reason).
    lines = [line for document in documents for line in document.lines.all()]
    assert all(line.vat_category == "E" for line in lines if line.product_kind == "training_fee")
    assert any(line.product_kind == "training_fee" for line in lines)
    for document in documents:
        assert validate.fatal_errors(ubl.document(document)) == [], document.number
    # The demo log-ins' company sees its own.
    assert Invoice.objects.filter(company__enterprise_number="0123456749").exists()

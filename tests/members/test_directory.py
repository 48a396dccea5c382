"""The public member directory: who is listed, search, filters, profiles and privacy."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from members.filtersets import DirectoryFilterSet
from members.models import Membership
from members.views.directory import directory_companies
from tests.factories import (
    ChamberFactory,
    CompanyFactory,
    MembershipFactory,
    PersonFactory,
    SectorFactory,
    UserFactory,
)
from tests.query_counts import assert_request_query_count

LIST_URL = reverse("directory:list")


def listed(chamber, **fields):
    """A company with directory consent and a current membership at `chamber`."""
    company = CompanyFactory(directory_consent=True, directory_consent_at=timezone.now(), **fields)
    MembershipFactory(company=company, chamber=chamber)
    return company


def names_on(response) -> list[str]:
    return [company.name for company in response.context["companies"]]


def detail_url(company) -> str:
    return reverse("directory:detail", args=[company.slug])


@pytest.fixture
def antwerpen(alliance):
    from tests.factories import AllianceChamberFactory

    chamber = ChamberFactory(
        name="Voka – KvK Antwerpen-Waasland",
        short_name="Antwerpen-Waasland",
        slug="antwerpen-waasland",
        accent="green",
    )
    AllianceChamberFactory(alliance=alliance, chamber=chamber)
    return chamber


@pytest.fixture
def other_member_client(client, kempen):
    """A logged-in contact of another member company (home chamber Kempen)."""
    other = listed(kempen, name="Metaalwerken Kempen NV", municipality="Geel", postcode="2440")
    user = UserFactory(username="jan")
    PersonFactory(company=other, user=user, first_name="Jan", last_name="Wouters")
    client.force_login(user)
    return client


# Who is listed


@pytest.mark.django_db
def test_only_consenting_companies_with_a_current_membership_are_listed(client, mechelen):
    listed(mechelen, name="Zichtbaar BV")
    CompanyFactory(name="Geen Toestemming BV")  # consent defaults to False
    MembershipFactory(company=CompanyFactory(name="Zonder Toestemming NV"), chamber=mechelen)
    lapsed = CompanyFactory(
        name="Vervallen Lid BV", directory_consent=True, directory_consent_at=timezone.now()
    )
    MembershipFactory(company=lapsed, chamber=mechelen, status=Membership.Status.LAPSED)
    expired = CompanyFactory(
        name="Verlopen Periode BV", directory_consent=True, directory_consent_at=timezone.now()
    )
    today = timezone.localdate()
    MembershipFactory(
        company=expired,
        chamber=mechelen,
        valid_from=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=35),
    )
    CompanyFactory(name="Nooit Lid BV", directory_consent=True, directory_consent_at=timezone.now())

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert names_on(response) == ["Zichtbaar BV"]
    html = response.content.decode()
    assert "1 lid gevonden" in html
    assert 'class="chip chip--blue"' in html and "Mechelen</span>" in html
    for hidden in ("Geen Toestemming", "Zonder Toestemming", "Vervallen Lid", "Verlopen", "Nooit"):
        assert hidden not in html


# Filters


@pytest.mark.django_db
def test_filter_by_sector(client, mechelen):
    food = SectorFactory(name="Voeding", slug="voeding")
    logistics = SectorFactory(name="Logistiek", slug="logistiek")
    bakery = listed(mechelen, name="Bakkerij Goossens")
    bakery.sectors.add(food)
    listed(mechelen, name="Transport Maes").sectors.add(logistics)

    response = client.get(LIST_URL, {"sector": "voeding"})

    assert names_on(response) == ["Bakkerij Goossens"]
    assert "Voeding" in response.content.decode()


@pytest.mark.django_db
def test_filter_by_municipality_ignores_case(client, mechelen):
    listed(mechelen, name="In Mechelen BV", municipality="Mechelen")
    listed(mechelen, name="In Bonheiden BV", municipality="Bonheiden", postcode="2820")

    response = client.get(LIST_URL, {"municipality": "mechelen"})

    assert names_on(response) == ["In Mechelen BV"]
    # The municipalities of listed companies are offered as suggestions.
    assert '<option value="Bonheiden">' in response.content.decode()


@pytest.mark.django_db
def test_filter_by_home_chamber_uses_the_current_membership(client, mechelen, kempen):
    listed(mechelen, name="Lid in Mechelen BV")
    moved = listed(mechelen, name="Vroeger Kempen BV")
    today = timezone.localdate()
    MembershipFactory(
        company=moved,
        chamber=kempen,
        status=Membership.Status.ENDED,
        valid_from=today - datetime.timedelta(days=800),
        valid_until=today - datetime.timedelta(days=435),
    )
    listed(kempen, name="Lid in Kempen BV")

    assert names_on(client.get(LIST_URL, {"chamber": "kempen"})) == ["Lid in Kempen BV"]
    assert names_on(client.get(LIST_URL, {"chamber": "mechelen"})) == [
        "Lid in Mechelen BV",
        "Vroeger Kempen BV",
    ]


@pytest.mark.django_db
def test_filter_by_competence_centre_interest(client, mechelen, centre):
    interested = listed(mechelen, name="Innovatief BV")
    PersonFactory(company=interested).interest_centres.add(centre)
    PersonFactory(company=interested).interest_centres.add(centre)  # counted once
    not_interested = listed(mechelen, name="Klassiek BV")
    PersonFactory(company=not_interested)

    response = client.get(LIST_URL, {"centre": "integrale-innovatie"})

    assert names_on(response) == ["Innovatief BV"]


@pytest.mark.django_db
def test_filter_by_family_business(client, mechelen):
    listed(mechelen, name="Familie Claes NV", is_family_business=True)
    listed(mechelen, name="Beursgenoteerd NV", is_family_business=False)

    assert names_on(client.get(LIST_URL, {"family_business": "true"})) == ["Familie Claes NV"]
    assert names_on(client.get(LIST_URL, {"family_business": "false"})) == ["Beursgenoteerd NV"]
    assert len(names_on(client.get(LIST_URL, {"family_business": ""}))) == 2


@pytest.mark.django_db
def test_filters_combine_and_offer_to_be_cleared(client, mechelen, kempen):
    food = SectorFactory(slug="voeding")
    listed(mechelen, name="Voeding Mechelen", is_family_business=True).sectors.add(food)
    listed(kempen, name="Voeding Kempen", is_family_business=True).sectors.add(food)
    listed(mechelen, name="Ander Mechelen", is_family_business=True)

    response = client.get(
        LIST_URL, {"sector": "voeding", "chamber": "mechelen", "family_business": "true"}
    )

    assert names_on(response) == ["Voeding Mechelen"]
    html = response.content.decode()
    assert "Wis filters" in html and f'href="{LIST_URL}"' in html
    assert "Wis filters" not in client.get(LIST_URL).content.decode()


@pytest.mark.django_db
def test_empty_result_says_what_to_do(client, mechelen):
    listed(mechelen, name="Bakkerij Goossens")

    html = client.get(LIST_URL, {"q": "Scheepswerf"}).content.decode()

    assert "0 leden gevonden" in html
    assert "Geen leden gevonden. Probeer een andere zoekterm of wis de filters." in html


# Search


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Mechlen", "Bakkerij Goossens"),  # municipality Mechelen, one letter missing
        ("Antwrpen", "Havenlogistiek Wouters"),  # municipality Antwerpen
        ("Brouwrij Anker", "Brouwerij Het Anker NV"),  # misspelt company name
        ("anker brouwrij", "Brouwerij Het Anker NV"),  # words in any order
        ("chocolade", "Bakkerij Goossens"),  # full text on the description (Dutch stems)
        ("bakkerijen", "Bakkerij Goossens"),  # Dutch stemming of the name
    ],
)
def test_search_is_typo_tolerant(client, mechelen, antwerpen, query, expected):
    listed(
        mechelen,
        name="Bakkerij Goossens",
        municipality="Mechelen",
        description="Ambachtelijke chocolade en brood.",
    )
    listed(antwerpen, name="Havenlogistiek Wouters", municipality="Antwerpen", postcode="2000")
    listed(mechelen, name="Brouwerij Het Anker NV", municipality="Mechelen")
    listed(antwerpen, name="Drukkerij Peeters", municipality="Turnhout", postcode="2300")

    found = names_on(client.get(LIST_URL, {"q": query}))

    assert expected in found
    assert "Drukkerij Peeters" not in found


@pytest.mark.django_db
def test_search_puts_a_name_match_before_a_place_or_description_match(client, mechelen):
    listed(mechelen, name="Aardappelhandel Claes", municipality="Mechelen", postcode="2800")
    listed(
        mechelen,
        name="Aardappelhandel Maes",
        municipality="Boom",
        postcode="2850",
        description="Groothandel met vestigingen in Mechelen en Boom.",
    )
    listed(mechelen, name="Mechelse Metaalwerken", municipality="Boom", postcode="2850")
    listed(mechelen, name="Mechelen Logistics", municipality="Boom", postcode="2850")

    found = names_on(client.get(LIST_URL, {"q": "Mechelen"}))

    assert found[0] == "Mechelen Logistics"
    assert found.index("Aardappelhandel Claes") < found.index("Aardappelhandel Maes")


@pytest.mark.django_db
def test_search_and_filters_combine(client, mechelen, kempen):
    listed(mechelen, name="Brouwerij Mechelen", municipality="Mechelen")
    listed(kempen, name="Brouwerij Kempen", municipality="Geel", postcode="2440")

    assert names_on(client.get(LIST_URL, {"q": "brouwrij", "chamber": "kempen"})) == [
        "Brouwerij Kempen"
    ]


# The indexes the directory search relies on (members.Company.Meta.indexes).
GIN_INDEXES = ("company_search_idx", "company_name_trgm_idx", "company_municipality_trgm_idx")


@pytest.mark.django_db
def test_a_rare_term_uses_the_indexes_not_a_table_scan(mechelen):
    """On a few tens of thousands of rows the planner must reach for the GIN indexes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO members_company (created_at, updated_at, name, slug, enterprise_number,
                legal_form, size_class, street, postcode, municipality, website, description,
                is_family_business, export_countries, languages, directory_consent,
                directory_consent_at)
            SELECT now(), now(),
                (ARRAY['Bakkerij','Transport','Brouwerij','Drukkerij','Garage','Chemie',
                       'Logistiek','Bouw','Metaal','Voeding'])[g % 10 + 1] || ' '
                    || (ARRAY['Janssens','Peeters','Maes','Jacobs','Mertens','Willems',
                              'Claes'])[g % 7 + 1] || ' ' || g,
                'bulk-' || g,
                lpad((5000000 + g)::text, 8, '0') || lpad((97 - (5000000 + g) % 97)::text, 2, '0'),
                'bv', 'small', '', '2800',
                (ARRAY['Mechelen','Antwerpen','Turnhout','Geel','Lier','Boom','Mol','Herentals',
                       'Sint-Niklaas','Willebroek','Bonheiden','Duffel'])[g % 12 + 1],
                '', 'Een onderneming uit de regio.', false, '{}', '{}', true, now()
            FROM generate_series(1, 30000) AS g
            """
        )
        cursor.execute(
            """
            INSERT INTO members_membership (created_at, updated_at, company_id, chamber_id, tier,
                status, valid_from, valid_until, annual_fee)
            SELECT now(), now(), id, %s, 'standard', 'active', current_date - 30,
                current_date + 300, 450
            FROM members_company
            """,
            [mechelen.pk],
        )
        cursor.execute(
            "UPDATE members_company SET name = 'Zeepziederij Tuinwijk' WHERE slug = 'bulk-777'"
        )
        # What autovacuum does to a live table: move fresh rows from the GIN pending lists into
        # the indexes proper (the planner prices a long pending list as a slow index).
        for index in GIN_INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE members_company")
        cursor.execute("ANALYZE members_membership")

    filterset = DirectoryFilterSet(
        {"q": "Zeepzederij"}, queryset=directory_companies().order_by("name", "pk")
    )
    page = filterset.qs[:24]
    plan = page.explain()

    assert [company.name for company in page] == ["Zeepziederij Tuinwijk"]
    assert "company_name_trgm_idx" in plan and "company_search_idx" in plan, plan
    assert "Seq Scan on members_company" not in plan, plan
    assert "Seq Scan on members_membership" not in plan, plan


# Pagination and htmx


@pytest.mark.django_db
def test_pagination_keeps_the_filters(client, mechelen):
    food = SectorFactory(slug="voeding")
    for number in range(30):
        listed(mechelen, name=f"Voeding {number:02d} BV").sectors.add(food)
    listed(mechelen, name="Geen Voeding BV")

    first = client.get(LIST_URL, {"sector": "voeding", "q": ""})
    html = first.content.decode()

    assert len(names_on(first)) == 24
    assert "30 leden gevonden" in html
    assert "Pagina 1 van 2" in html
    assert f'href="{LIST_URL}?sector=voeding&amp;q=&amp;page=2"' in html

    second = client.get(LIST_URL, {"sector": "voeding", "q": "", "page": "2"})
    assert names_on(second) == [f"Voeding {number:02d} BV" for number in range(24, 30)]
    assert f'href="{LIST_URL}?sector=voeding&amp;q=&amp;page=1"' in second.content.decode()


@pytest.mark.django_db
def test_htmx_request_gets_only_the_results(client, mechelen):
    listed(mechelen, name="Bakkerij Goossens")

    response = client.get(LIST_URL, {"q": "bakkerij"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Bakkerij Goossens" in html and "1 lid gevonden" in html
    assert "<html" not in html and 'id="directory-results"' not in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_htmx_history_restore_gets_the_whole_page(client, mechelen):
    listed(mechelen, name="Bakkerij Goossens")

    response = client.get(
        LIST_URL,
        {"q": "bakkerij"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    html = response.content.decode()
    assert "<html" in html and 'id="directory-results"' in html and "Bakkerij Goossens" in html


@pytest.mark.django_db
def test_the_filter_form_works_with_and_without_javascript(client, mechelen):
    html = client.get(LIST_URL).content.decode()

    assert f'method="get" action="{LIST_URL}"' in html
    assert f'hx-get="{LIST_URL}"' in html and 'hx-push-url="true"' in html
    for field in ("q", "sector", "municipality", "chamber", "centre", "family_business"):
        assert f'<label for="id_{field}">' in html


# Bad input never breaks the page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "9999"},
        {"sector": "bestaat-niet"},
        {"chamber": "bestaat-niet"},
        {"centre": "bestaat-niet"},
        {"family_business": "misschien"},
        {"q": "x" * 500},
        {"q": "Mechlen " * 60},
        {"q": "'&|!:*"},
        {"q": "\"unterminated -'"},
        {"q": "a & b | !c <-> d:*"},
        {"municipality": "ä" * 500},
    ],
)
def test_bad_input_never_gives_a_server_error(client, mechelen, params):
    listed(mechelen, name="Bakkerij Goossens")

    response = client.get(LIST_URL, params)

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_page_number_out_of_range_shows_the_last_page(client, mechelen):
    for number in range(26):
        listed(mechelen, name=f"Onderneming {number:02d} BV")

    last = client.get(LIST_URL, {"page": "9999"})
    garbage = client.get(LIST_URL, {"page": "abc"})

    assert last.context["page_obj"].number == 2
    assert names_on(last) == ["Onderneming 24 BV", "Onderneming 25 BV"]
    assert garbage.context["page_obj"].number == 1


@pytest.mark.django_db
def test_an_unknown_choice_is_an_error_next_to_the_field(client, mechelen):
    listed(mechelen, name="Bakkerij Goossens")

    response = client.get(LIST_URL, {"sector": "bestaat-niet"})

    html = response.content.decode()
    assert response.context["filter"].form.errors["sector"]
    assert "field--invalid" in html and 'class="errorlist"' in html
    assert "Deze sector bestaat niet (meer). Kies een andere." in html
    assert "Een filter is ongeldig" in html
    assert names_on(response) == []


@pytest.mark.django_db
def test_a_query_without_any_word_is_ignored(client, mechelen):
    listed(mechelen, name="Bakkerij Goossens")

    assert names_on(client.get(LIST_URL, {"q": "'&|!:*"})) == ["Bakkerij Goossens"]


# Profile page


@pytest.mark.django_db
def test_profile_shows_the_company_facts(client, mechelen):
    food = SectorFactory(name="Voeding", slug="voeding")
    company = listed(
        mechelen,
        name="Bakkerij Goossens",
        enterprise_number="0403170701",
        legal_form="nv",
        municipality="Mechelen",
        website="https://goossens.example.be",
        description="Ambachtelijke chocolade en brood.",
        founded_year=1952,
        is_family_business=True,
        export_countries=["NL", "FR"],
        languages=["nl", "fr", "xx"],
    )
    company.sectors.add(food)

    response = client.get(detail_url(company))

    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        "<h1>Bakkerij Goossens</h1>",
        "0403.170.701",
        "NV (naamloze vennootschap)",
        "Mechelen",
        'href="https://goossens.example.be"',
        "Ambachtelijke chocolade en brood.",
        "Voeding",
        "1952",
        "NL, FR",
        "Nederlands, Frans, XX",
        "Voka – KvK Mechelen",
        "chip--blue",
    ):
        assert expected in html, expected


@pytest.mark.django_db
def test_profile_of_a_non_consenting_company_is_a_404(client, company):
    assert company.directory_consent is False

    assert client.get(detail_url(company)).status_code == 404


@pytest.mark.django_db
def test_profile_of_a_company_without_a_current_membership_is_a_404(client, mechelen):
    former = CompanyFactory(directory_consent=True, directory_consent_at=timezone.now())
    MembershipFactory(company=former, chamber=mechelen, status=Membership.Status.ENDED)

    assert client.get(detail_url(former)).status_code == 404


@pytest.mark.django_db
def test_profile_of_an_unknown_slug_is_a_404(client, mechelen):
    assert client.get("/directory/bestaat-niet/").status_code == 404


# Privacy: no personal data of people, to visitors or to other members


@pytest.fixture
def company_with_people(company, person):
    person.email = "els.janssens@hetanker.example.be"
    person.phone = "+32 15 20 30 40"
    person.job_title = "Zaakvoerder"
    person.save()
    company.directory_consent = True
    company.directory_consent_at = timezone.now()
    company.save()
    return company


PERSONAL = ("Els", "Janssens", "els.janssens@hetanker.example.be", "+32 15 20 30 40", "Zaakvoerder")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["visitor", "other_member"])
def test_no_personal_data_of_people_is_shown(request, client, company_with_people, who):
    browser = request.getfixturevalue("other_member_client") if who == "other_member" else client

    for url in (detail_url(company_with_people), LIST_URL, f"{LIST_URL}?q=Anker"):
        response = browser.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Brouwerij Het Anker NV" in html
        for value in PERSONAL:
            assert value not in html, (url, value)


# Query counts


def _add_listed(chambers, sectors, count, offset):
    for number in range(offset, offset + count):
        company = listed(chambers[number % len(chambers)], name=f"Bakkerij {number:02d} BV")
        company.sectors.add(*sectors)
        PersonFactory(company=company)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("directory:list as visitor", {}),
        ("directory:list as visitor, searched", {"q": "bakkerij", "family_business": "false"}),
    ],
)
def test_list_query_count_does_not_grow_with_rows(client, mechelen, kempen, name, params):
    sectors = [SectorFactory(), SectorFactory()]
    _add_listed([mechelen, kempen], sectors, 3, offset=0)
    few = names_on(assert_request_query_count(name, client, LIST_URL, params))
    _add_listed([mechelen, kempen], sectors, 12, offset=3)
    many = names_on(assert_request_query_count(name, client, LIST_URL, params))

    assert (len(few), len(many)) == (3, 15)


@pytest.mark.django_db
def test_htmx_and_member_list_query_counts_do_not_grow_with_rows(other_member_client, mechelen):
    sectors = [SectorFactory()]
    name, htmx = "directory:list as a listed member, htmx", {"HX-Request": "true"}
    _add_listed([mechelen], sectors, 3, offset=0)
    assert_request_query_count(name, other_member_client, LIST_URL, headers=htmx)
    _add_listed([mechelen], sectors, 12, offset=3)
    response = assert_request_query_count(name, other_member_client, LIST_URL, headers=htmx)

    assert len(response.context["companies"]) == 16  # 15 + the member's own company


@pytest.mark.django_db
def test_profile_query_count_does_not_grow_with_sectors(client, mechelen):
    company = listed(mechelen, name="Bakkerij Goossens")
    company.sectors.add(SectorFactory())
    assert_request_query_count("directory:detail as visitor", client, detail_url(company))
    company.sectors.add(*[SectorFactory() for _ in range(5)])
    assert_request_query_count("directory:detail as visitor", client, detail_url(company))

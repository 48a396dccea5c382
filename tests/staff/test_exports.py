"""Attendee exports: the contents of the CSV and the XLSX, and long lists in the background."""

import csv
import datetime
import io
import json
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest

from chambers.models import StaffRole
from events import exports, services
from events.models import Registration
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    UserFactory,
    staff_user,
)
from tests.helpers import reauthenticate
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db

Role = StaffRole.Role

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
REGISTERED = datetime.datetime(2026, 3, 2, 9, 15, tzinfo=BRUSSELS)
CHECKED_IN = datetime.datetime(2026, 3, 10, 8, 55, tzinfo=BRUSSELS)

HEADER = [
    "Voornaam",
    "Familienaam",
    "E-mail",
    "Onderneming",
    "Ondernemingsnummer",
    "Thuiskamer",
    "Lid via kamer",
    "Ledenvoorwaarden",
    "Status",
    "Prijs (EUR)",
    "Plaats op de wachtlijst",
    "Ingeschreven op",
    "Ingecheckt op",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def manager_client(client, event_manager):
    """Logged in and freshly re-authenticated, as an export asks (tests/security/
    test_reauthentication.py has the stale session)."""
    client.force_login(event_manager)
    return reauthenticate(client)


@pytest.fixture
def attendees(event, company, mechelen, limburg):
    """Four registrations of every kind at the Kempen forum, with known facts and times."""
    event.capacity = 2
    event.save()
    outsider = CompanyFactory(name="Buiten & Co; BV", enterprise_number="0403170701")
    MembershipFactory(company=outsider, chamber=limburg)  # a member, but outside the alliance
    people = [
        PersonFactory(company=company, first_name="Anna", last_name="Aerts", email="anna@a.be"),
        PersonFactory(company=outsider, first_name="Bert", last_name="Baert", email="bert@b.be"),
        PersonFactory(company=company, first_name="Chris", last_name="Claes", email="chris@a.be"),
        PersonFactory(company=company, first_name="Dirk", last_name="Dams", email="dirk@a.be"),
    ]
    registrations = [services.registration_create(event=event, person=p) for p in people]
    anna, bert, chris, dirk = registrations
    services.registration_cancel(registration=dirk)
    Registration.objects.filter(event=event).update(created_at=REGISTERED)
    # A stored position with a gap before it: the export shows the rank, 1.
    Registration.objects.filter(pk=chris.pk).update(waiting_list_position=5)
    anna.refresh_from_db()
    anna.check_in()
    anna.checked_in_at = CHECKED_IN
    anna.save()
    return registrations


def expected_rows(company):
    """What a person reads in the export, Dutch and Brussels time; cancelled Dirk is left out."""
    number = company.enterprise_number_display
    return [
        [
            "Anna",
            "Aerts",
            "anna@a.be",
            "Brouwerij Het Anker NV",
            number,
            "Voka – KvK Mechelen",
            "Voka – KvK Mechelen",
            "ja",
            "Aanwezig",
            "45,00",
            "",
            "2026-03-02 09:15",
            "2026-03-10 08:55",
        ],
        [
            "Bert",
            "Baert",
            "bert@b.be",
            "Buiten & Co; BV",
            "0403.170.701",
            "Voka – KvK Limburg",
            "",
            "nee",
            "Bevestigd",
            "95,00",
            "",
            "2026-03-02 09:15",
            "",
        ],
        [
            "Chris",
            "Claes",
            "chris@a.be",
            "Brouwerij Het Anker NV",
            number,
            "Voka – KvK Mechelen",
            "Voka – KvK Mechelen",
            "ja",
            "Op de wachtlijst",
            "45,00",
            "1",
            "2026-03-02 09:15",
            "",
        ],
    ]


def parse_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM, so that Excel reads UTF-8"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def xlsx_rows(content: bytes) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Deelnemers"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def export(client, event, fmt, **filters):
    return client.post(f"/staff/events/{event.slug}/export/", {"format": fmt, **filters})


def test_csv_export_holds_every_attendee_with_their_terms(
    manager_client, event, attendees, company
):
    response = export(manager_client, event, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="innovatieforum-deelnemers.csv"'
    assert parse_csv(response.content) == [HEADER, *expected_rows(company)]


def test_xlsx_export_has_the_same_rows_with_real_numbers_and_dates(
    manager_client, event, attendees, company
):
    response = export(manager_client, event, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response.content)
    assert rows[0] == HEADER
    anna, bert, chris = rows[1:]
    assert anna == [
        "Anna",
        "Aerts",
        "anna@a.be",
        "Brouwerij Het Anker NV",
        company.enterprise_number_display,
        "Voka – KvK Mechelen",
        "Voka – KvK Mechelen",
        "ja",
        "Aanwezig",
        45,
        None,
        REGISTERED.replace(tzinfo=None),
        CHECKED_IN.replace(tzinfo=None),
    ]
    assert (bert[3], bert[5], bert[6], bert[7], bert[9], bert[12]) == (
        "Buiten & Co; BV",
        "Voka – KvK Limburg",
        None,
        "nee",
        95,
        None,
    )
    assert (chris[8], chris[10]) == ("Op de wachtlijst", 1)
    assert len(rows) == 4


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        ({"status": "cancelled"}, ["Dirk"]),
        ({"status": "waitlisted"}, ["Chris"]),
        ({"member_terms": "no"}, ["Bert"]),
        ({"company": "0403.170"}, ["Bert"]),
        ({"q": "anna"}, ["Anna"]),
    ],
)
def test_exports_follow_the_table_filters(manager_client, event, attendees, filters, names):
    rows = parse_csv(export(manager_client, event, "csv", **filters).content)
    assert [row[0] for row in rows[1:]] == names


def test_export_in_english_uses_a_decimal_point(manager_client, event, attendees):
    manager_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    rows = parse_csv(export(manager_client, event, "csv").content)
    assert rows[1][9] == "45.00", "the reader's decimal separator"


def test_bad_export_requests_are_refused_without_a_file(manager_client, event, attendees):
    response = export(manager_client, event, "pdf")
    assert response.status_code == 302 and response["Location"] == f"/staff/events/{event.slug}/"
    response = export(manager_client, event, "csv", status="bestaat-niet")
    assert response.status_code == 302


def test_viewers_may_not_export_and_other_chambers_may_not_either(
    client, event, attendees, kempen, limburg
):
    """Viewers read the attendee list on the page; a file of it is for the event's managers."""
    client.force_login(staff_user(Role.VIEWER, kempen))
    assert export(client, event, "csv").status_code == 403
    page = client.get(f"/staff/events/{event.slug}/")
    assert page.status_code == 200 and "Exporteer als" not in page.content.decode()
    client.force_login(staff_user(Role.CHAMBER_ADMIN, limburg))
    assert export(client, event, "csv").status_code == 404


def test_export_query_count_does_not_grow_with_the_rows(manager_client, event, company):
    event.capacity = None
    event.save()

    def register(count):
        for _ in range(count):
            services.registration_create(event=event, person=PersonFactory(company=company))

    def queries():
        assert_request_query_count(
            "staff:event_export as event manager, xlsx",
            manager_client,
            f"/staff/events/{event.slug}/export/",
            {"format": "xlsx"},
            method="post",
        )

    register(3)
    queries()
    register(12)
    queries()


# Long lists in the background.


def test_a_long_export_runs_in_the_background_with_progress(
    manager_client, event, attendees, company, settings, media, django_capture_on_commit_callbacks
):
    settings.EVENTS_EXPORT_ASYNC_THRESHOLD = 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = export(manager_client, event, "csv")
    assert response.status_code == 302
    progress_url = response["Location"]
    job_id = progress_url.rstrip("/").rsplit("/", 1)[-1]
    assert progress_url == f"/staff/events/{event.slug}/export/{job_id}/"
    assert len(callbacks) == 1, "the task is enqueued when the request's transaction commits"

    # Before the worker runs: queued, and the page polls.
    html = manager_client.get(progress_url).content.decode()
    assert "In de wachtrij" in html and 'hx-trigger="every 1s"' in html and 'value="0"' in html
    assert "3 rijen" in html

    callbacks[0]()  # the task runs (eagerly: no broker in the tests)
    status = manager_client.get(progress_url + "status/")
    html = status.content.decode()
    assert status.status_code == 200 and "<html" not in html
    assert "Klaar" in html and 'value="100"' in html and "every 1s" not in html
    assert f"/staff/events/{event.slug}/export/{job_id}/download/" in html

    download = manager_client.get(progress_url + "download/")
    assert download.status_code == 200
    assert 'filename="innovatieforum-deelnemers.csv"' in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    assert parse_csv(content) == [HEADER, *expected_rows(company)]
    assert (media / "exports" / f"{job_id}.csv").exists()


def test_a_long_xlsx_export_in_the_background(
    manager_client, event, attendees, settings, django_capture_on_commit_callbacks
):
    settings.EVENTS_EXPORT_ASYNC_THRESHOLD = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = export(manager_client, event, "xlsx", status="waitlisted", q="")
    assert response.status_code == 302
    download = manager_client.get(response["Location"] + "download/")
    rows = xlsx_rows(b"".join(download.streaming_content))
    assert [row[0] for row in rows] == ["Voornaam", "Chris"]


def test_progress_is_reported_while_the_task_writes(event, company, settings, monkeypatch):
    """The state file counts the rows written, so the bar moves during a long export."""
    event.capacity = None
    event.save()
    for _ in range(7):
        services.registration_create(event=event, person=PersonFactory(company=company))
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 3)
    seen = []
    real_write = exports._write_job
    monkeypatch.setattr(
        exports,
        "_write_job",
        lambda job_id, state: (
            seen.append((state["status"], state["done"])),
            real_write(job_id, state),
        ),
    )
    user = UserFactory()
    job_id = exports.start_export(
        event=event, user=user, fmt="csv", params={}, total=7, language="nl"
    )
    exports.run_export(job_id)
    assert seen == [
        ("queued", 0),
        ("running", 0),
        ("running", 3),
        ("running", 6),
        ("done", 7),
    ]
    state = exports.read_job(job_id)
    assert exports.job_percent(state) == 100


def test_a_failed_export_says_so(event, company, settings, monkeypatch):
    RegistrationFactory(event=event, person=PersonFactory(company=company))
    user = UserFactory()
    job_id = exports.start_export(
        event=event, user=user, fmt="csv", params={}, total=1, language="nl"
    )

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_csv", broken)
    with pytest.raises(OSError):
        exports.run_export(job_id)
    assert exports.read_job(job_id)["status"] == "failed"


def test_someone_elses_export_is_not_found(
    client,
    manager_client,
    event,
    attendees,
    kempen,
    limburg,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.EVENTS_EXPORT_ASYNC_THRESHOLD = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = export(manager_client, event, "csv")
    url = response["Location"]
    assert manager_client.get(url).status_code == 200
    # A colleague of the same chamber: the file was not asked by them.
    client.force_login(staff_user(Role.EVENT_MANAGER, kempen))
    for suffix in ("", "status/", "download/"):
        assert client.get(url + suffix).status_code == 404
    # Not even an alliance admin, who sees every event: the file is the asker's.
    client.force_login(staff_user(Role.ALLIANCE_ADMIN))
    assert client.get(url + "download/").status_code == 404
    # Made-up or malformed ids.
    base = f"/staff/events/{event.slug}/export/"
    assert manager_client.get(base + "0" * 32 + "/").status_code == 404
    assert manager_client.get(base + "..%2F..%2Fetc/").status_code == 404


def test_the_job_state_file_records_the_request(
    manager_client, event, attendees, settings, media, django_capture_on_commit_callbacks
):
    settings.EVENTS_EXPORT_ASYNC_THRESHOLD = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = export(manager_client, event, "csv", q="anna")
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    state = json.loads((media / "exports" / f"{job_id}.json").read_text())
    assert set(state) == {
        "event_id",
        "user_id",
        "format",
        "params",
        "language",
        "filename",
        "status",
        "done",
        "total",
    }
    assert state["params"]["q"] == "anna" and Decimal(state["done"]) == 1

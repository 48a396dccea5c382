"""An event's attendee list as CSV or XLSX, for the back-office.

Short lists are written during the request. Lists longer than EXPORT_ASYNC_THRESHOLD rows are
written by a Celery task (events.tasks.export_attendees) into MEDIA_ROOT/exports/, beside a small
JSON file that records who asked, for which event, and how far the task got; the page polls that
file for its progress bar. A file on disk, not the cache, because the web process must read the
export itself from there anyway, and so no cache needs to be shared with the worker.

The files hold personal data: they are never served from MEDIA_URL, only through the staff view
that checks the event and the person who asked (alliance/staff/events.py).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from alliance.base.spreadsheets import safe_text
from alliance.base.tasks import enqueue_on_commit
from events.filtersets import AttendeeFilterSet
from events.models import Event, Registration
from members.identifiers import display
from members.models import Membership

# Above this many rows an export runs as a background task (settings may lower it for tests).
EXPORT_ASYNC_THRESHOLD = 2000
PROGRESS_EVERY = 250

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)

FIELDS = (
    "person__first_name",
    "person__last_name",
    "person__email",
    "company__name",
    "company__enterprise_number",
    "company__country",
    "company__registration_number",
    "company__vat_number",
    "home_chamber",
    "member_terms_chamber__name",
    "member_terms",
    "status",
    "price",
    "waiting_rank",
    "created_at",
    "checked_in_at",
)

JOB_ID = re.compile(r"^[0-9a-f]{32}$")


def async_threshold() -> int:
    return getattr(settings, "EVENTS_EXPORT_ASYNC_THRESHOLD", EXPORT_ASYNC_THRESHOLD)


def header() -> list[str]:
    """The column titles, in the active language."""
    return [
        _("Voornaam"),
        _("Familienaam"),
        _("E-mail"),
        _("Onderneming"),
        _("Ondernemingsnummer"),
        _("Thuiskamer"),
        _("Lid via kamer"),
        _("Ledenvoorwaarden"),
        _("Status"),
        _("Prijs (EUR)"),
        _("Plaats op de wachtlijst"),
        _("Ingeschreven op"),
        _("Ingecheckt op"),
    ]


def attendees(event: Event, params: dict | None = None):
    """The registrations an export holds: the attendee table's filters, in name order.

    Raises ValueError when a filter is not valid (the page shows the filter's error instead).
    """
    filterset = AttendeeFilterSet(params or {}, queryset=event.registrations.all())
    if not filterset.is_valid():
        raise ValueError(filterset.errors.as_json())
    return filterset.qs.order_by("person__last_name", "person__first_name", "pk")


def rows(registrations) -> Iterator[tuple]:
    """One tuple per registration in Python types (local, naive datetimes); no query per row.

    The home chamber is the company's current membership today (it may lie outside the
    alliance); "member via" is the chamber that gave member terms when the person registered.
    The waiting-list column is the rank (1 = next in line), not the stored position.
    """
    statuses = {value: str(label) for value, label in Registration.Status.choices}
    yes, no = _("ja"), _("nee")
    home = Membership.objects.current().filter(company=OuterRef("company_id"))
    registrations = registrations.with_waiting_rank().annotate(
        home_chamber=Subquery(home.values("chamber__name")[:1])
    )
    for values in registrations.values_list(*FIELDS).iterator(chunk_size=2000):
        row = dict(zip(FIELDS, values, strict=True))
        yield (
            row["person__first_name"],
            row["person__last_name"],
            row["person__email"],
            row["company__name"],
            # A foreign company's KvK, registration or VAT number in the same column.
            display(
                SimpleNamespace(
                    country=row["company__country"],
                    enterprise_number=row["company__enterprise_number"],
                    registration_number=row["company__registration_number"],
                    vat_number=row["company__vat_number"],
                )
            ),
            row["home_chamber"] or "",
            row["member_terms_chamber__name"] or "",
            yes if row["member_terms"] else no,
            statuses.get(row["status"], row["status"]),
            row["price"],
            row["waiting_rank"],
            _local(row["created_at"]),
            _local(row["checked_in_at"]),
        )


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    # Excel knows no time zones: Brussels wall-clock time is what staff expect to read.
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0) if value else None


def _counted(items: Iterable, report: Callable[[int], None] | None) -> Iterator:
    for done, item in enumerate(items, start=1):
        yield item
        if report and done % PROGRESS_EVERY == 0:
            report(done)


def write_csv(data: Iterable[tuple], stream) -> None:
    """Semicolons and decimal commas (Belgian spreadsheets), with a BOM so Excel reads UTF-8."""
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(header())
    for row in data:
        writer.writerow([_csv_value(value) for value in row])


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool | int):
        return str(value)
    if isinstance(value, Decimal):  # the reader's decimal separator, no grouping
        return formats.number_format(value, 2, use_l10n=True)
    return safe_text(str(value))


def write_xlsx(data: Iterable[tuple], stream) -> None:
    """One sheet, typed cells (numbers, dates), written row by row in constant memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Deelnemers")[:31])
    bold = Font(bold=True)
    titles = []
    for title in header():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in data:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=safe_text(value))
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, Decimal):
                cell.number_format = "0.00"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(stream)


def filename(event: Event, fmt: str) -> str:
    return f"{event.slug}-{_('deelnemers')}.{fmt}"


def write(fmt: str, data: Iterable[tuple], stream) -> None:
    if fmt == "csv":
        write_csv(data, stream)
    elif fmt == "xlsx":
        write_xlsx(data, stream)
    else:
        raise ValueError(f"unknown export format {fmt!r}")


def export_response(event: Event, registrations, fmt: str) -> HttpResponse:
    """The whole file in the response: for lists up to the threshold."""
    if fmt == "csv":
        text = io.StringIO()
        write_csv(rows(registrations), text)
        body = text.getvalue().encode("utf-8")
    else:
        binary = io.BytesIO()
        write(fmt, rows(registrations), binary)
        body = binary.getvalue()
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(event, fmt)}"'
    return response


# Exports in the background.


def export_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _state_path(job_id: str) -> Path:
    return export_dir() / f"{job_id}.json"


def result_path(job_id: str, fmt: str) -> Path:
    return export_dir() / f"{job_id}.{fmt}"


def read_job(job_id: str) -> dict | None:
    """A background export's state; None for an id that is not one (or not a well-formed one)."""
    if not JOB_ID.match(job_id or ""):
        return None
    try:
        return json.loads(_state_path(job_id).read_text())
    except (FileNotFoundError, ValueError):
        return None


def _write_job(job_id: str, state: dict) -> None:
    # Written aside and renamed, so that the polling page never reads half a file.
    path = _state_path(job_id)
    partial = path.with_suffix(".json.part")
    partial.write_text(json.dumps(state))
    os.replace(partial, path)


def start_export(*, event: Event, user, fmt: str, params: dict, total: int, language: str) -> str:
    """Record a background export and enqueue it once the request's transaction commits.

    The task is named, not imported: events.tasks imports this module to run the export.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    job_id = secrets.token_hex(16)
    _write_job(
        job_id,
        {
            "event_id": event.pk,
            "user_id": user.pk,
            "format": fmt,
            "params": params,
            "language": language,
            "filename": filename(event, fmt),
            "status": "queued",
            "done": 0,
            "total": total,
        },
    )
    enqueue_on_commit("events.export_attendees", job_id)
    return job_id


def run_export(job_id: str) -> None:
    """Write a background export, reporting progress; running it again writes it again."""
    state = read_job(job_id)
    if state is None:
        return
    try:
        event = Event.objects.get(pk=state["event_id"])
        with translation.override(state["language"]):
            registrations = attendees(event, state["params"])
            state.update(status="running", done=0, total=registrations.count())
            _write_job(job_id, state)

            def report(done: int) -> None:
                _write_job(job_id, state | {"done": done})

            path = result_path(job_id, state["format"])
            partial = path.with_name(path.name + ".part")
            data = _counted(rows(registrations), report)
            if state["format"] == "csv":
                with partial.open("w", encoding="utf-8", newline="") as stream:
                    write_csv(data, stream)
            else:
                with partial.open("wb") as stream:
                    write(state["format"], data, stream)
            os.replace(partial, path)
    except Exception:
        _write_job(job_id, state | {"status": "failed"})
        raise
    _write_job(job_id, state | {"status": "done", "done": state["total"]})


def job_percent(state: dict) -> int:
    if state["status"] == "done":
        return 100
    return min(99, state["done"] * 100 // state["total"]) if state["total"] else 0

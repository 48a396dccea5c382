"""Importing companies and their memberships from a CSV or XLSX file, all or nothing.

One row is one new company with its membership at a chamber. A file is read and checked first
(the dry run): every invalid row is reported with its line number and the reason, and nothing is
written. Only a file without a single invalid row can then be written, in one transaction with
bulk inserts, so that a file is either imported whole or not at all.

A row is checked by the rules of the back-office's new-member form: the same validators
(members/validators.py, members/identifiers.py) and the same services' rules for a new
period's status and a company's slug (members.services.membership_start_status, company_slugs),
applied to the whole file at once instead of one query per row.

A file with more than SYNC_LIMIT rows is checked and written by a Celery task
(members.import_companies); the job, its progress and its outcome live in the cache under the
job's id, the uploaded file under MEDIA_ROOT/imports/ (no table for a passing job: the job is
gone after JOB_TTL).
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from alliance.base import audit
from alliance.base.models import DomainError
from alliance.base.spreadsheets import safe_text
from alliance.base.validators import validate_web_address
from chambers import roles
from chambers.models import Chamber
from members import countries, identifiers, services, validators
from members.models import Company, Membership

logger = logging.getLogger(__name__)

# Files up to this many rows are checked and written while the page waits; bigger ones by a task.
SYNC_LIMIT = 1000
# A bigger file is refused: split it. 10.000 rows are read, checked and written in about seven
# seconds, well inside a task's time limit (CELERY_TASK_SOFT_TIME_LIMIT, 15 s); 20.000 are not.
MAX_ROWS = 10000
MAX_FILE_SIZE = 10 * 1024 * 1024
# What an XLSX may unpack to (check_xlsx_archive): its XML for MAX_ROWS rows is far less.
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
MAX_XLSX_MEMBERS = 1000
MAX_XLSX_RATIO = 200
XLSX_RATIO_FROM_BYTES = 1024 * 1024
JOB_TTL = 24 * 60 * 60
PREVIEW_ROWS = 20
BATCH_SIZE = 500
# Write the progress to the cache every this many rows, not on every row.
PROGRESS_EVERY = 250
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx"}


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    required: bool
    aliases: tuple[str, ...]


# The columns, by the names a file may use for them (Dutch first; case and spaces do not matter).
# The number column holds the company's number in its country (members/identifiers.parse): the
# enterprise number of a Belgian company, the KvK or other registration number of a foreign one,
# or its EU VAT number with the country prefix. No country: Belgian.
COLUMNS = (
    Column("country", "land", False, ("landcode",)),
    Column("enterprise_number", "ondernemingsnummer", True, ("kbo", "kbo_nummer", "btw_nummer")),
    Column("name", "naam", True, ("bedrijfsnaam", "onderneming")),
    Column("legal_form", "rechtsvorm", False, ()),
    Column("size_class", "grootte", True, ("grootteklasse",)),
    Column("street", "straat", False, ("adres", "straat_en_nummer")),
    Column("postcode", "postcode", True, ("postal_code",)),
    Column("municipality", "gemeente", True, ("plaats",)),
    Column("website", "website", False, ()),
    Column("chamber", "kamer", True, ("thuiskamer",)),
    Column("tier", "formule", True, ()),
    Column("valid_from", "geldig_vanaf", True, ("begindatum", "van")),
    Column("valid_until", "geldig_tot", True, ("einddatum", "tot")),
    Column("annual_fee", "jaarbijdrage", True, ("bijdrage",)),
)


def _header_key(value) -> str:
    return re.sub(r"[\s\-.]+", "_", str(value or "").strip().lower()).strip("_")


HEADER_NAMES = {
    _header_key(alias): column.name
    for column in COLUMNS
    for alias in (column.name, column.label, *column.aliases)
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a CSV or XLSX file, no header, too many rows)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ValidRow:
    line: int
    country: str
    enterprise_number: str | None
    registration_number: str
    vat_number: str
    name: str
    legal_form: str
    size_class: str
    street: str
    postcode: str
    municipality: str
    website: str
    chamber_id: int
    chamber_name: str
    tier: str
    valid_from: datetime.date
    valid_until: datetime.date
    annual_fee: Decimal


@dataclass
class Report:
    """The outcome of a dry run: the rows that may be written and the reasons others may not."""

    total: int = 0
    rows: list[ValidRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return self.total > 0 and not self.errors

    @property
    def invalid_lines(self) -> int:
        return len({error.line for error in self.errors})


# --- reading --------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # What Excel on Windows writes when it saves "CSV".
        return data.decode("cp1252", errors="replace")


def _csv_records(data: bytes) -> Iterator[tuple[int, list]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(
                _("Regel %(line)s kan niet gelezen worden als CSV.") % {"line": line}
            ) from error
        yield line, record


def check_xlsx_archive(data: bytes) -> None:
    """An XLSX is a zip of XML files: before openpyxl unpacks it, refuse one that would unpack
    to more than MAX_XLSX_UNPACKED bytes, holds more than MAX_XLSX_MEMBERS files, or has a large
    member compressed more than MAX_XLSX_RATIO times (a zip bomb). The sizes are the archive's
    own claims, and zipfile never reads a member past its claimed size. The XML inside is parsed
    by openpyxl through defusedxml (installed: no entity expansion, no external entities)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportFileError(_("Dit bestand kan niet gelezen worden als XLSX.")) from error
    unpacked = sum(member.file_size for member in members)
    bomb = any(
        member.file_size > XLSX_RATIO_FROM_BYTES
        and member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > MAX_XLSX_MEMBERS or unpacked > MAX_XLSX_UNPACKED or bomb:
        raise ImportFileError(
            _(
                "Dit XLSX-bestand pakt uit tot meer dan %(size)s of is verdacht sterk "
                "samengedrukt; het wordt niet gelezen. Bewaar het opnieuw of als CSV."
            )
            % {"size": filesizeformat(MAX_XLSX_UNPACKED)}
        )


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list]]:
    check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        raise ImportFileError(_("Dit bestand kan niet gelezen worden als XLSX.")) from error
    try:
        sheet = workbook.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, list(values)
    finally:
        workbook.close()


def read_records(data: bytes, kind: str) -> tuple[dict[str, int], list[tuple[int, dict]]]:
    """The file's columns ({name: position}) and its non-empty rows as (line, {name: value}).

    Line numbers are those a spreadsheet shows: the header is line 1.
    """
    records = _csv_records(data) if kind == "csv" else _xlsx_records(data)
    header_line = None
    for line, record in records:
        if not all(_blank(value) for value in record):
            header_line, header = line, record
            break
    if header_line is None:
        raise ImportFileError(_("Het bestand is leeg."))
    positions = {}
    for position, title in enumerate(header):
        name = HEADER_NAMES.get(_header_key(title))
        if name and name not in positions:
            positions[name] = position
    missing = [
        column.label for column in COLUMNS if column.required and column.name not in positions
    ]
    if missing:
        raise ImportFileError(
            _("Regel %(line)s: deze kolommen ontbreken: %(columns)s.")
            % {"line": header_line, "columns": ", ".join(missing)}
        )
    rows = []
    for line, record in records:
        if all(_blank(value) for value in record):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("Een bestand telt hoogstens %(max)s rijen. Splits het in kleinere bestanden.")
                % {"max": MAX_ROWS}
            )
        rows.append(
            (
                line,
                {
                    name: record[position] if position < len(record) else None
                    for name, position in positions.items()
                },
            )
        )
    return positions, rows


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- checking -------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _choice(value, choices) -> str | None:
    """A choice by its code or by its Dutch label, whatever the case."""
    wanted = _text(value).lower()
    with translation.override("nl"):
        for code, label in choices:
            if wanted in (code.lower(), str(label).lower()):
                return code
    return None


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 a date, no time
        except ValueError:
            continue
    return None


def parse_fee(value) -> Decimal | None:
    """450 · 450,00 · 1.250 · 1.250,50 · € 1250.50; at most two decimals, not negative."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        text = str(value)
    else:
        text = _text(value).replace("€", "").replace("\u00a0", "").replace(" ", "")
        # A fee has at most two decimals, so "1.250" is one thousand two hundred and fifty.
        if "," in text or re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        return None
    if amount >= Decimal("100000000"):  # max_digits=10, decimal_places=2
        return None
    return amount.quantize(Decimal("0.01"))


def _identifier(value, country: str) -> tuple[identifiers.Identifier | None, str | None]:
    """(identifier, None) or (None, reason). Excel drops the leading zero of a number cell
    (of a Belgian enterprise number: a KvK number may start with 0 too, and has 8 digits)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        width = 8 if country == countries.NETHERLANDS else 10
        value = f"{int(value):0{width}d}"
    try:
        return identifiers.parse(_text(value), country), None
    except ValidationError as error:
        return None, error.messages[0]


def _row_identifier(row: ValidRow) -> identifiers.Identifier:
    if row.enterprise_number:
        return identifiers.Identifier(
            row.country, identifiers.ENTERPRISE_NUMBER, row.enterprise_number
        )
    if row.registration_number:
        return identifiers.Identifier(
            row.country, identifiers.REGISTRATION_NUMBER, row.registration_number
        )
    return identifiers.Identifier(row.country, identifiers.VAT_NUMBER, row.vat_number)


def _chamber_index() -> dict[str, Chamber]:
    """Every chamber by its slug, short name and name, lowercased: one query for the whole file."""
    index = {}
    for chamber in Chamber.objects.only("pk", "slug", "short_name", "name"):
        for key in (chamber.slug, chamber.short_name, chamber.name):
            index.setdefault(key.strip().lower(), chamber)
    return index


def check_rows(
    rows: list[tuple[int, dict]],
    *,
    actor,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """The dry run: every reason every row cannot be imported, and the rows that can. Writes
    nothing. The chambers a row names must be ones where `actor` may import (IMPORT_ROLES)."""
    report = Report(total=len(rows))
    today = timezone.localdate()
    chambers = _chamber_index()
    allowed = roles.chamber_ids_where(actor, roles.IMPORT_ROLES)
    seen: dict[identifiers.Identifier, int] = {}
    candidates: list[ValidRow] = []
    for done, (line, raw) in enumerate(rows, start=1):
        errors = []

        def refuse(column: str, message: str, errors=errors, line=line) -> None:
            errors.append(RowError(line, column, str(message)))

        for column in COLUMNS:
            if column.required and _blank(raw.get(column.name)):
                refuse(column.label, _("Dit veld is leeg."))
        country = countries.BELGIUM
        if not _blank(raw.get("country")):
            country = _text(raw["country"]).upper()
            if country not in countries.CODES:
                refuse(
                    "land",
                    _("Onbekend land ‘%(value)s’ (een landcode van twee letters, bv. NL).")
                    % {"value": _text(raw["country"])},
                )
                country = None
        number = None
        if not _blank(raw.get("enterprise_number")) and country:
            number, reason = _identifier(raw["enterprise_number"], country)
            if number is None:
                refuse("ondernemingsnummer", reason)
            elif number.country != country:
                refuse(
                    "ondernemingsnummer",
                    _("Dit nummer hoort bij een onderneming uit %(country)s, niet uit %(row)s.")
                    % {
                        "country": countries.name(number.country),
                        "row": countries.name(country),
                    },
                )
            elif number in seen:
                refuse(
                    "ondernemingsnummer",
                    _("Dubbel: dit ondernemingsnummer staat ook op regel %(line)s.")
                    % {"line": seen[number]},
                )
            else:
                seen[number] = line
        name = _text(raw.get("name"))
        if len(name) > 200:
            refuse("naam", _("Een naam telt hoogstens 200 tekens."))
        legal_form = Company.LegalForm.OTHER
        if not _blank(raw.get("legal_form")):
            legal_form = _choice(raw["legal_form"], Company.LegalForm.choices)
            if legal_form is None:
                refuse(
                    "rechtsvorm",
                    _("Onbekende rechtsvorm ‘%(value)s’.") % {"value": _text(raw["legal_form"])},
                )
        size_class = None
        if not _blank(raw.get("size_class")):
            size_class = _choice(raw["size_class"], Company.SizeClass.choices)
            if size_class is None:
                refuse(
                    "grootte",
                    _("Onbekende grootte ‘%(value)s’ (micro, small, medium of large).")
                    % {"value": _text(raw["size_class"])},
                )
        postcode = _text(raw.get("postcode"))
        if postcode and country:
            try:
                postcode = validators.normalise_postcode(postcode, country)
            except ValidationError as error:
                refuse("postcode", error.messages[0])
        website = _text(raw.get("website"))
        if website:
            try:
                validate_web_address(website)
            except ValidationError as error:
                refuse("website", error.messages[0])
            if len(website) > 200:
                refuse("website", _("Een webadres telt hoogstens 200 tekens."))
        chamber = None
        if not _blank(raw.get("chamber")):
            chamber = chambers.get(_text(raw["chamber"]).lower())
            if chamber is None:
                refuse(
                    "kamer", _("Onbekende kamer ‘%(value)s’.") % {"value": _text(raw["chamber"])}
                )
            elif chamber.pk not in allowed:
                refuse(
                    "kamer",
                    _("Je mag geen leden importeren voor %(chamber)s.") % {"chamber": chamber.name},
                )
        tier = None
        if not _blank(raw.get("tier")):
            tier = _choice(raw["tier"], Membership.Tier.choices)
            if tier is None:
                refuse(
                    "formule",
                    _("Onbekende formule ‘%(value)s’ (starter, standaard of premium).")
                    % {"value": _text(raw["tier"])},
                )
        dates = {}
        for column_name, label in (("valid_from", "geldig_vanaf"), ("valid_until", "geldig_tot")):
            if not _blank(raw.get(column_name)):
                dates[column_name] = _date(raw[column_name])
                if dates[column_name] is None:
                    refuse(
                        label,
                        _("Ongeldige datum ‘%(value)s’ (schrijf 2025-01-31 of 31/01/2025).")
                        % {"value": _text(raw[column_name])},
                    )
        valid_from, valid_until = dates.get("valid_from"), dates.get("valid_until")
        if valid_from and valid_until:
            # The back-office's rules for a new period: it ends after it starts, and is not over.
            try:
                validators.validate_period(valid_from, valid_until)
                services.membership_start_status(
                    valid_from=valid_from, valid_until=valid_until, today=today
                )
            except ValidationError as error:
                refuse("geldig_tot", error.messages[0])
            except DomainError as error:
                refuse("geldig_tot", error.message)
        fee = None
        if not _blank(raw.get("annual_fee")):
            fee = parse_fee(raw["annual_fee"])
            if fee is None:
                refuse(
                    "jaarbijdrage",
                    _("Ongeldige jaarbijdrage ‘%(value)s’ (een bedrag van 0 of meer, bv. 450,00).")
                    % {"value": _text(raw["annual_fee"])},
                )
        if errors:
            report.errors.extend(errors)
        else:
            candidates.append(
                ValidRow(
                    line=line,
                    country=country,
                    enterprise_number=(
                        number.value if number.field == identifiers.ENTERPRISE_NUMBER else None
                    ),
                    registration_number=(
                        number.value if number.field == identifiers.REGISTRATION_NUMBER else ""
                    ),
                    vat_number=number.value if number.field == identifiers.VAT_NUMBER else "",
                    name=name,
                    legal_form=legal_form,
                    size_class=size_class,
                    street=_text(raw.get("street"))[:200],
                    postcode=postcode,
                    municipality=_text(raw.get("municipality"))[:100],
                    website=website,
                    chamber_id=chamber.pk,
                    chamber_name=chamber.short_name,
                    tier=tier,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    annual_fee=fee,
                )
            )
        if progress and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
    existing = _existing_numbers(seen)
    for row in candidates:
        if _row_identifier(row) in existing:
            report.errors.append(
                RowError(
                    row.line,
                    "ondernemingsnummer",
                    _("Bestaat al: er is al een onderneming met %(number)s.")
                    % {"number": identifiers.described(_row_identifier(row))},
                )
            )
        else:
            report.rows.append(row)
    report.errors.sort(key=lambda error: error.line)
    return report


def _existing_numbers(
    numbers: Iterable[identifiers.Identifier],
) -> set[identifiers.Identifier]:
    """Which of `numbers` a company in the database has: a query per 5000 numbers per field."""
    numbers = set(numbers)
    existing = set()
    for kind in (
        identifiers.ENTERPRISE_NUMBER,
        identifiers.REGISTRATION_NUMBER,
        identifiers.VAT_NUMBER,
    ):
        values = sorted({number.value for number in numbers if number.field == kind})
        for start in range(0, len(values), 5000):
            chunk = values[start : start + 5000]
            found = Company.objects.filter(**{f"{kind}__in": chunk}).values_list("country", kind)
            for country, value in found:
                # A registration number is unique within its country only.
                matched = identifiers.Identifier(
                    country if kind == identifiers.REGISTRATION_NUMBER else None, kind, value
                )
                existing.update(
                    number
                    for number in numbers
                    if number.field == kind
                    and number.value == value
                    and matched.country in (None, number.country)
                )
    return existing


# --- writing --------------------------------------------------------------------------------------


def write_rows(
    rows: list[ValidRow],
    *,
    actor,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Create the companies and their memberships in one transaction; returns how many.

    Call with the rows of a Report without errors. Checked again here: a company made since the
    dry run (by hand, or by another import) makes the whole write fail and nothing is written.
    """
    if not rows:
        return 0
    allowed = roles.chamber_ids_where(actor, roles.IMPORT_ROLES)
    if any(row.chamber_id not in allowed for row in rows):
        raise ImportFileError(_("Je mag geen leden importeren voor een van deze kamers."))
    today = timezone.localdate()
    try:
        statuses = [
            services.membership_start_status(
                valid_from=row.valid_from, valid_until=row.valid_until, today=today
            )
            for row in rows
        ]
    except DomainError as error:  # a period checked yesterday may be over today
        raise ImportFileError(error.message) from error
    total = len(rows) * 2
    with transaction.atomic():
        existing = _existing_numbers(_row_identifier(row) for row in rows)
        if existing:
            raise ImportFileError(
                _(
                    "Intussen bestaan %(count)s van deze ondernemingen al (bv. %(number)s). "
                    "Er is niets geïmporteerd; controleer het bestand opnieuw."
                )
                % {
                    "count": len(existing),
                    "number": identifiers.described(
                        sorted(existing, key=lambda number: number.value)[0]
                    ),
                }
            )
        slugs = services.company_slugs((row.name, identifiers.slug_key(row)) for row in rows)
        companies = [
            Company(
                name=row.name,
                slug=slug,
                country=row.country,
                enterprise_number=row.enterprise_number,
                registration_number=row.registration_number,
                vat_number=row.vat_number,
                legal_form=row.legal_form,
                size_class=row.size_class,
                street=row.street,
                postcode=row.postcode,
                municipality=row.municipality,
                website=row.website,
            )
            for row, slug in zip(rows, slugs, strict=True)
        ]
        try:
            for start in range(0, len(companies), BATCH_SIZE):
                Company.objects.bulk_create(companies[start : start + BATCH_SIZE])
                if progress:
                    progress(min(start + BATCH_SIZE, len(rows)), total)
            memberships = [
                Membership(
                    company=company,
                    chamber_id=row.chamber_id,
                    tier=row.tier,
                    status=status,
                    valid_from=row.valid_from,
                    valid_until=row.valid_until,
                    annual_fee=row.annual_fee,
                )
                for company, row, status in zip(companies, rows, statuses, strict=True)
            ]
            for start in range(0, len(memberships), BATCH_SIZE):
                Membership.objects.bulk_create(memberships[start : start + BATCH_SIZE])
                if progress:
                    progress(len(rows) + min(start + BATCH_SIZE, len(rows)), total)
        except IntegrityError as error:
            # Another import or a hand-made company took a number or slug at the same moment.
            raise ImportFileError(
                _("Het importeren botste met een andere wijziging. Er is niets geïmporteerd.")
            ) from error
    return len(companies)


# --- jobs: one upload, its dry run and its write, with their progress in the cache ----------------


def _key(job_id: str) -> str:
    return f"members:import:{job_id}"


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def kind_of(filename: str) -> str | None:
    return EXTENSIONS.get(Path(filename).suffix.lower())


def job_start(*, uploaded_file, actor) -> dict:
    """Keep the uploaded file and record a job for `actor`; nothing is read yet."""
    job_id = uuid.uuid4().hex
    kind = kind_of(uploaded_file.name)
    path = _folder() / f"{job_id}.{kind}"
    with path.open("wb") as target:
        for chunk in uploaded_file.chunks():
            target.write(chunk)
    job = {
        "id": job_id,
        "user_id": actor.pk,
        "filename": Path(uploaded_file.name).name[:200],
        "kind": kind,
        "state": "uploaded",
        "phase": "check",
        "done": 0,
        "total": 0,
        "rows": 0,
        "valid": 0,
        "invalid_lines": 0,
        "errors": [],
        "preview": [],
        "by_chamber": [],
        "created": 0,
        "message": "",
        # The reasons are written in the language of the person who uploaded, also by a worker.
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "started_at": timezone.now().isoformat(),
    }
    job_save(job)
    return job


def job_discard(job: dict) -> None:
    """Forget a job and its file (a file that could not be read at all)."""
    (_folder() / f"{job['id']}.{job['kind']}").unlink(missing_ok=True)
    cache.delete(_key(job["id"]))


def job_save(job: dict) -> None:
    cache.set(_key(job["id"]), job, JOB_TTL)


def job_get(job_id: str, actor=None) -> dict | None:
    """The job, if it exists and (when `actor` is given) belongs to `actor`."""
    if not re.fullmatch(r"[0-9a-f]{32}", job_id or ""):
        return None
    job = cache.get(_key(job_id))
    if job is None or (actor is not None and job["user_id"] != actor.pk):
        return None
    return job


def job_row_count(job: dict) -> int:
    """How many data rows the file has (reads it; cheap next to checking them)."""
    data = (_folder() / f"{job['id']}.{job['kind']}").read_bytes()
    _, rows = read_records(data, job["kind"])
    return len(rows)


def _progress_writer(job: dict) -> Callable[[int, int], None]:
    def write(done: int, total: int) -> None:
        job.update(done=done, total=total)
        job_save(job)

    return write


def _preview(rows: list[ValidRow]) -> list[dict]:
    return [
        {
            "line": row.line,
            "name": row.name,
            "enterprise_number": identifiers.display(row),
            "municipality": row.municipality,
            "chamber": row.chamber_name,
            "tier": str(Membership.Tier(row.tier).label),
            "valid_from": row.valid_from.strftime("%d/%m/%Y"),
            "valid_until": row.valid_until.strftime("%d/%m/%Y"),
            "annual_fee": str(row.annual_fee),
        }
        for row in rows[:PREVIEW_ROWS]
    ]


def job_run(job_id: str, *, write: bool) -> dict:
    """Check the job's file (the dry run) and, when `write` and it is valid, import it.

    Idempotent: a job that was written already is left alone, so that a task delivered twice
    imports once. A write always checks the file again first.
    """
    job = job_get(job_id)
    if job is None:
        logger.warning("Import job %s is gone (expired?); nothing to do.", job_id)
        return {}
    if job["state"] == "done":
        return job
    with translation.override(job["language"]):
        return _run(job, write=write)


def _run(job: dict, *, write: bool) -> dict:
    actor = get_user_model().objects.get(pk=job["user_id"])
    path = _folder() / f"{job['id']}.{job['kind']}"
    job.update(state="running", phase="check", done=0, total=0, message="")
    job_save(job)
    try:
        try:
            _, records = read_records(path.read_bytes(), job["kind"])
        except ImportFileError as error:
            job.update(state="invalid", message=error.message, rows=0)
            job_save(job)
            return job
        report = check_rows(records, actor=actor, progress=_progress_writer(job))
        job.update(
            rows=report.total,
            valid=len(report.rows),
            invalid_lines=report.invalid_lines,
            errors=[asdict(error) for error in report.errors],
            preview=_preview(report.rows),
            by_chamber=_count_by_chamber(report.rows),
        )
        if not report.is_valid:
            job.update(
                state="invalid",
                message="" if report.total else _("Het bestand bevat geen rijen met gegevens."),
            )
            job_save(job)
            return job
        if not write:
            job.update(state="checked")
            job_save(job)
            return job
        job.update(phase="write", done=0, total=report.total * 2)
        job_save(job)
        # The rows a worker writes are the uploader's: the audit trail names them and the job.
        audit.attach(user=actor.pk, import_job=job["id"], import_file=job["filename"])
        try:
            created = write_rows(report.rows, actor=actor, progress=_progress_writer(job))
        except ImportFileError as error:
            job.update(state="failed", message=error.message)
            job_save(job)
            return job
        job.update(state="done", created=created, done=job["total"])
        job_save(job)
        path.unlink(missing_ok=True)
        return job
    except Exception:
        job.update(state="failed", message=_("Er liep iets mis bij het importeren."))
        job_save(job)
        raise


def _count_by_chamber(rows: list[ValidRow]) -> list[dict]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.chamber_name] = counts.get(row.chamber_name, 0) + 1
    return [{"chamber": name, "count": count} for name, count in sorted(counts.items())]


def errors_csv(job: dict) -> str:
    """All the reasons, one per line, for the person who fixes the file."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("regel"), _("kolom"), _("reden")])
    for error in job["errors"]:
        writer.writerow([error["line"], error["column"], safe_text(error["message"])])
    return out.getvalue()

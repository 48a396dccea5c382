"""Property-based tests (hypothesis): whatever text a user types into the forms and services that
take input, the answer is a valid result or a clear validation error, never an exception or a
500. Pages go through the Django test client, which raises any exception a view lets escape."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from alliance.base.spreadsheets import safe_text
from competences.models import Service
from events.models import Event
from members import enterprise_numbers, imports
from members.models import Person
from tests.factories import EventFactory, PersonFactory, ServiceFactory, UserFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

# Any text a browser can send: every code point but lone surrogates (not encodable in UTF-8),
# NUL and control characters included.
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
# Also what looks like what the field expects, so that the valid paths are walked too.
NUMBERS = st.one_of(
    TEXT,
    st.from_regex(r"(BE)?\s?[01][0-9]{3}[.\s]?[0-9]{3}[.\s]?[0-9]{3}", fullmatch=True),
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

forms = hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
pure = hypothesis_settings(max_examples=300, deadline=None)


def answered(response, *allowed: int) -> None:
    """A page's answer: one it means (a form again, a redirect), or 400 for a NUL byte."""
    assert response.status_code in (200, 302, 400, *allowed), response.status_code


@pytest.fixture(autouse=True)
def no_rate_limits_between_examples():
    cache.clear()
    yield
    cache.clear()


# --- pure functions ----------------------------------------------------------------------------


@pure
@given(NUMBERS)
def test_an_enterprise_number_is_normalised_or_refused_with_a_reason(value):
    try:
        number = enterprise_numbers.normalise(value)
    except ValidationError as error:
        assert error.code in ("checksum", "format")
        return
    assert len(number) == 10 and number.isdigit() and number[0] in "01"
    assert enterprise_numbers.normalise(enterprise_numbers.formatted(number)) == number


@pure
@given(st.one_of(TEXT, st.integers(), st.floats(allow_nan=False), st.none()))
def test_safe_text_never_leaves_a_formula(value):
    result = safe_text(value)
    if isinstance(result, str):
        assert not result.startswith(FORMULA_STARTS)
        assert result.lstrip("'") == value or result == value
    else:
        assert result == value


def csv_file(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([column.label for column in imports.COLUMNS])
    writer.writerows(rows)
    return out.getvalue().encode()


@forms
@given(
    st.lists(
        st.lists(TEXT, min_size=len(imports.COLUMNS), max_size=len(imports.COLUMNS)),
        min_size=1,
        max_size=5,
    )
)
def test_the_import_reads_any_rows_into_rows_or_reasons(kempen, chamber_admin, rows):
    try:
        _positions, records = imports.read_records(csv_file(rows), "csv")
    except imports.ImportFileError as error:
        assert error.message
        return
    report = imports.check_rows(records, actor=chamber_admin)
    for error in report.errors:
        assert error.line >= 2 and error.message
    assert len(report.rows) + report.invalid_lines == len(records)


@forms
@given(st.binary(max_size=2000))
def test_the_import_reads_any_bytes_or_says_why_not(chamber_admin, data):
    for kind in ("csv", "xlsx"):
        try:
            imports.read_records(data, kind)
        except imports.ImportFileError as error:
            assert error.message


# --- forms, through their pages ------------------------------------------------------------------


@forms
@given(number=NUMBERS, first_name=TEXT, last_name=TEXT, job_title=TEXT, message=TEXT)
def test_the_join_request_form_answers_any_text(
    company, number, first_name, last_name, job_title, message
):
    client = client_for(UserFactory())
    response = client.post(
        reverse("me:join"),
        {
            "enterprise_number": number,
            "first_name": first_name,
            "last_name": last_name,
            "job_title": job_title,
            "message": message,
        },
    )
    answered(response)


@forms
@given(
    description=TEXT,
    website=TEXT,
    street=TEXT,
    postcode=TEXT,
    municipality=TEXT,
    founded_year=TEXT,
    export_countries=TEXT,
    size_class=TEXT,
)
def test_the_company_profile_form_answers_any_text(company_admin, company, **fields):
    response = client_for(company_admin).post(reverse("me:company_edit"), fields)
    answered(response)


@forms
@given(message=TEXT, service=TEXT)
def test_the_service_request_form_answers_any_text(member_user, centre, message, service):
    ServiceFactory(centre=centre, audience=Service.Audience.MEMBERS)
    response = client_for(member_user).post(
        reverse("competences:ask", args=[centre.slug]), {"message": message, "service": service}
    )
    answered(response)


@pytest.fixture
def open_event(kempen, centre):
    return EventFactory(organiser=kempen, centre=centre, status=Event.Status.PUBLISHED)


@forms
@given(purchase_order=TEXT, step=st.sampled_from(["", "confirm", "1", "\x00"]))
def test_the_registration_form_answers_any_text(open_event, company, purchase_order, step):
    person = PersonFactory(company=company, user=UserFactory(), role=Person.Role.EMPLOYEE)
    response = client_for(person.user).post(
        reverse("events:register", args=[open_event.slug]),
        {"purchase_order": purchase_order, "step": step},
    )
    answered(response)

"""Oversized bodies are refused with 413 before they are read; XLSX uploads are checked for their
unpacked size and compression ratio (zip bombs) and their XML is parsed with defusedxml."""

import io
import time
import zipfile

import openpyxl
import openpyxl.xml
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import imports
from members.models import Company
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


# --- bodies too large --------------------------------------------------------------------------


def test_a_body_announced_too_large_is_413_before_it_is_read(chamber_admin):
    client = client_for(chamber_admin)
    response = client.post(
        reverse("staff:imports"),
        {"file": SimpleUploadedFile("leden.csv", b"x")},
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1),
    )
    assert response.status_code == 413
    assert "Dit is te groot om te versturen" in response.content.decode()
    assert not Company.objects.exists()


def test_the_413_page_speaks_the_users_language(client):
    response = client.post(
        reverse("account_login"),
        {"login": "x"},
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1),
        headers={"accept-language": "en"},
    )
    assert response.status_code == 413
    assert "This is too large to send" in response.content.decode()


def test_the_api_answers_413_as_a_problem(client):
    response = client.post(
        "/api/v1/webhook-endpoints/",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(settings.API_MAX_REQUEST_BODY_BYTES + 1),
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "request_too_large"


def test_a_body_within_the_limit_passes(client):
    assert client.post(reverse("account_login"), {"login": "x"}).status_code == 200


def test_a_length_that_is_no_number_is_400(client):
    response = client.post(reverse("account_login"), {"login": "x"}, CONTENT_LENGTH="veel")
    assert response.status_code == 400


def test_form_data_without_a_file_is_bounded_in_memory():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.MAX_REQUEST_BODY_BYTES
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024


# --- XLSX: zip bombs and XML attacks ------------------------------------------------------------


def workbook_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([column.label for column in imports.COLUMNS])
    values = {"enterprise_number": "0403.170.701", "name": "Brouwerij"}
    sheet.append([values.get(column.name) for column in imports.COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one of its files replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            body = content if member.filename == name else source.read(member.filename)
            target.writestr(member.filename, body)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML, "defusedxml must be installed: openpyxl uses it when it is"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = with_member(workbook_bytes(), SHEET, b" " * (imports.MAX_XLSX_UNPACKED + 1))
    assert len(bomb) < imports.MAX_FILE_SIZE, "small enough to pass the upload's size check"
    started = time.monotonic()
    with pytest.raises(imports.ImportFileError) as refused:
        imports.read_records(bomb, "xlsx")
    assert time.monotonic() - started < 2
    assert "pakt uit tot meer dan" in refused.value.message


def test_a_member_compressed_suspiciously_well_is_refused():
    squeezed = with_member(workbook_bytes(), SHEET, b"<a/>" + b" " * (5 * 1024 * 1024))
    with pytest.raises(imports.ImportFileError):
        imports.read_records(squeezed, "xlsx")


def test_an_ordinary_workbook_is_read():
    _positions, rows = imports.read_records(workbook_bytes(), "xlsx")
    assert rows and rows[0][1]["enterprise_number"] == "0403.170.701"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>
</sheetData></worksheet>"""


def external_entity(path: str) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY secret SYSTEM "file://{path}"> ]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>ondernemingsnummer &secret;</t></is></c></row>
</sheetData></worksheet>""".encode()


def test_an_xml_bomb_in_a_workbook_is_refused_at_once():
    started = time.monotonic()
    with pytest.raises(imports.ImportFileError):
        imports.read_records(with_member(workbook_bytes(), SHEET, BILLION_LAUGHS), "xlsx")
    assert time.monotonic() - started < 2


def test_an_external_entity_in_a_workbook_is_never_read(tmp_path):
    secret = tmp_path / "geheim.txt"
    secret.write_text("WACHTWOORD-VAN-DE-SERVER")
    crafted = with_member(workbook_bytes(), SHEET, external_entity(str(secret)))
    try:
        _positions, rows = imports.read_records(crafted, "xlsx")
    except imports.ImportFileError:
        return
    assert "WACHTWOORD-VAN-DE-SERVER" not in repr(rows)


def test_the_staff_upload_refuses_a_zip_bomb_with_a_reason(chamber_admin):
    bomb = with_member(workbook_bytes(), SHEET, b" " * (imports.MAX_XLSX_UNPACKED + 1))
    response = client_for(chamber_admin).post(
        reverse("staff:imports"), {"file": SimpleUploadedFile("leden.xlsx", bomb)}
    )
    assert response.status_code == 200
    assert "pakt uit tot meer dan" in response.content.decode()
    assert not Company.objects.exists()

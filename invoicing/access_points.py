"""Peppol access points: the small interface through which e-invoices leave the portal.

`FileDropAccessPoint` writes each document to a folder (development, or a chamber whose
accounting software or access point picks files up there); `HttpAccessPoint` posts the UBL to
an access point's HTTP API with a bearer token. settings.INVOICING_ACCESS_POINT chooses one.
An access point raises AccessPointError (an OSError, so the Celery task retries it) when the
document did not leave.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Protocol

from django.conf import settings

TIMEOUT_SECONDS = 10


class AccessPointError(OSError):
    """The document was not accepted; sending is tried again later."""


class AccessPoint(Protocol):
    def send(self, *, filename: str, xml: bytes, receiver: str) -> str:
        """Hand one UBL document over for `receiver` ("0208:0403170701"); returns the access
        point's reference for it."""


class FileDropAccessPoint:
    def __init__(self, directory: str):
        self.directory = Path(directory)

    def send(self, *, filename: str, xml: bytes, receiver: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / filename
        partial = target.with_suffix(".part")
        partial.write_bytes(xml)
        partial.replace(target)  # whoever picks files up never sees half of one
        return str(target)


class HttpAccessPoint:
    """POST {url} with the UBL as the body; the access point answers 2xx with a JSON body
    carrying its `id` for the document."""

    def __init__(self, url: str, token: str):
        self.url, self.token = url, token

    def send(self, *, filename: str, xml: bytes, receiver: str) -> str:
        request = urllib.request.Request(
            self.url,
            data=xml,
            method="POST",
            headers={
                "Content-Type": "application/xml",
                "Authorization": f"Bearer {self.token}",
                "X-Peppol-Receiver": receiver,
                "X-Document-Name": filename,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                body = response.read()
        except OSError as error:  # URLError, HTTPError and timeouts are all OSErrors
            raise AccessPointError(str(error)) from error
        try:
            return str(json.loads(body or b"{}").get("id", ""))
        except ValueError:
            return ""


def configured() -> AccessPoint | None:
    """The access point of the settings, or None when the portal sends nothing."""
    kind = settings.INVOICING_ACCESS_POINT
    if kind == "file":
        return FileDropAccessPoint(settings.INVOICING_FILE_DROP_DIR)
    if kind == "http":
        return HttpAccessPoint(
            settings.INVOICING_ACCESS_POINT_URL, settings.INVOICING_ACCESS_POINT_TOKEN
        )
    return None

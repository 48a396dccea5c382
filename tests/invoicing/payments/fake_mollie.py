"""A local stand-in for Mollie's payments API (v2), for the tests.

It speaks the same HTTP as Mollie for what the portal uses: `POST /v2/payments` (JSON in, a
payment resource out, 201, with `_links.checkout`), `GET /v2/payments/{id}` (200, or 404 with
Mollie's error body), a Bearer API key that must look like Mollie's, the `Idempotency-Key`
header (the same key gives the same payment back), and a checkout page at
`/checkout/{id}` (`?status=paid` there plays the payer: it sets the status and redirects to
the payment's redirectUrl, as Mollie's hosted checkout does).

The test plays Mollie's side with `set_status` and `fire_webhook`: Mollie's webhook is a
form-encoded POST of `id=tr_…` to the payment's webhookUrl, and nothing else; the receiver must
fetch the payment to learn what happened.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = "test_fakeMollieKeyForTheTestsOnly00"
METHODS = {"bancontact", "creditcard", "banktransfer"}
STATUSES = {"open", "pending", "authorized", "paid", "failed", "expired", "canceled"}


class FakeMollie:
    """The server and its state. Use as a context manager or call start()/stop()."""

    def __init__(self):
        self.payments: dict[str, dict] = {}
        self.requests: list[tuple[str, str]] = []  # (method, path) as received
        self.idempotency: dict[str, str] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeMollie:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # The test's side: Mollie's changes of status and its webhook calls.

    def set_status(self, payment_id: str, status: str) -> None:
        assert status in STATUSES, status
        with self.lock:
            payment = self.payments[payment_id]
            payment["status"] = status
            now = _now()
            stamp = {
                "paid": "paidAt",
                "failed": "failedAt",
                "expired": "expiredAt",
                "canceled": "canceledAt",
            }.get(status)
            if stamp:
                payment[stamp] = now
            if status != "open":
                payment["_links"].pop("checkout", None)

    def webhook_body(self, payment_id: str) -> dict:
        """What Mollie posts (form-encoded): the id, nothing else."""
        return {"id": payment_id}

    def fire_webhook(self, payment_id: str) -> int:
        """POST the webhook over HTTP to the payment's webhookUrl, as Mollie does; the status."""
        url = self.payments[payment_id]["webhookUrl"]
        body = urllib.parse.urlencode(self.webhook_body(payment_id)).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    # The HTTP side.

    def _create(self, body: dict, key: str) -> tuple[int, dict]:
        amount = body.get("amount") or {}
        value = str(amount.get("value", ""))
        if not re.fullmatch(r"\d+\.\d{2}", value):
            return _error(422, "The amount is invalid", "amount.value")
        try:
            if Decimal(value) <= 0:
                return _error(422, "The amount is lower than minimum", "amount.value")
        except InvalidOperation:
            return _error(422, "The amount is invalid", "amount.value")
        if amount.get("currency") != "EUR":
            return _error(422, "The currency is not supported", "amount.currency")
        for name in ("description", "redirectUrl"):
            if not body.get(name):
                return _error(422, f"The {name} is missing", name)
        method = body.get("method")
        if method is not None and method not in METHODS:
            return _error(422, "The payment method is invalid", "method")
        with self.lock:
            if key and key in self.idempotency:
                return 201, self.payments[self.idempotency[key]]
            payment_id = "tr_" + secrets.token_hex(5)
            payment = {
                "resource": "payment",
                "id": payment_id,
                "mode": "test",
                "createdAt": _now(),
                "amount": {"currency": "EUR", "value": value},
                "description": body["description"],
                "method": method,
                "metadata": body.get("metadata"),
                "status": "open",
                "isCancelable": False,
                "expiresAt": (datetime.now(UTC) + timedelta(minutes=15)).isoformat(),
                "locale": body.get("locale"),
                "profileId": "pfl_fake",
                "sequenceType": "oneoff",
                "redirectUrl": body["redirectUrl"],
                "webhookUrl": body.get("webhookUrl"),
                "_links": {
                    "self": {
                        "href": f"{self.url}/v2/payments/{payment_id}",
                        "type": "application/hal+json",
                    },
                    "checkout": {"href": f"{self.url}/checkout/{payment_id}", "type": "text/html"},
                },
            }
            if method == "banktransfer":
                payment["details"] = {
                    "bankName": "Fake Bank",
                    "bankAccount": "BE12345678901234",
                    "bankBic": "GKCCBEBB",
                    "transferReference": "RF12 3456 7890",
                }
            self.payments[payment_id] = payment
            if key:
                self.idempotency[key] = payment_id
            return 201, payment

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _send(self, status: int, payload: dict | None = None, headers=None):
                body = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                content = "application/problem+json" if status >= 400 else "application/hal+json"
                self.send_header("Content-Type", content)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") == f"Bearer {API_KEY}":
                    return True
                self._send(*_error(401, "Missing authentication, or failed to authenticate"))
                return False

            def do_POST(self):  # noqa: N802 (http.server's name)
                fake.requests.append(("POST", self.path))
                if self.path.rstrip("/") != "/v2/payments":
                    return self._send(*_error(404, "No such endpoint"))
                if not self._authorised():
                    return None
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    return self._send(*_error(400, "The request body is not valid JSON"))
                status, payload = fake._create(body, self.headers.get("Idempotency-Key", ""))
                return self._send(status, payload)

            def do_GET(self):  # noqa: N802
                fake.requests.append(("GET", self.path))
                parsed = urllib.parse.urlsplit(self.path)
                api = re.fullmatch(r"/v2/payments/(tr_\w+)", parsed.path)
                checkout = re.fullmatch(r"/checkout/(tr_\w+)", parsed.path)
                if api:
                    if not self._authorised():
                        return None
                    payment = fake.payments.get(api.group(1))
                    if payment is None:
                        return self._send(
                            *_error(404, f"No payment exists with token {api.group(1)}.")
                        )
                    return self._send(200, payment)
                if checkout and checkout.group(1) in fake.payments:
                    chosen = urllib.parse.parse_qs(parsed.query).get("status", [""])[0]
                    if chosen in STATUSES:
                        fake.set_status(checkout.group(1), chosen)
                        target = fake.payments[checkout.group(1)]["redirectUrl"]
                        return self._send(302, None, {"Location": target})
                    return self._send(200, {"checkout": checkout.group(1)})
                return self._send(*_error(404, "No such endpoint"))

        return Handler


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _error(status: int, detail: str, field: str | None = None) -> tuple[int, dict]:
    titles = {
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        422: "Unprocessable Entity",
    }
    body = {
        "status": status,
        "title": titles.get(status, "Error"),
        "detail": detail,
        "_links": {"documentation": {"href": "https://docs.mollie.com/", "type": "text/html"}},
    }
    if field:
        body["field"] = field
    return status, body

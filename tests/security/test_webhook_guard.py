"""The webhook address guard: on in production, one resolution, no port probing, no NAT64."""

import json
import socket

import pytest

from chambers import webhooks
from tests.api.test_webhooks import Receiver
from tests.security.deployment import run_python


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_production_settings_refuse_our_own_network(receiver):
    """Loaded as a deployment loads them (no DEBUG, no WEBHOOK_* in the environment), the
    production settings keep the guard on: the worker calls neither loopback, nor the cloud's
    metadata address, nor the private network, and the receiver on 127.0.0.1 gets nothing."""
    code = f"""
import json
from django.conf import settings
from chambers import webhooks
urls = [
    {receiver.url!r},
    "https://127.0.0.1:{receiver.server.server_port}/hooks",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.8/hooks",
    "https://[::1]/hooks",
    "https://[64:ff9b::a9fe:a9fe]/hooks",
    "https://localhost/hooks",
]
results = [webhooks.send(url=url, body=b"{{}}", headers={{}}, timeout=2) for url in urls]
print(json.dumps({{
    "debug": settings.DEBUG,
    "allow": settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES,
    "results": [[r.status_code, r.refused] for r in results],
}}))
"""
    process = run_python(code)
    assert process.returncode == 0, process.stderr
    shown = json.loads(process.stdout.strip().splitlines()[-1])
    assert (shown["debug"], shown["allow"]) == (False, False)
    assert shown["results"] == [[None, True]] * 7
    assert receiver.received == []


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "240.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "64:ff9b::7f00:1",
        "64:ff9b::808:808",  # NAT64 of a public address: still a translator's, refused
        "64:ff9b:1::a00:1",
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2001::1",  # Teredo
        "2001:db8::1",
        "ff02::1",
        "geen adres",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not webhooks.public_address(address)


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "93.184.215.14", "2606:4700::1111", "2002:808:808::1"]
)
def test_public_addresses_pass(address):
    assert webhooks.public_address(address)


def test_the_host_is_resolved_once_and_that_address_is_called(settings, monkeypatch):
    """DNS rebinding: the name answers a public address when checked and 127.0.0.1 after; the
    connection goes to the address that was checked."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    answers = iter(["93.184.215.14", "127.0.0.1", "127.0.0.1"])
    lookups, connections = [], []

    def getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    def create_connection(address, *args, **kwargs):
        connections.append(address)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    result = webhooks.send(url="https://rebind.example/hooks", body=b"{}", headers={}, timeout=1)
    assert lookups == ["rebind.example"]
    assert connections == [("93.184.215.14", 443)]
    assert (result.status_code, result.refused) == (None, False)


def test_the_pinned_connection_still_speaks_to_the_host_by_name(settings, receiver, monkeypatch):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        return real("127.0.0.1" if host == "crm.partner.example" else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    port = receiver.server.server_port
    result = webhooks.send(
        url=f"http://crm.partner.example:{port}/hooks?x=1", body=b"{}", headers={}, timeout=2
    )
    assert result.ok
    headers, body = receiver.received[0]
    assert (headers["Host"], body) == (f"crm.partner.example:{port}", b"{}")


def test_a_failed_connection_does_not_say_why(settings, receiver):
    """Closed, filtered or open-but-not-HTTP: the delivery log reads the same, so a partner
    cannot map ports through it."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    try:
        errors = {
            webhooks.send(url=url, body=b"{}", headers={}, timeout=0.5).error
            for url in [
                f"http://127.0.0.1:{closed_port}/",  # refused
                f"http://127.0.0.1:{listening.getsockname()[1]}/",  # open, never answers
            ]
        }
    finally:
        listening.close()
    assert errors == {"Het adres gaf geen antwoord."}

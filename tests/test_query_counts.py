"""Every list and detail page, and every API endpoint that reads, costs a fixed number of queries.

Each page is measured for the audience that sees the most of it (a member who is their
company's admin, an alliance admin, a partner key with every scope), once with few rows and once
with five times as many (tests/query_counts_world.py), and both counts must equal the page's
baseline in tests/query_counts.json. See docs/query-counts.md.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import get_resolver, reverse

from tests import query_counts
from tests.query_counts import assert_query_count, assert_request_query_count
from tests.query_counts_world import World

pytestmark = pytest.mark.django_db

FEW, MORE = 2, 8  # 2 units of rows, then 10: five times as many
ROWS = re.compile(r"Groei \d\d|groei-\d+")
CHAMBERS = re.compile(r"Groeistad \d\d|groeistad-\d+")


@pytest.fixture
def world(alliance, kempen, mechelen, centre, company, person, member_user, event):
    # Throttle counts live in the cache; a key's budget must not run out across tests.
    cache.clear()
    yield World(
        alliance=alliance,
        kempen=kempen,
        mechelen=mechelen,
        centre=centre,
        company=company,
        person=person,
        member_user=member_user,
        event=event,
    )
    cache.clear()


@dataclass
class Page:
    """One address as one audience sees it. `shows`: the marks of the rows a unit adds, more of
    which the page shows after growing (None where it shows a form, a count or one object)."""

    name: str
    who: str
    url: Callable[[World], str]
    data: dict = field(default_factory=dict)
    shows: re.Pattern | None = ROWS
    headers: dict = field(default_factory=dict)

    def __str__(self):
        return self.name


def url(name: str, *args: Callable[[World], object]) -> Callable[[World], str]:
    """reverse(name) with arguments read from the world when the test runs."""
    return lambda world: reverse(name, args=[arg(world) for arg in args])


def audit_slug(obj) -> str:
    from pghistory.models import Events

    return Events.objects.tracks(obj).order_by("pgh_id").first().pgh_slug


def slug(attribute):
    return lambda world: getattr(world, attribute).slug


def pk(attribute):
    return lambda world: getattr(world, attribute).pk


PUBLIC = [
    Page("home as member", "member", url("home")),
    Page("search as member", "member", url("search"), {"q": "Groei"}),
    Page("events:list as member", "member", url("events:list")),
    Page(
        "events:list as member, htmx", "member", url("events:list"), headers={"HX-Request": "true"}
    ),
    Page("events:list_ics as visitor", "visitor", url("events:list_ics")),
    Page("events:detail as member", "member", url("events:detail", slug("event"))),
    Page("events:ics as visitor", "visitor", url("events:ics", slug("event")), shows=None),
    Page("events:book as company admin", "member", url("events:book", slug("event")), shows=None),
    Page(
        "events:mission_apply as member",
        "member",
        url("events:mission_apply", slug("selection")),
        shows=None,
    ),
    Page(
        "events:mission_follow_up as member",
        "member",
        url("events:mission_follow_up", pk("mission_choice")),
        shows=None,
    ),
    Page(
        "events:register_prospect as visitor",
        "visitor",
        url("events:register_prospect", slug("event")),
        shows=None,
    ),
    Page(
        "events:ticket by its link",
        "visitor",
        url("events:ticket", lambda world: world.registration.ticket_code),
        shows=None,
    ),
    Page(
        "events:offer by its code",
        "visitor",
        url("events:offer", lambda world: world.registration.ticket_code),
        shows=None,
    ),
    Page("directory:list as member", "member", url("directory:list")),
    Page(
        "directory:list as member, htmx",
        "member",
        url("directory:list"),
        headers={"HX-Request": "true"},
    ),
    Page("directory:detail as member", "member", url("directory:detail", slug("company"))),
    Page("competences:list as member", "member", url("competences:list")),
    Page("competences:detail as member", "member", url("competences:detail", slug("centre"))),
    Page("chambers:detail as member", "member", url("chambers:detail", slug("kempen"))),
]

ME = [
    Page("me:home as company admin", "member", url("me:home")),
    # The latest request only; the earlier ones are read (five at most) but not shown.
    Page("me:join as applicant", "applicant", url("me:join"), shows=None),
    Page("me:apply as company admin", "member", url("me:apply"), shows=None),
    Page("me:apply as applicant", "applicant", url("me:apply"), shows=None),
    Page(
        "me:ticket as company admin",
        "member",
        url("me:ticket", lambda world: world.registration.ticket_code),
        shows=None,
    ),
    Page("me:calendar as company admin", "member", url("me:calendar"), shows=None),
    Page(
        "me:calendar_feed by its token",
        "visitor",
        url("me:calendar_feed", lambda world: world.calendar_token),
    ),
    Page("me:company as company admin", "member", url("me:company")),
    Page("me:company_edit as company admin", "member", url("me:company_edit")),
    Page(
        "me:company_person as company admin",
        "member",
        url("me:company_person", pk("colleague")),
        shows=None,
    ),
    Page(
        "me:join_request as company admin",
        "member",
        url("me:join_request", pk("join_request")),
        shows=None,
    ),
    Page("me:service_requests as company admin", "member", url("me:service_requests")),
    Page("me:interests as company admin", "member", url("me:interests")),
    # One invoice and its latest online payments (ten at most): one object.
    Page(
        "me:invoice_pay as company admin",
        "member",
        url("me:invoice_pay", pk("invoice")),
        shows=None,
    ),
    Page(
        "me:payment_return as company admin",
        "member",
        url("me:payment_return", pk("payment")),
        shows=None,
    ),
    Page("me:invoices as company admin", "member", url("me:invoices"), shows=CHAMBERS),
]

STAFF = [
    # Counts only: for the whole alliance, so no chamber names either.
    Page("staff:dashboard as alliance admin", "alliance_admin", url("staff:dashboard"), shows=None),
    Page("staff:events as alliance admin", "alliance_admin", url("staff:events")),
    Page(
        "staff:events as alliance admin, htmx",
        "alliance_admin",
        url("staff:events"),
        headers={"HX-Request": "true"},
    ),
    Page("staff:event_new as alliance admin", "alliance_admin", url("staff:event_new")),
    Page(
        "staff:event_detail as alliance admin",
        "alliance_admin",
        url("staff:event_detail", slug("event")),
    ),
    Page(
        "staff:event_missions as alliance admin",
        "alliance_admin",
        url("staff:event_missions", slug("selection")),
    ),
    Page(
        "staff:event_edit as alliance admin",
        "alliance_admin",
        url("staff:event_edit", slug("event")),
    ),
    Page(
        "staff:event_check_in as alliance admin",
        "alliance_admin",
        url("staff:event_check_in", slug("event")),
        shows=None,
    ),
    Page(
        "staff:event_cancel as alliance admin",
        "alliance_admin",
        url("staff:event_cancel", slug("event")),
        shows=None,
    ),
    Page("staff:members as alliance admin", "alliance_admin", url("staff:members")),
    Page(
        "staff:member_new as alliance admin",
        "alliance_admin",
        url("staff:member_new"),
        shows=CHAMBERS,
    ),
    Page(
        "staff:member_detail as alliance admin",
        "alliance_admin",
        url("staff:member_detail", slug("company")),
    ),
    Page(
        "staff:member_edit as alliance admin",
        "alliance_admin",
        url("staff:member_edit", slug("company")),
        shows=None,
    ),
    Page(
        "staff:member_person as alliance admin",
        "alliance_admin",
        url("staff:member_person", slug("company"), pk("person")),
        shows=None,
    ),
    Page(
        "staff:membership_new as alliance admin",
        "alliance_admin",
        url("staff:membership_new", slug("company")),
        shows=CHAMBERS,
    ),
    Page("staff:requests as alliance admin", "alliance_admin", url("staff:requests")),
    Page(
        "staff:request_detail as alliance admin",
        "alliance_admin",
        url("staff:request_detail", pk("service_request")),
    ),
    Page("staff:imports as alliance admin", "alliance_admin", url("staff:imports"), shows=None),
    Page("staff:partners as alliance admin", "alliance_admin", url("staff:partners")),
    Page(
        "staff:partner_detail as alliance admin",
        "alliance_admin",
        url("staff:partner_detail", slug("partner")),
    ),
    Page("staff:team as alliance admin", "alliance_admin", url("staff:team"), shows=None),
    Page("staff:payments_open as alliance admin", "alliance_admin", url("staff:payments_open")),
    Page("staff:bank_statements as alliance admin", "alliance_admin", url("staff:bank_statements")),
    Page(
        "staff:bank_transactions as alliance admin",
        "alliance_admin",
        url("staff:bank_transactions"),
    ),
    Page("staff:applications as alliance admin", "alliance_admin", url("staff:applications")),
    Page(
        "staff:application_detail as alliance admin",
        "alliance_admin",
        url("staff:application_detail", pk("application")),
        shows=None,
    ),
    Page("staff:prospects as alliance admin", "alliance_admin", url("staff:prospects")),
    Page("staff:invoices as alliance admin", "alliance_admin", url("staff:invoices")),
    Page(
        "staff:invoices as alliance admin, filtered",
        "alliance_admin",
        lambda world: reverse("staff:invoices") + "?kind=invoice&q=Groei&start=2020-01-01",
    ),
    Page(
        "staff:prospect_convert as alliance admin",
        "alliance_admin",
        url("staff:prospect_convert", pk("prospect")),
        shows=None,
    ),
    Page(
        "staff:member_person_erase as alliance admin",
        "alliance_admin",
        url("staff:member_person_erase", slug("company"), lambda world: world.person.pk),
        shows=None,
    ),
    # The audit trail grows with every write of the world: the newest page of it, and one row.
    Page("staff:audit as alliance admin", "alliance_admin", url("staff:audit"), shows=None),
    Page(
        "staff:audit as alliance admin, filtered",
        "alliance_admin",
        lambda world: reverse("staff:audit") + "?kind=events.Event&action=create&q=a",
        shows=None,
    ),
    Page(
        "staff:audit_detail as alliance admin",
        "alliance_admin",
        url("staff:audit_detail", lambda world: audit_slug(world.event)),
        shows=None,
    ),
    Page(
        "staff:partner_new as alliance admin",
        "alliance_admin",
        url("staff:partner_new"),
        shows=None,
    ),
    Page(
        "staff:partner_edit as alliance admin",
        "alliance_admin",
        url("staff:partner_edit", slug("partner")),
        shows=None,
    ),
    Page(
        "staff:partner_agreement_new as alliance admin",
        "alliance_admin",
        url("staff:partner_agreement_new", slug("partner")),
        shows=CHAMBERS,
    ),
    Page("staff:chambers as alliance admin", "alliance_admin", url("staff:chambers"), shows=None),
    Page(
        "staff:chamber_edit as alliance admin",
        "alliance_admin",
        url("staff:chamber_edit", slug("kempen")),
        shows=None,
    ),
    Page(
        "staff:centre_new as alliance admin", "alliance_admin", url("staff:centre_new"), shows=None
    ),
    Page(
        "staff:centre_edit as alliance admin",
        "alliance_admin",
        url("staff:centre_edit", slug("centre")),
        shows=None,
    ),
    Page(
        "staff:service_edit as alliance admin",
        "alliance_admin",
        url("staff:service_edit", slug("centre"), pk("service")),
        shows=None,
    ),
    Page(
        "staff:service_new as alliance admin",
        "alliance_admin",
        url("staff:service_new", slug("centre")),
        shows=None,
    ),
    Page(
        "staff:accreditation_cycles as alliance admin",
        "alliance_admin",
        url("staff:accreditation_cycles"),
    ),
    Page(
        "staff:accreditation_cycle_new as alliance admin",
        "alliance_admin",
        url("staff:accreditation_cycle_new"),
        shows=CHAMBERS,
    ),
    Page(
        "staff:accreditation_cycle as alliance admin",
        "alliance_admin",
        url("staff:accreditation_cycle", pk("cycle")),
    ),
    Page(
        "staff:accreditation_report as alliance admin",
        "alliance_admin",
        url("staff:accreditation_report", pk("cycle")),
        shows=None,
    ),
    Page("staff:figures as alliance admin", "alliance_admin", url("staff:figures")),
    Page("staff:ledger as alliance admin", "alliance_admin", url("staff:ledger"), shows=None),
    Page(
        "staff:figures as alliance admin, all years",
        "alliance_admin",
        url("staff:figures"),
        {"year": "all"},
    ),
]

API = [
    Page("api:me as partner", "partner", url("api:me"), shows=None),
    Page("api:chamber-list as partner", "partner", url("api:chamber-list"), shows=CHAMBERS),
    Page(
        "api:chamber-detail as partner",
        "partner",
        url("api:chamber-detail", slug("kempen")),
        shows=None,
    ),
    Page("api:alliance-list as partner", "partner", url("api:alliance-list"), shows=CHAMBERS),
    Page(
        "api:alliance-detail as partner",
        "partner",
        url("api:alliance-detail", slug("alliance")),
        shows=CHAMBERS,
    ),
    Page("api:partner-list as partner", "partner", url("api:partner-list")),
    Page(
        "api:partner-detail as partner",
        "partner",
        url("api:partner-detail", slug("partner")),
        shows=None,
    ),
    Page("api:call-list as partner", "partner", url("api:call-list")),
    Page("api:webhook-endpoint-list as partner", "partner", url("api:webhook-endpoint-list")),
    Page(
        "api:webhook-endpoint-detail as partner",
        "partner",
        url("api:webhook-endpoint-detail", pk("endpoint")),
        shows=CHAMBERS,
    ),
    Page("api:webhook-delivery-list as partner", "partner", url("api:webhook-delivery-list")),
    Page(
        "api:webhook-delivery-detail as partner",
        "partner",
        url("api:webhook-delivery-detail", pk("delivery")),
        shows=None,
    ),
    Page("api:competence-centre-list as partner", "partner", url("api:competence-centre-list")),
    Page(
        "api:competence-centre-detail as partner",
        "partner",
        url("api:competence-centre-detail", slug("centre")),
        shows=None,
    ),
    Page("api:service-list as partner", "partner", url("api:service-list")),
    Page(
        "api:service-detail as partner",
        "partner",
        url("api:service-detail", pk("service")),
        shows=None,
    ),
    Page("api:member-list as partner", "partner", url("api:member-list")),
    Page("api:member-detail as partner", "partner", url("api:member-detail", slug("company"))),
    Page("api:event-list as partner", "partner", url("api:event-list")),
    Page("api:event-detail as partner", "partner", url("api:event-detail", slug("event"))),
    Page(
        "api:event-registration-list as partner",
        "partner",
        url("api:event-registration-list", slug("event")),
    ),
    Page(
        "api:event-registration-detail as partner",
        "partner",
        url("api:event-registration-detail", slug("event"), pk("registration")),
        shows=None,
    ),
    Page("api:stats as partner", "partner", url("api:stats"), shows=CHAMBERS),
    Page(
        "api:mission_applications as partner",
        "partner",
        url("api:mission_applications"),
    ),
    Page(
        "api:ledger as partner",
        "partner",
        url("api:ledger"),
        {"start": "2026-01-01", "end": "2026-12-31"},
        shows=None,
    ),
]

PAGES = PUBLIC + ME + STAFF + API


def client_for(world: World, who: str):
    return {
        "visitor": Client,
        "member": world.member,
        "applicant": world.applicant_client,
        "alliance_admin": world.alliance_admin,
        "partner": world.partner_client,
    }[who]()


def marks(pattern: re.Pattern, response) -> set[str]:
    return set(pattern.findall(response.content.decode()))


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_the_query_count_does_not_grow_with_the_rows(world, page):
    client = client_for(world, page.who)

    def measure():
        return assert_request_query_count(
            page.name, client, page.url(world), page.data, headers=page.headers
        )

    world.grow(FEW)
    few = measure()
    world.grow(MORE)
    many = measure()
    if page.shows:
        # Otherwise two equal counts could mean that neither measurement saw the rows.
        shown = marks(page.shows, few), marks(page.shows, many)
        assert len(shown[1]) > len(shown[0]) > 0, shown


def test_every_read_url_of_the_project_has_a_page_here():
    """A new list or detail address gets its baseline: each of our URL names is measured here
    or listed in NOT_MEASURED (writes, downloads, plumbing)."""
    measured = {page.name.split(" ", 1)[0] for page in PAGES}
    ours = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name and pattern.callback.__module__.split(".")[0] in OUR_APPS:
                ours.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    assert ours - measured - NOT_MEASURED == set()
    assert measured - ours == set()
    assert NOT_MEASURED & measured == set()


OUR_APPS = {"alliance", "chambers", "competences", "members", "invoicing", "events"}
# Writes (POST only), downloads whose cost is a file's, and plumbing: not list or detail pages.
NOT_MEASURED = {
    "healthz",
    "readyz",  # probes: their queries are their checks (tests/test_health.py)
    "metrics",  # counters, plus the queue and failed-task gauges (tests/test_metrics.py)
    "mfa_activate_totp",  # allauth's set-up form, only its success recorded (alliance/security.py)
    "me:personal_data",  # a download behind re-authentication (tests/security/)
    "me:company_data",  # the same, for a company's admins
    "api:event-registration-cancel",
    "api:webhook-delivery-redeliver",
    "api:webhook-endpoint-rotate-secret",
    "events:register",
    "events:cancel",
    "events:substitute",
    "events:offer_accept",
    "events:offer_decline",
    "competences:ask",
    "me:calendar_renew",
    "me:calendar_revoke",
    "me:company_consent",
    "staff:event_duplicate",
    "staff:event_publish",
    "staff:event_capacity",
    "staff:event_guest",
    "staff:event_promote",
    "staff:registration_action",
    "staff:event_move",
    "staff:event_export",  # measured in tests/staff/test_exports.py
    "staff:event_export_progress",
    "staff:event_export_status",
    "staff:event_export_download",
    "staff:membership_renew",
    "staff:membership_lapse",
    "staff:membership_end",
    "staff:member_join_request",
    "staff:request_assign",
    "staff:request_reply",
    "staff:request_note",
    "staff:request_complete",
    "staff:request_decline",
    "staff:import_template",
    "staff:import_job",
    "staff:import_write",
    "staff:import_errors",
    "staff:partner_key_create",
    "staff:partner_key_rotate",
    "staff:partner_key_revoke",
    "staff:member_person_role",
    "staff:team_add",
    "staff:team_change",
    "staff:team_remove",
    "staff:application_approve",
    "staff:application_decline",
    "staff:partner_agreement_edit",  # the form of staff:partner_agreement_new, for one row
    "staff:partner_agreement_end",
    "staff:event_quota",  # shown on staff:event_detail, measured there
    "staff:event_quota_remove",
    "staff:event_allocation",  # shown on staff:event_detail, measured there
    "staff:event_allocation_remove",
    "staff:event_pooling",
    "staff:event_mission_decide",  # a POST from staff:event_missions, measured there
    "staff:member_consent",  # a POST; its form is on staff:member_detail, measured there
    "staff:accreditation_answer",
    "staff:accreditation_review",
    "staff:accreditation_evidence",  # a file download: its cost is the file's
    "staff:accreditation_evidence_remove",
    "staff:accreditation_submit",
    "staff:accreditation_more_evidence",
    "staff:accreditation_decide",
    "payments:webhook",  # the provider's POST; tests/invoicing/payments/
    "staff:bank_transaction_handle",  # a POST from staff:bank_transactions
    # A document's PDF or UBL, and the period's exports: downloads whose cost is the files'
    # (one query for the documents with their lines: tests/invoicing/test_pages.py).
    "me:invoice_pdf",
    "me:invoice_ubl",
    "staff:invoice_pdf",
    "staff:invoice_ubl",
    "staff:invoice_export_csv",
    "staff:invoice_export_ubl",
    "staff:invoice_credit",  # a POST from the list, measured there
}


# --- the file and the helper ----------------------------------------------------------------------


def test_every_baseline_belongs_to_a_measurement():
    """A baseline whose measurement was renamed or removed goes too: every name in the file is
    spelled out in a test (names are literals, so that grep finds a page's baseline)."""
    baselines = json.loads(query_counts.BASELINES.read_text())
    sources = "\n".join(path.read_text() for path in Path(__file__).parent.rglob("*.py"))
    assert [name for name in baselines if f'"{name}"' not in sources] == []
    assert list(baselines) == sorted(baselines)


@pytest.fixture
def scratch_baselines(tmp_path, monkeypatch):
    """The helper reading and writing a file of this test's own, from a clean slate."""
    path = tmp_path / "query_counts.json"
    monkeypatch.setattr(query_counts, "BASELINES", path)
    monkeypatch.setattr(query_counts, "_baselines", None)
    monkeypatch.setattr(query_counts, "_measured", {})
    monkeypatch.delenv(query_counts.UPDATE_VARIABLE, raising=False)
    return path


def run(count: int) -> None:
    with connection.cursor() as cursor:
        for number in range(1, count + 1):
            cursor.execute(f"SELECT {number}")


def measured(name: str, count: int) -> None:
    with assert_query_count(name):
        run(count)


def test_a_missing_baseline_fails_and_says_how_to_record_it(scratch_baselines):
    scratch_baselines.write_text("{}\n")
    with pytest.raises(pytest.fail.Exception, match="UPDATE_QUERY_COUNTS=1"):
        measured("nieuw", 2)


def test_another_count_fails_and_lists_the_queries(scratch_baselines):
    scratch_baselines.write_text('{"twee": 3}\n')
    with pytest.raises(pytest.fail.Exception) as failure:
        measured("twee", 2)
    message = str(failure.value)
    assert "2 queries, the baseline is 3" in message
    assert "1. SELECT 1" in message and "2. SELECT 2   [same shape as 1]" in message


def test_the_same_count_passes(scratch_baselines):
    scratch_baselines.write_text('{"twee": 2}\n')
    measured("twee", 2)


def test_updating_writes_sorted_entries_and_refuses_a_count_that_grows(
    scratch_baselines, monkeypatch
):
    monkeypatch.setenv(query_counts.UPDATE_VARIABLE, "1")
    scratch_baselines.write_text('{"b": 7, "twee": 9}\n')
    measured("twee", 2)
    measured("a", 0)
    assert scratch_baselines.read_text() == '{\n  "a": 0,\n  "b": 7,\n  "twee": 2\n}\n'
    with pytest.raises(pytest.fail.Exception, match="3 queries now, 2 before"):
        measured("twee", 3)
    assert json.loads(scratch_baselines.read_text())["twee"] == 2

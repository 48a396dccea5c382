"""No back-office e-mail or page sends staff to the Django admin (issue 12): only superusers may
open it, and everything staff do has a /staff/ page.

Every e-mail template is read (a link to the admin in any of them fails), the e-mails that go to
staff are sent for real through their services and read as sent, and every /staff/ page a chamber
admin and an alliance admin reach by following links from /staff/, over the demo's data, is read.
"""

import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from chambers import services as chamber_services
from chambers.models import Chamber, StaffRole
from members import services as member_services
from members.models import Company
from members.service_requests import service_request_create
from tests.factories import UserFactory, give_second_factor, staff_user
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

ADMIN = re.compile(r"""/admin(/|\b)|\{%\s*url\s+['"]admin:""")
EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
# Pages the crawl reads at most per user: the demo's lists are paginated, so this covers every
# kind of page without reading every row.
PAGES_PER_USER = 250


class Links(HTMLParser):
    """The links (`href`) and form targets (`action`) of a page."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.actions = [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "href" and value:
                self.hrefs.append(value)
            elif name == "action" and value:
                self.actions.append(value)


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def test_no_email_template_links_to_the_admin():
    templates = sorted(EMAILS.glob("*"))
    assert len(templates) > 20  # the directory is where we think it is
    linking = [path.name for path in templates if ADMIN.search(path.read_text())]
    assert linking == []


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_emails_staff_get_link_to_the_back_office_not_the_admin(
    chamber_admin, this_chamber, centre, company, person, committed
):
    staff_address = chamber_admin.email
    with committed():
        chamber_services.staff_role_grant(
            chamber=this_chamber,
            email="an.peeters@kempen.example",
            role=StaffRole.Role.EVENT_MANAGER,
            actor=chamber_admin,
        )
    with committed():
        chamber_services.staff_role_revoke(
            staff_role=StaffRole.objects.get(user__email="an.peeters@kempen.example"),
            actor=chamber_admin,
        )
    with committed():
        service_request_create(
            person=person, centre=centre, service=None, message="Kunnen jullie ons helpen?"
        )
    with committed():
        member_services.join_request_create(
            user=UserFactory(),
            enterprise_number=company.enterprise_number,
            first_name="Nina",
            last_name="Wouters",
        )

    to_staff = [
        message
        for message in mail.outbox
        if {"an.peeters@kempen.example", staff_address} & set(message.to)
        or any(StaffRole.objects.filter(user__email=address).exists() for address in message.to)
    ]
    subjects = {message.subject for message in to_staff}
    assert len(to_staff) >= 3, subjects  # granted, revoked, the new request
    for message in to_staff:
        bodies = [message.body, *(content for content, _type in message.alternatives)]
        assert not any(ADMIN.search(body) for body in bodies), message.subject
    new_request = next(
        m for m in to_staff if staff_address in m.to and "/staff/requests/" in m.body
    )
    assert new_request


@pytest.fixture
def demo(db):
    call_command(
        "seed_demo",
        "--companies=12",
        "--events=6",
        "--today=2026-05-04",
        "--public-demo",
        stdout=StringIO(),
        stderr=StringIO(),
    )


def crawl(user) -> dict[str, list[str]]:
    """Every /staff/ page reached from /staff/ by links, with the admin links found on each."""
    client = client_for(user)
    seen, queue, found = set(), deque([reverse("staff:dashboard")]), {}
    while queue and len(seen) < PAGES_PER_USER:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = links(response.content.decode())
        found[url] = [href for href in [*page.hrefs, *page.actions] if ADMIN.search(href)]
        # Only links are followed: a form's target is a POST.
        for href in page.hrefs:
            target = urlsplit(urljoin(url, href))
            if target.netloc or not target.path.startswith("/staff/"):
                continue
            # Downloads and exports are files, not pages.
            if target.path.endswith((".csv", ".xlsx", "/download/")):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


def test_no_staff_page_links_to_the_admin_for_a_chamber_admin_or_an_alliance_admin(demo):
    # The demo's staff are event managers and an alliance admin; Kempen's chamber admin joins.
    chamber_admin = staff_user(StaffRole.Role.CHAMBER_ADMIN, Chamber.objects.get(slug="kempen"))
    # The demo's alliance admin is a superuser too; an alliance admin who is none sees the same.
    demo_admin = (
        StaffRole.objects.filter(role=StaffRole.Role.ALLIANCE_ADMIN).select_related("user").first()
    ).user
    give_second_factor(demo_admin)
    alliance_admin = staff_user(StaffRole.Role.ALLIANCE_ADMIN)
    assert Company.objects.exists() and demo_admin.is_superuser
    for user in (chamber_admin, alliance_admin, demo_admin):
        pages = crawl(user)
        # The crawl reached the back-office's sections, not only the dashboard.
        for section in ("events", "members", "requests", "partners", "team", "chambers"):
            assert any(url.startswith(f"/staff/{section}/") for url in pages), section
        assert {url: links for url, links in pages.items() if links} == {}

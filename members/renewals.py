"""Membership renewal reminders, 30 days before a membership's valid_until.

A periodic task (members.send_renewal_reminders, every morning) finds the memberships due and
e-mails the company's admins in their language, once per membership period (the message key).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from alliance.base import mail
from members.models import Membership, Person

NOTICE = datetime.timedelta(days=30)
# A reminder missed (the beat was down) is still sent during this week, not later: by then the
# chamber has usually been in touch itself.
CATCH_UP = datetime.timedelta(days=7)


def renewal_key(membership: Membership, language: str) -> str:
    return f"membership_renewal:{membership.pk}:{membership.valid_until.isoformat()}:{language}"


def memberships_due(today: datetime.date):
    """Active memberships ending 30 days from `today` (or up to a week less), not yet renewed."""
    renewed = Membership.objects.filter(
        company=OuterRef("company"),
        valid_from__gt=OuterRef("valid_from"),
        status__in=[Membership.Status.PENDING, Membership.Status.ACTIVE],
    )
    return (
        Membership.objects.filter(
            status=Membership.Status.ACTIVE,
            valid_until__gte=today + NOTICE - CATCH_UP,
            valid_until__lte=today + NOTICE,
        )
        .exclude(Exists(renewed))
        .select_related("company", "chamber")
        .order_by("pk")
    )


def send_renewal_reminders(*, today: datetime.date | None = None) -> int:
    """Enqueue one reminder per due membership and admin language; returns how many.

    The company's admins receive it (they manage the membership); a company without admins
    has nobody on the portal to tell, and its chamber knows its members anyway.
    """
    today = today or timezone.localdate()
    memberships = list(memberships_due(today))
    admins = defaultdict(lambda: defaultdict(list))
    people = Person.objects.filter(
        company__in=[membership.company_id for membership in memberships],
        role=Person.Role.ADMIN,
    ).exclude(email="")
    for company_id, email, language in people.values_list(
        "company_id", "email", "preferred_language"
    ):
        admins[company_id][language].append(email)
    todo = [
        (membership, language, recipients, renewal_key(membership, language))
        for membership in memberships
        for language, recipients in admins[membership.company_id].items()
    ]
    sent = mail.keys_known(key for *_, key in todo)
    messages = [
        {
            "name": "membership_renewal_reminder",
            "to": recipients,
            "language": language,
            "key": key,
            "context": {
                "membership": membership,
                "company": membership.company,
                "chamber": membership.chamber,
                "company_url": mail.absolute_url(reverse("me:company")),
            },
        }
        for membership, language, recipients, key in todo
        if key not in sent
    ]
    with transaction.atomic():
        mail.send_all_on_commit(messages)
    return len(messages)

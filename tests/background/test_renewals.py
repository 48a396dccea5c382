"""Membership renewal reminders: 30 days before valid_until, to the company's admins, once."""

import datetime

import pytest
from django.core import mail

from members.models import Membership, Person
from members.renewals import send_renewal_reminders
from members.tasks import send_renewal_reminders as renewal_task
from tests.factories import CompanyFactory, MembershipFactory, PersonFactory
from tests.query_counts import assert_query_count

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def ending_in(days: int, chamber, **company) -> Membership:
    return MembershipFactory(
        company=CompanyFactory(**company),
        chamber=chamber,
        valid_from=TODAY - datetime.timedelta(days=365 - days),
        valid_until=TODAY + datetime.timedelta(days=days),
    )


def admin_of(membership, email, language="nl") -> Person:
    return PersonFactory(
        company=membership.company, role=Person.Role.ADMIN, email=email, preferred_language=language
    )


def run(today, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return send_renewal_reminders(today=today)


def test_admins_hear_thirty_days_before_the_end_in_their_language_once(
    mechelen, django_capture_on_commit_callbacks
):
    membership = ending_in(30, mechelen, name="Brouwerij Het Anker NV")
    admin_of(membership, "els@anker.be")
    admin_of(membership, "jan@anker.be")
    admin_of(membership, "claire@anker.be", language="fr")
    PersonFactory(company=membership.company, email="medewerker@anker.be")

    assert run(TODAY, django_capture_on_commit_callbacks) == 2
    by_language = {tuple(sorted(message.to)): message for message in mail.outbox}
    dutch = by_language[("els@anker.be", "jan@anker.be")]
    assert dutch.subject == "Je lidmaatschap bij Mechelen loopt af op 23 december 2026"
    assert "Brouwerij Het Anker NV" in dutch.body and "/me/company/" in dutch.body
    french = by_language[("claire@anker.be",)]
    assert "décembre 2026" in french.subject
    # Tomorrow's run (and a second run today) sends nothing again.
    assert run(TODAY, django_capture_on_commit_callbacks) == 0
    assert run(TODAY + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "days, reminded", [(31, False), (30, True), (23, True), (22, False), (5, False)]
)
def test_the_reminder_window_is_thirty_days_with_a_week_to_catch_up(
    mechelen, days, reminded, django_capture_on_commit_callbacks
):
    admin_of(ending_in(days, mechelen), "els@anker.be")
    assert run(TODAY, django_capture_on_commit_callbacks) == int(reminded)


def test_renewed_lapsed_and_admin_less_memberships_are_left_alone(
    mechelen, django_capture_on_commit_callbacks
):
    renewed = ending_in(30, mechelen)
    admin_of(renewed, "renewed@example.be")
    MembershipFactory(
        company=renewed.company,
        chamber=mechelen,
        status=Membership.Status.PENDING,
        valid_from=renewed.valid_until + datetime.timedelta(days=1),
        valid_until=renewed.valid_until + datetime.timedelta(days=366),
    )
    lapsed = ending_in(30, mechelen)
    Membership.objects.filter(pk=lapsed.pk).update(status=Membership.Status.LAPSED)
    admin_of(lapsed, "lapsed@example.be")
    nobody = ending_in(30, mechelen)
    PersonFactory(company=nobody.company, email="employee@example.be")

    assert run(TODAY, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_scan_takes_the_same_queries_for_few_or_many_companies(
    mechelen, django_capture_on_commit_callbacks
):
    def scan(companies: int, today) -> None:
        for n in range(companies):
            membership = ending_in(30, mechelen)
            Membership.objects.filter(pk=membership.pk).update(
                valid_until=today + datetime.timedelta(days=30)
            )
            admin_of(membership, f"admin{companies}-{n}@example.be")
        with (
            assert_query_count("members.renewals.send_renewal_reminders"),
            django_capture_on_commit_callbacks(execute=False) as enqueued,
        ):
            sent = send_renewal_reminders(today=today)
        assert sent == len(enqueued) == companies

    scan(3, TODAY)
    scan(15, TODAY + datetime.timedelta(days=60))


def test_the_periodic_task_uses_today(mechelen, django_capture_on_commit_callbacks):
    from django.utils import timezone

    membership = ending_in(30, mechelen)
    Membership.objects.filter(pk=membership.pk).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=30)
    )
    admin_of(membership, "els@anker.be")
    with django_capture_on_commit_callbacks(execute=True):
        assert renewal_task.delay().get() == 1
    assert mail.outbox[0].to == ["els@anker.be"]

"""Writes for joining a company and for the member's own pages (/me/).

Every function is keyword-only, runs in one transaction and sends its e-mails after the commit
(alliance.base.mail.send_on_commit), so that a refused or rolled-back change tells nobody.
Rules a user can break raise DomainError with a message for them.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliance.base import audit, mail
from alliance.base.models import DomainError, OutboxMessage, SentMessage
from chambers import roles
from chambers.models import Chamber, WebhookDelivery
from members import identifiers, permissions
from members.models import (
    Company,
    ConsentRecord,
    JoinRequest,
    Membership,
    MembershipApplication,
    Person,
    Prospect,
    Sector,
    ServiceRequest,
    ServiceRequestMessage,
)
from members.selectors import current_membership

# What a company admin may change on the profile; name and enterprise number stay with the chamber.
PROFILE_FIELDS = (
    "description",
    "website",
    "street",
    "postcode",
    "municipality",
    "legal_form",
    "size_class",
    "is_family_business",
    "founded_year",
    "export_countries",
    "languages",
)


def _home_chamber(company: Company):
    """The current home chamber, else the chamber of the latest membership (None if never one)."""
    membership = current_membership(company)
    if membership is None:
        membership = (
            Membership.objects.filter(company=company)
            .select_related("chamber")
            .order_by("-valid_from")
            .first()
        )
    return membership.chamber if membership else None


def _refuse_unless_manager(actor, company: Company) -> None:
    if not permissions.can_manage_company(actor, company):
        raise DomainError(_("Je mag deze onderneming niet beheren."), code="not_company_manager")


# --- joining a company -------------------------------------------------------------------------


def join_request_create(
    *,
    user,
    enterprise_number: str,
    first_name: str,
    last_name: str,
    country: str = "BE",
    job_title: str = "",
    message: str = "",
) -> JoinRequest:
    """A signed-up user asks to act for the company with this number: `enterprise_number` is
    the number they typed, read for a company of `country` (a Belgian enterprise number, a
    Dutch KvK number, another registration number or an EU VAT number: members/identifiers).

    The company's admins hear of it; a company without admins is looked after by the chamber
    admins of its home chamber. One pending request per user (a database constraint).
    """
    try:
        identifier = identifiers.parse(enterprise_number, country)
    except ValidationError as error:
        raise DomainError(error.messages[0], code="enterprise_number_invalid") from error
    with transaction.atomic():
        if Person.objects.filter(user=user).exists():
            raise DomainError(
                _("Je hoort al bij een onderneming; een nieuwe aanvraag is niet nodig."),
                code="already_a_person",
            )
        company = Company.objects.filter(identifier.lookup()).first()
        if company is None:
            raise DomainError(
                _(
                    "We vinden geen onderneming met %(number)s. Kijk het nummer en het land na, "
                    "of vraag je kamer om je onderneming toe te voegen."
                )
                % {"number": identifiers.described(identifier)},
                code="unknown_company",
            )
        try:
            # A savepoint, so that the constraint (not a check that races) has the last word.
            with transaction.atomic():
                join_request = JoinRequest.objects.create(
                    user=user,
                    company=company,
                    first_name=first_name.strip(),
                    last_name=last_name.strip(),
                    job_title=job_title.strip(),
                    message=message.strip(),
                )
        except IntegrityError as error:
            if "one_pending_join_request" not in str(error):
                raise
            raise DomainError(
                _("Je hebt al een aanvraag die op goedkeuring wacht."),
                code="join_request_pending",
            ) from error
        _notify_deciders(join_request)
    return join_request


def _notify_deciders(join_request: JoinRequest) -> None:
    company = join_request.company
    context = {
        "join_request": join_request,
        "company": company,
        "requester_email": join_request.user.email,
        "decide_url": mail.absolute_url(reverse("me:join_request", args=[join_request.pk])),
    }
    admins = company.people.filter(role=Person.Role.ADMIN).exclude(email="")
    by_language = defaultdict(list)
    for email, language in admins.values_list("email", "preferred_language"):
        by_language[language].append(email)
    if not by_language:
        chamber = _home_chamber(company)
        if chamber is not None:
            staff = roles.staff_users_of(chamber, roles=roles.MEMBER_ROLES).exclude(email="")
            # Staff accounts carry no language of their own: the portal's first language.
            by_language[settings.LANGUAGE_CODE] = list(staff.values_list("email", flat=True))
    for language, recipients in by_language.items():
        mail.send_on_commit(
            "join_request_received", to=recipients, language=language, context=context
        )


def _lock_pending(join_request: JoinRequest, actor) -> JoinRequest:
    join_request = (
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("company", "user")
        .get(pk=join_request.pk)
    )
    if not permissions.can_decide_join_request(actor, join_request):
        raise DomainError(
            _("Je mag niet beslissen over deze aanvraag."), code="not_join_request_decider"
        )
    if join_request.status != JoinRequest.Status.PENDING:
        raise DomainError(_("Over deze aanvraag is al beslist."), code="already_decided")
    return join_request


def _decide(join_request: JoinRequest, actor, status: str) -> None:
    join_request.status = status
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])


def join_request_approve(*, join_request: JoinRequest, actor) -> Person:
    """Confirm that the requester works at the company: they get a Person (employee) there,
    or its admin when nobody with an account is one yet (a company is never without someone who
    can edit its profile and confirm colleagues).

    When the company already lists someone with the requester's (verified) e-mail address and
    no account, that row is linked instead of a second one being made.
    """
    with transaction.atomic():
        join_request = _lock_pending(join_request, actor)
        user, company = join_request.user, join_request.company
        # Locked so that two approvals at once cannot both make the first admin.
        Company.objects.select_for_update().get(pk=company.pk)
        first = not company.people.filter(role=Person.Role.ADMIN, user__isnull=False).exists()
        if Person.objects.filter(user=user).exists():
            raise DomainError(
                _("Deze gebruiker hoort al bij een onderneming."), code="already_a_person"
            )
        person = (
            company.people.select_for_update().filter(email__iexact=user.email).first()
            if user.email
            else None
        )
        if person is not None:
            if person.user_id is not None:
                raise DomainError(
                    _("Iemand anders gebruikt dit e-mailadres al bij deze onderneming."),
                    code="email_taken",
                )
            person.user = user
            person.job_title = person.job_title or join_request.job_title
            if first:
                person.role = Person.Role.ADMIN
            person.save(update_fields=["user", "job_title", "role", "updated_at"])
        else:
            person = Person.objects.create(
                user=user,
                company=company,
                role=Person.Role.ADMIN if first else Person.Role.EMPLOYEE,
                first_name=join_request.first_name,
                last_name=join_request.last_name,
                job_title=join_request.job_title,
                email=user.email,
            )
        _decide(join_request, actor, JoinRequest.Status.APPROVED)
        mail.send_on_commit(
            "join_request_approved",
            to=[user.email],
            language=person.preferred_language,
            context={
                "join_request": join_request,
                "company": company,
                "person": person,
                "me_url": mail.absolute_url(reverse("me:home")),
            },
        )
    return person


def join_request_reject(*, join_request: JoinRequest, actor) -> JoinRequest:
    """Refuse a request to join; the requester may ask again (for this or another company)."""
    with transaction.atomic():
        join_request = _lock_pending(join_request, actor)
        _decide(join_request, actor, JoinRequest.Status.REJECTED)
        mail.send_on_commit(
            "join_request_rejected",
            to=[join_request.user.email],
            # No Person yet, so no preferred language: the portal's first language.
            language=settings.LANGUAGE_CODE,
            context={
                "join_request": join_request,
                "company": join_request.company,
                "me_url": mail.absolute_url(reverse("me:home")),
            },
        )
    return join_request


# --- the company's profile, consent and people ---------------------------------------------------


def company_profile_update(
    *, company: Company, actor, data: dict, sectors: Iterable[Sector] | None = None
) -> Company:
    """Change the public profile; only PROFILE_FIELDS are taken from `data`."""
    with transaction.atomic():
        _refuse_unless_manager(actor, company)
        company = Company.objects.select_for_update().get(pk=company.pk)
        changed = [field for field in PROFILE_FIELDS if field in data]
        for field in changed:
            setattr(company, field, data[field])
        company.save(update_fields=[*changed, "updated_at"])
        if sectors is not None:
            company.sectors.set(sectors)
    return company


def company_consent_update(
    *,
    company: Company,
    actor,
    directory_consent: bool,
    partner_consent: bool | None = None,
    source: str = ConsentRecord.Source.PORTAL,
    given_by: str = "",
    given_on: datetime.date | None = None,
) -> Company:
    """Give or withdraw the company's consents: the directory listing and, when
    `partner_consent` is not None, the profile for the alliance's partners (their API).

    Each change is a ConsentRecord (who, when, what was agreed to), written in the same
    transaction; a withdrawal takes effect at once, the API no longer shows the company.
    Staff recording a consent on the company's behalf say who gave it and how (`given_by`,
    "telefonisch, van An Peeters") and on which day (`given_on`, not in the future).
    """
    moment = _consent_moment(given_on)
    with transaction.atomic():
        _refuse_unless_manager(actor, company)
        company = Company.objects.select_for_update().get(pk=company.pk)
        records = []
        if directory_consent != company.directory_consent:
            company.directory_consent = directory_consent
            company.directory_consent_at = moment if directory_consent else None
            records.append(
                ConsentRecord(purpose=ConsentRecord.Purpose.DIRECTORY, given=directory_consent)
            )
        if partner_consent is not None and partner_consent != company.partner_consent:
            if partner_consent:
                company.give_partner_consent()
            else:
                company.withdraw_partner_consent()
            company.partner_consent_at = moment
            records.append(
                ConsentRecord(
                    purpose=ConsentRecord.Purpose.PARTNERS,
                    given=partner_consent,
                    text=company.partner_consent_purpose,
                )
            )
        if not records:
            return company
        company.save(
            update_fields=[
                "directory_consent",
                "directory_consent_at",
                "partner_consent",
                "partner_consent_at",
                "partner_consent_purpose",
                "updated_at",
            ]
        )
        for record in records:
            record.company, record.recorded_by, record.source = company, actor, source
            record.recorded_at = moment
            if given_by.strip():
                record.text = ConsentRecord.with_given_by(record.text, given_by.strip())
        ConsentRecord.objects.bulk_create(records)
    return company


def _consent_moment(given_on: datetime.date | None) -> datetime.datetime:
    """Now, or noon of the day staff say the consent was given (a day not yet come is refused)."""
    now = timezone.now()
    if given_on is None or given_on == timezone.localdate(now):
        return now
    if given_on > timezone.localdate(now):
        raise DomainError(
            _("Die dag is nog niet gekomen."), code="consent_in_future", field="given_on"
        )
    return timezone.make_aware(datetime.datetime.combine(given_on, datetime.time(12)))


def person_update(*, person: Person, actor, job_title: str, role: str, phone: str) -> Person:
    """A company admin changes a colleague's job title, role or phone.

    A company that has an admin keeps at least one: the company row is locked, so that two
    admins demoting each other at the same moment cannot both succeed.
    """
    with transaction.atomic():
        person = _lock_for_role_change(person, actor, role)
        person.job_title = job_title.strip()
        person.role = role
        person.phone = phone.strip()
        person.save(update_fields=["job_title", "role", "phone", "updated_at"])
    return person


def _lock_for_role_change(person: Person, actor, role: str) -> Person:
    """Lock the company, then the person. A company that has an admin keeps at least one: the
    company row is locked, so that two admins demoting each other at once cannot both succeed."""
    _refuse_unless_manager(actor, person.company)
    Company.objects.select_for_update().get(pk=person.company_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.role == Person.Role.ADMIN and role != Person.Role.ADMIN:
        others = Person.objects.filter(company_id=person.company_id, role=Person.Role.ADMIN)
        if not others.exclude(pk=person.pk).exists():
            raise DomainError(
                _("Een onderneming heeft minstens één beheerder nodig."),
                code="last_company_admin",
                field="role",
            )
    return person


def person_role_set(*, person: Person, role: str, actor) -> Person:
    """Appoint a company admin or make one an employee again: the company's admins and the
    staff who manage the company (its home chamber's chamber admins, alliance admins)."""
    if role not in Person.Role.values:
        raise DomainError(_("Onbekende rol."), code="unknown_role", field="role")
    with transaction.atomic():
        person = _lock_for_role_change(person, actor, role)
        if person.role != role:
            person.role = role
            person.save(update_fields=["role", "updated_at"])
    return person


def invited_admin_link(*, user, email: str) -> Person | None:
    """When `user` confirms `email`: the company admin that staff named with that address and
    no account yet becomes theirs (the confirmation proves the address staff gave); so does a
    colleague a company admin booked for an event and invited (Person.invited_at)."""
    with transaction.atomic():
        if Person.objects.filter(user=user).exists():
            return None
        invited = list(
            Person.objects.select_for_update()
            .filter(
                Q(role=Person.Role.ADMIN) | Q(invited_at__isnull=False),
                user__isnull=True,
                email__iexact=email,
            )
            .order_by("pk")[:2]
        )
        if len(invited) != 1:
            # None, or the same address named at two companies: a join request decides.
            return None
        person = invited[0]
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    return person


# --- the member's own settings -------------------------------------------------------------------


def interests_update(*, person: Person, centres: Iterable, sectors: Iterable[Sector]) -> Person:
    """The competence centres and sectors a person wants to hear about."""
    with transaction.atomic():
        person.interest_centres.set(centres)
        person.interest_sectors.set(sectors)
    return person


def calendar_token_renew(*, person: Person) -> str:
    """A new secret for the personal calendar feed, returned to be shown this once (only its
    hash is stored); the previous link stops working at once."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        token = person.renew_calendar_token()
        person.save(update_fields=["calendar_token_hash", "updated_at"])
    return token


def calendar_token_revoke(*, person: Person) -> None:
    """Switch the personal calendar feed off: no link works until a new one is made."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        person.calendar_token_hash = None
        person.save(update_fields=["calendar_token_hash", "updated_at"])


# --- memberships, by the home chamber's staff (the back-office) ----------------------------------
#
# A company has at most one active membership (the database constraint one_active_membership).
# Periods follow each other: a renewal is a new row starting the day after the previous period
# ends. Made before that day, the renewal waits as "pending" and membership_roll_over activates it
# when its period starts, so that the company keeps member terms without a gap.


def _constraint_message(constraint: str) -> str | None:
    """What a membership constraint means for the person who tried (None: not ours)."""
    if constraint == "one_active_membership":
        return _(
            "Deze onderneming heeft al een actief lidmaatschap. Beëindig het of laat het vervallen "
            "voor je een nieuw begint."
        )
    if constraint == "membership_period_once":
        return _("Er is al een lidmaatschap bij deze kamer met dezelfde begindatum.")
    if constraint == "membership_until_after_from":
        return _("De einddatum moet na de begindatum liggen.")
    if constraint == "membership_fee_not_negative":
        return _("De jaarbijdrage kan niet negatief zijn.")
    return None


MEMBERSHIP_CONSTRAINTS = (
    "one_active_membership",
    "membership_period_once",
    "membership_until_after_from",
    "membership_fee_not_negative",
)


def one_year_from(start: datetime.date) -> datetime.date:
    """The last day of a one-year period starting on `start` (1 Jan → 31 Dec)."""
    try:
        return start.replace(year=start.year + 1) - datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


def membership_start_status(
    *, valid_from: datetime.date, valid_until: datetime.date, today: datetime.date | None = None
) -> str:
    """The status a new membership period starts in: active once it has begun, pending while it
    lies ahead. A period that is already over is refused: it makes no one a member.

    The one rule for every new period: the back-office's forms (membership_create) and the
    import (members/imports.py) ask it.
    """
    today = today or timezone.localdate()
    if valid_until < today:
        raise DomainError(
            _("Deze periode is al voorbij. Kies een periode die nog loopt of nog komt."),
            code="period_over",
            field="valid_until",
        )
    return Membership.Status.ACTIVE if valid_from <= today else Membership.Status.PENDING


def _refuse_unless_member_staff(actor, chamber_id: int) -> None:
    if not permissions.can_manage_memberships_at(actor, chamber_id):
        raise DomainError(
            _("Je mag de lidmaatschappen van deze kamer niet beheren."), code="not_member_staff"
        )


def _save_membership(membership: Membership, **save_kwargs) -> Membership:
    """Save in a savepoint, so that the constraints (not a check that races) have the last word."""
    try:
        with transaction.atomic():
            membership.save(**save_kwargs)
    except IntegrityError as error:
        for constraint in MEMBERSHIP_CONSTRAINTS:
            if constraint in str(error):
                raise DomainError(_constraint_message(constraint), code=constraint) from error
        raise
    return membership


def _lock_membership(membership: Membership) -> Membership:
    # The company first, then the row: every membership write takes the locks in this order.
    Company.objects.select_for_update().only("pk").get(pk=membership.company_id)
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("company", "chamber")
        .get(pk=membership.pk)
    )


def _is_followed(membership: Membership) -> bool:
    return (
        Membership.objects.with_followed()
        .values_list("is_followed", flat=True)
        .get(pk=membership.pk)
    )


def _refuse_if_followed(membership: Membership) -> None:
    if _is_followed(membership):
        raise DomainError(
            _("Er volgt al een latere periode op dit lidmaatschap; beëindig die eerst."),
            code="membership_followed",
        )


def membership_create(
    *,
    company: Company,
    chamber,
    actor,
    tier: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    annual_fee: Decimal,
) -> Membership:
    """A new membership of `company` at `chamber`: active once its period has started, pending
    while it lies ahead. Refused while the company is an active member (of any chamber)."""
    with transaction.atomic():
        _refuse_unless_member_staff(actor, chamber.pk)
        status = membership_start_status(valid_from=valid_from, valid_until=valid_until)
        Company.objects.select_for_update().only("pk").get(pk=company.pk)
        membership = Membership(
            company=company,
            chamber=chamber,
            tier=tier,
            valid_from=valid_from,
            valid_until=valid_until,
            annual_fee=annual_fee,
            status=status,
        )
        _save_membership(membership)
    return membership


def membership_renew(
    *,
    membership: Membership,
    actor,
    tier: str | None = None,
    annual_fee: Decimal | None = None,
) -> Membership:
    """The next one-year period, starting the day after `membership` ends.

    Renewed in advance, the new period waits as pending and the current one stays active until
    its last day. Renewed late (the period is over), the old period is closed (ended) and the new
    one is active at once. Only the latest period, active or lapsed, is renewed.
    """
    today = timezone.localdate()
    with transaction.atomic():
        _refuse_unless_member_staff(actor, membership.chamber_id)
        membership = _lock_membership(membership)
        if not membership.may_renew(followed=False):
            raise DomainError(
                _("Alleen een actief of vervallen lidmaatschap kan verlengd worden."),
                code="not_renewable",
            )
        _refuse_if_followed(membership)
        starts = membership.valid_until + datetime.timedelta(days=1)
        ends = one_year_from(starts)
        if ends < today:
            raise DomainError(
                _("Dit lidmaatschap is meer dan een jaar voorbij: begin een nieuw lidmaatschap."),
                code="too_late_to_renew",
            )
        renewal = Membership(
            company=membership.company,
            chamber=membership.chamber,
            tier=tier or membership.tier,
            annual_fee=membership.annual_fee if annual_fee is None else annual_fee,
            valid_from=starts,
            valid_until=ends,
            status=Membership.Status.PENDING,
        )
        if starts <= today:
            # The old period is over: close it before the new one becomes the active one.
            membership.status = Membership.Status.ENDED
            membership.save(update_fields=["status", "updated_at"])
            renewal.status = Membership.Status.ACTIVE
        _save_membership(renewal)
    return renewal


def membership_lapse(*, membership: Membership, actor) -> Membership:
    """The company did not renew (or pay): the active membership lapses, member terms stop."""
    with transaction.atomic():
        _refuse_unless_member_staff(actor, membership.chamber_id)
        membership = _lock_membership(membership)
        if not membership.may_lapse(followed=False):
            raise DomainError(_("Alleen een actief lidmaatschap kan vervallen."), code="not_active")
        _refuse_if_followed(membership)
        membership.status = Membership.Status.LAPSED
        membership.save(update_fields=["status", "updated_at"])
    return membership


def membership_end(*, membership: Membership, actor) -> Membership:
    """End a membership for good (the company leaves, or a pending period is called off)."""
    with transaction.atomic():
        _refuse_unless_member_staff(actor, membership.chamber_id)
        membership = _lock_membership(membership)
        if not membership.may_end(followed=False):
            raise DomainError(_("Dit lidmaatschap is al beëindigd."), code="already_ended")
        _refuse_if_followed(membership)
        membership.status = Membership.Status.ENDED
        membership.save(update_fields=["status", "updated_at"])
    return membership


def membership_roll_over(*, on: datetime.date | None = None) -> int:
    """Activate the pending periods that have started; returns how many.

    A renewal made in advance waits as pending (see membership_renew): on its first day the
    previous period, now over, is closed and the new one becomes active. A pending period of a
    company that is still an active member elsewhere, in a period that has not ended, waits.
    Idempotent: run daily (members.roll_over_memberships).
    """
    on = on or timezone.localdate()
    due = Membership.objects.filter(status=Membership.Status.PENDING, valid_from__lte=on)
    activated = 0
    for pending_id, company_id in due.order_by("valid_from", "pk").values_list("pk", "company_id"):
        with transaction.atomic():
            pending = _lock_membership(Membership(pk=pending_id, company_id=company_id))
            if pending.status != Membership.Status.PENDING or pending.valid_until < on:
                continue
            active = Membership.objects.filter(
                company_id=pending.company_id, status=Membership.Status.ACTIVE
            ).first()
            if active is not None:
                if active.valid_until >= on:
                    continue
                active.status = Membership.Status.ENDED
                active.save(update_fields=["status", "updated_at"])
            pending.status = Membership.Status.ACTIVE
            pending.save(update_fields=["status", "updated_at"])
            activated += 1
    return activated


# "new" is the address of the back-office's new-member page (/staff/members/new/).
RESERVED_SLUGS = {"new"}
# Names looked up per query when many companies get their slugs at once (the import).
SLUG_CHUNK = 5000


def company_slugs(companies: Iterable[tuple[str, str]]) -> list[str]:
    """A slug per (name, enterprise number): the name, or the name and the (unique) enterprise
    number when the name's slug is taken, by a company in the database or earlier in the list,
    or is a reserved address. One query per SLUG_CHUNK names, however many companies."""
    companies = list(companies)
    bases = [slugify(name)[:200] or "onderneming" for name, _number in companies]
    taken = set(RESERVED_SLUGS)
    for start in range(0, len(bases), SLUG_CHUNK):
        chunk = bases[start : start + SLUG_CHUNK]
        taken.update(Company.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    slugs = []
    for base, (_name, number) in zip(bases, companies, strict=True):
        slug = f"{base}-{number}" if base in taken else base
        taken.add(slug)
        slugs.append(slug)
    return slugs


def company_slug(name: str, enterprise_number: str) -> str:
    """The company's name as a slug, with its enterprise number when the name is taken."""
    return company_slugs([(name, enterprise_number)])[0]


def member_company_create(
    *,
    company: Company,
    chamber,
    actor,
    tier: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    annual_fee: Decimal,
    admin: dict | None = None,
) -> Membership:
    """A company new to the portal (an unsaved, validated `company`) with its first membership,
    and its admin when staff name one (`first_name`, `last_name`, `email`): that person is
    invited by e-mail to make an account with that address, which links them (see
    invited_admin_link)."""
    with transaction.atomic():
        _refuse_unless_member_staff(actor, chamber.pk)
        try:
            identifiers.clean_company(company)
        except ValidationError as error:
            field, errors = next(iter(error.error_dict.items()))
            raise DomainError(errors[0].messages[0], code="bad_identifier", field=field) from error
        company.slug = company_slug(company.name, identifiers.slug_key(company))
        try:
            with transaction.atomic():
                company.save()
        except IntegrityError as error:
            if not any(name in str(error) for name in identifiers.UNIQUE_NAMES):
                raise
            raise DomainError(
                _("Er bestaat al een onderneming met dit nummer."), code="company_exists"
            ) from error
        if admin and admin.get("email"):
            _invite_admin(company, chamber, actor, admin)
        return membership_create(
            company=company,
            chamber=chamber,
            actor=actor,
            tier=tier,
            valid_from=valid_from,
            valid_until=valid_until,
            annual_fee=annual_fee,
        )


def _invite_admin(company: Company, chamber, actor, admin: dict) -> Person:
    email = admin["email"].strip().lower()
    person = Person.objects.create(
        company=company,
        role=Person.Role.ADMIN,
        first_name=admin.get("first_name", "").strip(),
        last_name=admin.get("last_name", "").strip(),
        email=email,
    )
    confirmed = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    if confirmed is not None and not Person.objects.filter(user=confirmed.user).exists():
        # Someone already confirmed this address (allauth keeps addresses unique): the account
        # is theirs, so link it now rather than ask them to sign up again.
        person.user = confirmed.user
        person.save(update_fields=["user", "updated_at"])
    _send_admin_invitation(person, company, chamber)
    return person


def _send_admin_invitation(person: Person, company: Company, chamber) -> None:
    """Tell a company's new admin; without an account, how to make one (invited_admin_link)."""
    mail.send_on_commit(
        "company_admin_invited",
        to=[person.email],
        language=person.preferred_language,
        context={
            "person": person,
            "company": company,
            "chamber": chamber,
            "has_account": person.user_id is not None,
            "signup_url": mail.absolute_url(reverse("account_signup")),
            "me_url": mail.absolute_url(reverse("me:home")),
        },
    )


# --- prospects: companies that came to a chamber without being its member -----------------------

# What a prospect gives of a company the portal does not know yet.
PROSPECT_COMPANY_FIELDS = ("name", "legal_form", "size_class", "street", "postcode", "municipality")


def prospect_company_create(*, identifier: str, data: dict) -> Company:
    """A company new to the portal, as a non-member, from what a prospect says of it.

    `identifier` is checked and normalised as Company.objects.by_identifier reads it (in
    `data["country"]`, Belgium when not given); `data` holds PROSPECT_COMPANY_FIELDS. Refused,
    naming the field, when something is missing or invalid. When someone else created the same
    company a moment ago, that one is returned. The one place where the portal creates a
    company without a membership.
    """
    try:
        parsed = identifiers.parse(identifier, data.get("country") or None)
    except ValidationError as error:
        raise DomainError(
            error.messages[0], code="identifier_invalid", field="identifier"
        ) from error
    values = {name: (data.get(name) or "").strip() for name in PROSPECT_COMPANY_FIELDS}
    company = Company(country=parsed.country, **{parsed.field: parsed.value}, **values)
    try:
        identifiers.clean_company(company)
    except ValidationError as error:
        field, errors = next(iter(error.error_dict.items()))
        message = errors[0].messages[0]
        raise DomainError(message, code="identifier_invalid", field="identifier") from error
    company.slug = company_slug(company.name or parsed.value, identifiers.slug_key(company))
    numbers = ["enterprise_number", "registration_number", "vat_number"]
    try:
        company.full_clean(exclude=["slug", *numbers], validate_unique=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], code="company_invalid", field=f"company_{field}") from error
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError as error:
        if not any(name in str(error) for name in identifiers.UNIQUE_NAMES):
            raise
        return Company.objects.get(parsed.lookup())
    return company


def prospect_mark(
    *, company: Company, chamber, source_detail: str = "", contact: Person | None = None
) -> Prospect | None:
    """Mark `company` a prospect of `chamber` (once: a later visit keeps the first one).

    Nothing is marked for a company that is a current member of that chamber.
    """
    if Membership.objects.current().filter(company=company, chamber=chamber).exists():
        return None
    prospect, _created = Prospect.objects.get_or_create(
        company=company,
        chamber=chamber,
        defaults={"source_detail": source_detail[:300], "contact": contact},
    )
    return prospect


def prospect_convert(
    *,
    prospect: Prospect,
    actor,
    tier: str,
    valid_from: datetime.date,
    annual_fee: Decimal,
    make_admin: bool = False,
) -> Membership:
    """The prospect becomes a member: a one-year membership at its chamber (membership_create,
    with its rules), the prospect marked converted, and, when asked, the person who registered
    made the company's admin (told by e-mail; without an account, how to make one)."""
    with transaction.atomic():
        _refuse_unless_member_staff(actor, prospect.chamber_id)
        prospect = (
            Prospect.objects.select_for_update(of=("self",))
            .select_related("company", "chamber", "contact")
            .get(pk=prospect.pk)
        )
        if prospect.is_converted:
            raise DomainError(_("Deze prospect is al lid geworden."), code="already_converted")
        membership = membership_create(
            company=prospect.company,
            chamber=prospect.chamber,
            actor=actor,
            tier=tier,
            valid_from=valid_from,
            valid_until=one_year_from(valid_from),
            annual_fee=annual_fee,
        )
        contact = prospect.contact
        if make_admin:
            if contact is None:
                raise DomainError(
                    _("Er is geen contactpersoon om beheerder te maken."),
                    code="no_contact",
                    field="make_admin",
                )
            contact.role = Person.Role.ADMIN
            contact.save(update_fields=["role", "updated_at"])
            _send_admin_invitation(contact, prospect.company, prospect.chamber)
        prospect.converted_at = timezone.now()
        prospect.converted_by = actor
        prospect.membership = membership
        prospect.save(update_fields=["converted_at", "converted_by", "membership"])
    return membership


# --- service requests, by the staff of the centre's lead chamber (the back-office inbox) ---------


def service_request_assignees(centre):
    """Who may be given a request: the users who may act on it (REQUEST_ROLES), held for the
    centre's lead chamber or for the whole alliance (the same people as can_handle_service_request).
    """
    held = Q(staff_roles__chamber=centre.lead_chamber_id) | Q(staff_roles__chamber__isnull=True)
    return (
        get_user_model()
        .objects.filter(held, staff_roles__role__in=roles.REQUEST_ROLES, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _lock_request(service_request: ServiceRequest, actor) -> ServiceRequest:
    service_request = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("centre__lead_chamber", "person", "company", "assignee")
        .get(pk=service_request.pk)
    )
    if not permissions.can_handle_service_request(actor, service_request):
        raise DomainError(
            _("Alleen de trekkende kamer van dit competentiecentrum behandelt deze vraag."),
            code="not_request_staff",
        )
    return service_request


def _save_request(service_request: ServiceRequest) -> None:
    service_request.save(
        update_fields=["status", "assignee", "assigned_at", "closed_at", "updated_at"]
    )


def _assign(service_request: ServiceRequest, assignee) -> None:
    if not service_request_assignees(service_request.centre).filter(pk=assignee.pk).exists():
        raise DomainError(
            _("Je kunt een vraag alleen toewijzen aan een beheerder van %(chamber)s.")
            % {"chamber": service_request.centre.lead_chamber.name},
            code="assignee_not_lead_staff",
        )
    service_request.assign(assignee)


def _reply_by_mail(service_request: ServiceRequest, actor, message: str) -> None:
    """Keep the answer with the request (the member reads it in /me/) and e-mail it."""
    ServiceRequestMessage.objects.create(
        service_request=service_request,
        kind=ServiceRequestMessage.Kind.REPLY,
        author=actor,
        body=message,
    )
    person, centre = service_request.person, service_request.centre
    mail.send_on_commit(
        "service_request_reply",
        to=[person.email],
        language=person.preferred_language,
        context={
            "service_request": service_request,
            "person": person,
            "company": service_request.company,
            "centre": centre,
            "chamber": centre.lead_chamber,
            "message": message,
            "sender": actor.get_full_name() or centre.lead_chamber.name,
            "declined": service_request.status == ServiceRequest.Status.DECLINED,
            "requests_url": mail.absolute_url(reverse("me:service_requests")),
        },
    )


def service_request_assign(*, service_request: ServiceRequest, assignee, actor) -> ServiceRequest:
    """Give a request to a staff member of the centre's lead chamber (again, to hand it over)."""
    with transaction.atomic():
        service_request = _lock_request(service_request, actor)
        _assign(service_request, assignee)
        _save_request(service_request)
    return service_request


def service_request_reply(
    *, service_request: ServiceRequest, actor, message: str
) -> ServiceRequest:
    """E-mail an answer to the person who asked; the request is then in progress.

    A new request is first assigned to whoever answers it (when they may be assigned).
    """
    message = (message or "").strip()
    with transaction.atomic():
        service_request = _lock_request(service_request, actor)
        if not message:
            raise DomainError(_("Schrijf je antwoord."), code="empty_message")
        status = service_request.status
        if status in (ServiceRequest.Status.DONE, ServiceRequest.Status.DECLINED):
            raise DomainError(_("Deze vraag is afgesloten."), code="request_closed")
        if status == ServiceRequest.Status.NEW:
            if not service_request_assignees(service_request.centre).filter(pk=actor.pk).exists():
                raise DomainError(
                    _("Wijs de vraag eerst toe aan wie ze behandelt."), code="not_assigned"
                )
            service_request.assign(actor)
        if service_request.status == ServiceRequest.Status.ASSIGNED:
            service_request.start()
        _save_request(service_request)
        _reply_by_mail(service_request, actor, message)
    return service_request


def service_request_note(
    *, service_request: ServiceRequest, actor, message: str
) -> ServiceRequestMessage:
    """A note for the centre's staff on the request (who called whom, what was agreed): never
    shown to or sent to the member. Also on a closed request, for the record."""
    message = (message or "").strip()
    with transaction.atomic():
        service_request = _lock_request(service_request, actor)
        if not message:
            raise DomainError(_("Schrijf je notitie."), code="empty_message", field="message")
        return ServiceRequestMessage.objects.create(
            service_request=service_request,
            kind=ServiceRequestMessage.Kind.NOTE,
            author=actor,
            body=message,
        )


def service_request_complete(*, service_request: ServiceRequest, actor) -> ServiceRequest:
    """Mark the request done; an assigned request passes through "in progress" on the way."""
    with transaction.atomic():
        service_request = _lock_request(service_request, actor)
        if service_request.status == ServiceRequest.Status.ASSIGNED:
            service_request.start()
        service_request.complete()
        _save_request(service_request)
    return service_request


def service_request_decline(
    *, service_request: ServiceRequest, actor, message: str = ""
) -> ServiceRequest:
    """Decline the request; with a message, the person who asked is told why by e-mail."""
    message = (message or "").strip()
    with transaction.atomic():
        service_request = _lock_request(service_request, actor)
        service_request.decline()
        _save_request(service_request)
        if message:
            _reply_by_mail(service_request, actor, message)
    return service_request


# --- membership applications: a company asks a chamber to become a member -----------------------


def _company_for_application(user, identifier: str, company_data: dict | None) -> Company:
    """The applicant's company: the one they act for, else the one with this identifier (made
    as a non-member when the portal does not know it)."""
    person = permissions.person_of(user)
    if person is not None:
        company = person.company
        has_admin = company.people.filter(role=Person.Role.ADMIN, user__isnull=False).exists()
        if has_admin and not person.is_company_admin:
            raise DomainError(
                _("Vraag de beheerder van je onderneming om het lidmaatschap aan te vragen."),
                code="not_company_admin",
            )
        return company
    try:
        company = Company.objects.by_identifier(identifier, (company_data or {}).get("country"))
    except ValidationError as error:
        raise DomainError(
            error.messages[0], code="identifier_invalid", field="identifier"
        ) from error
    if company is None:
        company = prospect_company_create(identifier=identifier, data=company_data or {})
    return company


def membership_application_create(
    *,
    user,
    tier: str,
    first_name: str,
    last_name: str,
    chamber: Chamber | None = None,
    job_title: str = "",
    message: str = "",
    identifier: str = "",
    company_data: dict | None = None,
) -> MembershipApplication:
    """A company applies for membership at a chamber, with the tier it chooses; the applicant
    (a logged-in account) is to be its admin.

    The company is the applicant's own (as its admin, or when it has none yet), else the one
    with `identifier`, created as a non-member when unknown. Without `chamber`, the chamber of
    the company's region (Chamber.objects.for_postcode). The chamber's member staff hear of it.
    Refused for a company that is a current member, or that has an application pending.
    """
    with transaction.atomic():
        company = _company_for_application(user, identifier, company_data)
        if Membership.objects.current().filter(company=company).exists():
            raise DomainError(
                _("Deze onderneming is al lid van een kamer."), code="company_is_member"
            )
        if chamber is None:
            chamber = Chamber.objects.for_postcode(company.postcode)
        if chamber is None or not chamber.is_active or chamber.kind != Chamber.Kind.LOCAL:
            raise DomainError(_("Kies de kamer van je regio."), code="no_chamber", field="chamber")
        try:
            with transaction.atomic():
                application = MembershipApplication.objects.create(
                    company=company,
                    chamber=chamber,
                    tier=tier,
                    applicant=user,
                    first_name=first_name.strip(),
                    last_name=last_name.strip(),
                    job_title=job_title.strip(),
                    message=message.strip(),
                )
        except IntegrityError as error:
            if "one_pending_membership_application" not in str(error):
                raise
            raise DomainError(
                _("Voor deze onderneming wacht al een aanvraag op een beslissing."),
                code="application_pending",
            ) from error
        staff = roles.staff_users_of(chamber, roles=roles.MEMBER_ROLES).exclude(email="")
        mail.send_on_commit(
            "membership_application_received",
            to=list(staff.values_list("email", flat=True)),
            # Staff accounts carry no language of their own: the portal's first language.
            language=settings.LANGUAGE_CODE,
            context={
                "application": application,
                "company": company,
                "chamber": chamber,
                "applicant_email": user.email,
                "decide_url": mail.absolute_url(
                    reverse("staff:application_detail", args=[application.pk])
                ),
            },
        )
    return application


def _lock_pending_application(application: MembershipApplication, actor) -> MembershipApplication:
    _refuse_unless_member_staff(actor, application.chamber_id)
    application = (
        MembershipApplication.objects.select_for_update(of=("self",))
        .select_related("company", "chamber", "applicant")
        .get(pk=application.pk)
    )
    if not application.is_pending:
        raise DomainError(_("Over deze aanvraag is al beslist."), code="already_decided")
    return application


def _decide_application(application: MembershipApplication, actor, status: str) -> None:
    application.status = status
    application.decided_by = actor
    application.decided_at = timezone.now()


def _applicant_as_admin(application: MembershipApplication) -> Person:
    """The applicant becomes the company's admin: their Person there, a row the company listed
    with their address and no account, or a new one."""
    user, company = application.applicant, application.company
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is not None and person.company_id != company.pk:
        raise DomainError(
            _("De aanvrager hoort al bij een andere onderneming."), code="already_a_person"
        )
    if person is None and user.email:
        person = (
            company.people.select_for_update()
            .filter(email__iexact=user.email, user__isnull=True)
            .first()
        )
    if person is None:
        person = Person(
            company=company,
            first_name=application.first_name,
            last_name=application.last_name,
            job_title=application.job_title,
            email=user.email,
        )
    person.user = user
    person.role = Person.Role.ADMIN
    person.save()
    return person


def membership_application_approve(
    *,
    application: MembershipApplication,
    actor,
    valid_from: datetime.date,
    annual_fee: Decimal,
) -> Membership:
    """Approve: the membership starts (membership_create, one year from `valid_from`, with its
    rules), the applicant becomes the company's admin, and hears of it by e-mail."""
    with transaction.atomic():
        application = _lock_pending_application(application, actor)
        membership = membership_create(
            company=application.company,
            chamber=application.chamber,
            actor=actor,
            tier=application.tier,
            valid_from=valid_from,
            valid_until=one_year_from(valid_from),
            annual_fee=annual_fee,
        )
        person = _applicant_as_admin(application)
        _decide_application(application, actor, MembershipApplication.Status.APPROVED)
        application.membership = membership
        application.save(
            update_fields=["status", "decided_by", "decided_at", "membership", "updated_at"]
        )
        Prospect.objects.filter(
            company=application.company, chamber=application.chamber, converted_at__isnull=True
        ).update(converted_at=application.decided_at, converted_by=actor, membership=membership)
        mail.send_on_commit(
            "membership_application_approved",
            to=[person.email],
            language=person.preferred_language,
            context={
                "application": application,
                "company": application.company,
                "chamber": application.chamber,
                "membership": membership,
                "person": person,
                "me_url": mail.absolute_url(reverse("me:company")),
            },
        )
    return membership


def membership_application_decline(
    *, application: MembershipApplication, actor, reason: str = ""
) -> MembershipApplication:
    """Decline, with a reason the applicant reads in a kind e-mail; they may apply again."""
    with transaction.atomic():
        application = _lock_pending_application(application, actor)
        _decide_application(application, actor, MembershipApplication.Status.DECLINED)
        application.decline_reason = reason.strip()
        application.save(
            update_fields=["status", "decided_by", "decided_at", "decline_reason", "updated_at"]
        )
        mail.send_on_commit(
            "membership_application_declined",
            to=[application.applicant.email],
            language=settings.LANGUAGE_CODE,
            context={
                "application": application,
                "company": application.company,
                "chamber": application.chamber,
            },
        )
    return application


# --- erasure on request (GDPR art. 17) ---------------------------------------------------------

# What an erased person's row says instead of their values. The address is in the reserved
# .invalid domain (RFC 2606): no e-mail can reach it, and it stays unique per company.
ERASED_FIRST_NAME = "—"
ERASED_LAST_NAME = "(gewist)"
PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "job_title")


def erased_values(person_id: int) -> dict:
    return {
        "first_name": ERASED_FIRST_NAME,
        "last_name": ERASED_LAST_NAME,
        "email": f"erased-{person_id}@erased.invalid",
        "phone": "",
        "job_title": "",
    }


def person_erase(*, person: Person, actor) -> Person:
    """Erase a person on request: anonymise them, keep the row.

    Their registrations stay (linked to the anonymised row), so the figures do not change; their
    name, address, phone and job title, calendar token and interests go; their user account is
    deactivated and scrubbed (name, address, e-mail addresses, second factors, sessions); their
    requests to join lose the name they gave; sent-message records and webhook payloads that
    carry their address or name are scrubbed; and the audit trail's earlier snapshots of them
    are overwritten with the anonymised values. One audit event records the erasure itself (who,
    when, from where; not the erased values). Nothing is sent: no e-mail, no webhook.
    """
    if not permissions.can_erase_person(actor, person):
        raise DomainError(_("Je mag deze persoon niet wissen."), code="not_allowed")
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
        )
        if person.is_erased:
            raise DomainError(_("Deze persoon is al gewist."), code="already_erased")
        user = person.user
        if user is not None and roles.is_staff(user):
            raise DomainError(
                _("Deze persoon heeft een rol in de back-office: haal die eerst weg."),
                code="staff_person",
            )
        old = {field: getattr(person, field) for field in PERSONAL_FIELDS}
        new = erased_values(person.pk)
        for field, value in new.items():
            setattr(person, field, value)
        person.calendar_token_hash = None
        person.newsletter_consent = False
        person.event_suggestions_consent = False
        person.erased_at = timezone.now()
        person.user = None
        person.save()
        person.interest_centres.clear()
        person.interest_sectors.clear()
        if user is not None:
            _erase_account(user)
        _scrub_messages_and_payloads(old, new)
        _scrub_history(person, user, new)
        audit.record(person, audit.ERASE)
    return person


def _erase_account(user) -> None:
    """The account can no longer log in and says nothing about who held it."""
    user.is_active = False
    user.set_unusable_password()
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.username = f"erased-{user.pk}"
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    JoinRequest.objects.filter(user=user).update(
        first_name="", last_name="", job_title="", message=""
    )
    wanted = str(user.pk)
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        if session.get_decoded().get("_auth_user_id") == wanted
    ]
    Session.objects.filter(pk__in=doomed).delete()


def _scrub(value, replacements: dict):
    """`value` (JSON: dicts, lists, text) with every replaced text swapped, whole or inside."""
    if isinstance(value, dict):
        return {key: _scrub(item, replacements) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, replacements) for item in value]
    if isinstance(value, str):
        for old, new in replacements.items():
            if old:
                value = value.replace(old, new)
        return value
    return value


def _replacements(old: dict, new: dict) -> dict:
    # The longest first, so that a full name goes before its parts.
    pairs = {old[field]: new[field] for field in PERSONAL_FIELDS if old[field]}
    return dict(sorted(pairs.items(), key=lambda pair: -len(pair[0])))


def _scrub_messages_and_payloads(old: dict, new: dict) -> None:
    """The records of e-mails sent to them and the webhook payloads that named them."""
    replacements = _replacements(old, new)
    SentMessage.objects.filter(recipients__icontains=old["email"]).update(recipients=new["email"])
    # The outbox holds whole messages (their name, their address): sent ones are gone, and one
    # still waiting is never sent to an erased person.
    OutboxMessage.objects.filter(recipients__icontains=old["email"]).delete()
    for delivery in WebhookDelivery.objects.filter(
        payload__icontains=old["email"]
    ) | WebhookDelivery.objects.filter(payload__icontains=f'"{old["last_name"]}"'):
        delivery.payload = _scrub(delivery.payload, replacements)
        delivery.save(update_fields=["payload"])


def _scrub_history(person: Person, user, new: dict) -> None:
    """The audit trail's snapshots of the person (and of their requests to join) hold the
    anonymised values from now on: the only writes the append-only guard lets through."""
    person_events = Person.audit_events.rel.related_model
    join_events = JoinRequest.audit_events.rel.related_model
    with audit.scrubbing():
        person_events.objects.filter(pgh_obj_id=person.pk).update(**new, user=None)
        if user is not None:
            join_events.objects.filter(user_id=user.pk).update(
                first_name="", last_name="", job_title="", message=""
            )

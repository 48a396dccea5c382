"""Writes for joining a company and for the member's own pages (/me/).

Every function is keyword-only, runs in one transaction and sends its e-mails after the commit
(alliance.base.mail.send_on_commit), so that a refused or rolled-back change tells nobody.
Rules a user can break raise DomainError with a message for them.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.base import mail
from alliance.base.models import DomainError
from chambers import roles
from members import enterprise_numbers, permissions
from members.models import Company, JoinRequest, Membership, Person, Sector
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
    job_title: str = "",
    message: str = "",
) -> JoinRequest:
    """A signed-up user asks to act for the company with this enterprise number.

    The company's admins hear of it; a company without admins is looked after by the chamber
    admins of its home chamber. One pending request per user (a database constraint).
    """
    try:
        number = enterprise_numbers.normalise(enterprise_number)
    except ValidationError as error:
        raise DomainError(error.messages[0], code="enterprise_number_invalid") from error
    with transaction.atomic():
        if Person.objects.filter(user=user).exists():
            raise DomainError(
                _("Je hoort al bij een onderneming; een nieuwe aanvraag is niet nodig."),
                code="already_a_person",
            )
        company = Company.objects.filter(enterprise_number=number).first()
        if company is None:
            raise DomainError(
                _(
                    "We vinden geen onderneming met ondernemingsnummer %(number)s. Kijk het "
                    "nummer na, of vraag je kamer om je onderneming toe te voegen."
                )
                % {"number": enterprise_numbers.formatted(number)},
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
    """Confirm that the requester works at the company: they get a Person (employee) there.

    When the company already lists someone with the requester's (verified) e-mail address and
    no account, that row is linked instead of a second one being made.
    """
    with transaction.atomic():
        join_request = _lock_pending(join_request, actor)
        user, company = join_request.user, join_request.company
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
            person.save(update_fields=["user", "job_title", "updated_at"])
        else:
            person = Person.objects.create(
                user=user,
                company=company,
                role=Person.Role.EMPLOYEE,
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


def company_consent_update(*, company: Company, actor, directory_consent: bool) -> Company:
    """Switch the directory listing on (remembering when) or off (forgetting when)."""
    with transaction.atomic():
        _refuse_unless_manager(actor, company)
        company = Company.objects.select_for_update().get(pk=company.pk)
        if directory_consent and not company.directory_consent:
            company.directory_consent_at = timezone.now()
        elif not directory_consent:
            company.directory_consent_at = None
        company.directory_consent = directory_consent
        company.save(update_fields=["directory_consent", "directory_consent_at", "updated_at"])
    return company


def person_update(*, person: Person, actor, job_title: str, role: str, phone: str) -> Person:
    """A company admin changes a colleague's job title, role or phone.

    A company that has an admin keeps at least one: the company row is locked, so that two
    admins demoting each other at the same moment cannot both succeed.
    """
    with transaction.atomic():
        _refuse_unless_manager(actor, person.company)
        Company.objects.select_for_update().get(pk=person.company_id)
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.role == Person.Role.ADMIN and role != Person.Role.ADMIN:
            others = Person.objects.filter(company_id=person.company_id, role=Person.Role.ADMIN)
            if not others.exclude(pk=person.pk).exists():
                raise DomainError(
                    _("Een onderneming heeft minstens één beheerder nodig."),
                    code="last_company_admin",
                )
        person.job_title = job_title.strip()
        person.role = role
        person.phone = phone.strip()
        person.save(update_fields=["job_title", "role", "phone", "updated_at"])
    return person


# --- the member's own settings -------------------------------------------------------------------


def interests_update(*, person: Person, centres: Iterable, sectors: Iterable[Sector]) -> Person:
    """The competence centres and sectors a person wants to hear about."""
    with transaction.atomic():
        person.interest_centres.set(centres)
        person.interest_sectors.set(sectors)
    return person


def calendar_token_renew(*, person: Person) -> str:
    """A new secret for the personal calendar feed; the previous link stops working at once."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        token = person.renew_calendar_token()
        person.save(update_fields=["calendar_token", "updated_at"])
    return token


def calendar_token_revoke(*, person: Person) -> None:
    """Switch the personal calendar feed off: no link works until a new one is made."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        person.calendar_token = None
        person.save(update_fields=["calendar_token", "updated_at"])

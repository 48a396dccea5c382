"""Everything the portal holds about one person, as JSON (GDPR art. 15 and 20: access and
portability), for the download on /me/.

A person is their account and every Person row that is them: linked to the account, or carrying
one of the account's verified e-mail addresses (a partner or staff may have registered them
before they had an account). Secrets are named, never given (the password's hash, the calendar
token, TOTP secrets, recovery codes): a download that leaks must not open the account.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Q
from django.utils import timezone

from alliance.base.models import SentMessage
from chambers.models import StaffRole
from events.models import Registration
from members.models import JoinRequest, Person, ServiceRequest, ServiceRequestMessage

FORMAT_VERSION = 1


def _when(value):
    return value.isoformat() if value else None


def people_of(user):
    """The Person rows that are `user`."""
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    by_address = Q()
    for address in verified:
        by_address |= Q(email__iexact=address)
    return (
        Person.objects.filter(Q(user=user) | by_address)
        .select_related("company")
        .prefetch_related("interest_centres", "interest_sectors")
        .order_by("pk")
    )


def personal_data(user) -> dict:
    people = list(people_of(user))
    addresses = [address.email for address in EmailAddress.objects.filter(user=user)]
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "password": "set" if user.has_usable_password() else "not set",
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "second_factors": [
                {
                    "type": a.type,
                    "created_at": _when(a.created_at),
                    "last_used_at": _when(a.last_used_at),
                }
                for a in Authenticator.objects.filter(user=user).order_by("pk")
            ],
            "staff_roles": [
                {"role": r.role, "chamber": r.chamber.name if r.chamber else None}
                for r in StaffRole.objects.filter(user=user).select_related("chamber")
            ],
        },
        "people": [_person(person) for person in people],
        "registrations": [
            _registration(r)
            for r in Registration.objects.filter(person__in=people)
            .select_related("event", "company", "partner")
            .order_by("created_at", "pk")
        ],
        "join_requests": [
            {
                "company": j.company.name,
                "first_name": j.first_name,
                "last_name": j.last_name,
                "job_title": j.job_title,
                "message": j.message,
                "status": j.status,
                "created_at": _when(j.created_at),
                "decided_at": _when(j.decided_at),
            }
            for j in JoinRequest.objects.filter(user=user).select_related("company").order_by("pk")
        ],
        "service_requests": [
            {
                "company": s.company.name,
                "centre": s.centre.name if s.centre_id else None,
                "service": s.service.name if s.service_id else None,
                "message": s.message,
                "status": s.status,
                "created_at": _when(s.created_at),
                "closed_at": _when(s.closed_at),
            }
            for s in ServiceRequest.objects.filter(person__in=people)
            .select_related("company", "centre", "service")
            .order_by("pk")
        ],
        "emails_sent": [
            {"subject": m.subject, "sent_at": _when(m.sent_at)}
            for m in SentMessage.objects.filter(
                _sent_to(addresses + [p.email for p in people])
            ).order_by("sent_at")
        ],
    }


def _sent_to(addresses) -> Q:
    query = Q(pk__in=[])
    for address in {a.lower() for a in addresses if a}:
        query |= Q(recipients__icontains=address)
    return query


def _person(person: Person) -> dict:
    return {
        "company": person.company.name,
        "enterprise_number": person.company.enterprise_number_display,
        "role": person.role,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "email": person.email,
        "phone": person.phone,
        "preferred_language": person.preferred_language,
        "newsletter_consent": person.newsletter_consent,
        "event_suggestions_consent": person.event_suggestions_consent,
        "consents_updated_at": _when(person.consents_updated_at),
        "interest_centres": [c.name for c in person.interest_centres.all()],
        "interest_sectors": [s.name for s in person.interest_sectors.all()],
        "calendar_feed": "active" if person.has_calendar_feed else "none",
        "created_at": _when(person.created_at),
        "updated_at": _when(person.updated_at),
    }


def _registration(registration: Registration) -> dict:
    return {
        "event": registration.event.title,
        "starts_at": _when(registration.event.starts_at),
        "company": registration.company.name if registration.company_id else None,
        "status": registration.status,
        "member_terms": registration.member_terms,
        "price": str(registration.price),
        "registered_by_partner": registration.partner.name if registration.partner_id else None,
        "checked_in_at": _when(registration.checked_in_at),
        "cancelled_at": _when(registration.cancelled_at),
        "created_at": _when(registration.created_at),
    }


def company_data(company) -> dict:
    """Everything the portal holds about `company`, for its admins (the download on
    /me/company/): the profile, memberships, consent history, people, registrations, requests to
    join and service requests with the answers sent. Staff's internal notes on a request are the
    chamber's own working papers and stay out; secrets are named, never given."""
    people = list(
        company.people.select_related("company")
        .prefetch_related("interest_centres", "interest_sectors")
        .order_by("pk")
    )
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "company": {
            "name": company.name,
            "enterprise_number": company.enterprise_number_display,
            "legal_form": company.legal_form,
            "size_class": company.size_class,
            "street": company.street,
            "postcode": company.postcode,
            "municipality": company.municipality,
            "website": company.website,
            "description": company.description,
            "is_family_business": company.is_family_business,
            "founded_year": company.founded_year,
            "export_countries": list(company.export_countries or []),
            "languages": list(company.languages or []),
            "sectors": [sector.name for sector in company.sectors.order_by("name")],
            "directory_consent": company.directory_consent,
            "partner_consent": company.partner_consent,
            "created_at": _when(company.created_at),
            "updated_at": _when(company.updated_at),
        },
        "memberships": [
            {
                "chamber": m.chamber.name,
                "tier": m.tier,
                "status": m.status,
                "valid_from": _when(m.valid_from),
                "valid_until": _when(m.valid_until),
                "annual_fee": str(m.annual_fee),
            }
            for m in company.memberships.select_related("chamber").order_by("valid_from", "pk")
        ],
        "consent_history": [
            {
                "purpose": c.purpose,
                "given": c.given,
                "text": c.text,
                "source": c.source,
                "recorded_by": c.recorded_by.email if c.recorded_by_id else None,
                "recorded_at": _when(c.recorded_at),
            }
            for c in company.consent_records.select_related("recorded_by").order_by("recorded_at")
        ],
        "people": [_person(person) for person in people],
        "registrations": [
            _registration(r) | {"person": f"{r.person.first_name} {r.person.last_name}"}
            for r in Registration.objects.filter(company=company)
            .select_related("event", "company", "partner", "person")
            .order_by("created_at", "pk")
        ],
        "join_requests": [
            {
                "first_name": j.first_name,
                "last_name": j.last_name,
                "job_title": j.job_title,
                "message": j.message,
                "status": j.status,
                "created_at": _when(j.created_at),
                "decided_at": _when(j.decided_at),
            }
            for j in company.join_requests.order_by("pk")
        ],
        "service_requests": [
            {
                "centre": s.centre.name if s.centre_id else None,
                "service": s.service.name if s.service_id else None,
                "asked_by": f"{s.person.first_name} {s.person.last_name}" if s.person_id else None,
                "message": s.message,
                "status": s.status,
                "created_at": _when(s.created_at),
                "closed_at": _when(s.closed_at),
                "answers": [
                    {"body": m.body, "created_at": _when(m.created_at)}
                    for m in s.messages.all()
                    if m.kind == ServiceRequestMessage.Kind.REPLY
                ],
            }
            for s in company.service_requests.select_related("centre", "service", "person")
            .prefetch_related("messages")
            .order_by("pk")
        ],
    }

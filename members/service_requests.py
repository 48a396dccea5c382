"""Service requests: a member asking a competence centre for help.

Kept apart from members/services.py (owned by another area) so that the write for the centre
pages has one home. The e-mails go out after the commit (alliance.base.mail.send_on_commit):
a confirmation to the person in their language, a notification in Dutch to the staff of the
centre's lead chamber and to the centre's own mailbox.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.base import mail
from alliance.base.choices import Language
from alliance.base.models import DomainError
from chambers import roles
from competences.models import CompetenceCentre, Service
from members.models import Person, ServiceRequest
from members.selectors import is_alliance_member


def service_request_create(
    *,
    person: Person,
    centre: CompetenceCentre,
    service: Service | None = None,
    message: str,
) -> ServiceRequest:
    """Record `person`'s question to `centre` (about `service`, if given) for their company.

    Refuses a service of another centre, a service no longer offered, a members-only service
    for a company that is not a member of the centre's alliance, and an empty question.
    """
    message = (message or "").strip()
    with transaction.atomic():
        if not message:
            raise DomainError(_("Schrijf je vraag."), code="empty_message")
        if service is not None:
            if service.centre_id != centre.pk:
                raise DomainError(
                    _("Deze dienst hoort niet bij dit competentiecentrum."),
                    code="service_of_other_centre",
                )
            if not service.is_active:
                raise DomainError(
                    _("Deze dienst wordt niet meer aangeboden."), code="service_inactive"
                )
            if service.audience == Service.Audience.MEMBERS and not is_alliance_member(
                person.company, centre.alliance_id
            ):
                raise DomainError(
                    _("Deze dienst is enkel voor leden van de kamers van de alliantie."),
                    code="members_only",
                )
        service_request = ServiceRequest.objects.create(
            company=person.company,
            person=person,
            centre=centre,
            service=service,
            message=message,
        )
        _notify(service_request)
    return service_request


def _notify(service_request: ServiceRequest) -> None:
    person, centre = service_request.person, service_request.centre
    context = {
        "service_request": service_request,
        "person": person,
        "company": service_request.company,
        "centre": centre,
        "service": service_request.service,
        "chamber": centre.lead_chamber,
        "centre_url": mail.absolute_url(reverse("competences:detail", args=[centre.slug])),
        # Staff handle requests in the back-office (alliance/staff/requests.py).
        "manage_url": mail.absolute_url(reverse("staff:request_detail", args=[service_request.pk])),
    }
    mail.send_on_commit(
        "service_request_received",
        to=[person.email],
        language=person.preferred_language,
        context=context,
    )
    # One message per address: staff do not see each other's addresses, and a bounce at one
    # address does not hold back the others.
    for address in _staff_addresses(centre):
        mail.send_on_commit(
            "service_request_new", to=[address], language=Language.NL, context=context
        )


def _staff_addresses(centre: CompetenceCentre) -> list[str]:
    staff = roles.staff_users_of(centre.lead_chamber, roles=roles.READ_ROLES)
    addresses = [*staff.values_list("email", flat=True), centre.email]
    seen, unique = set(), []
    for address in addresses:
        if address and address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique

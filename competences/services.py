"""Writes for competence centres and their services, from the back-office (/staff/centres/).

A centre is its lead chamber's: the chamber admins of that chamber (CENTRE_ROLES, alliance
admins for every chamber) create it, change it, deactivate it and manage its services. The
module is the house's `services.py`; the model it writes is `Service` (a centre's offer): both
words are the domain's, and callers import the module as `from competences import services`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliance.base.models import DomainError
from chambers import roles
from chambers.models import AllianceChamber, Chamber
from competences.models import CompetenceCentre, Service

# What staff change on a centre and on a service: the translated texts in the three languages.
CENTRE_FIELDS = (
    "name_nl",
    "name_fr",
    "name_en",
    "description_nl",
    "description_fr",
    "description_en",
    "email",
    "is_active",
)
SERVICE_FIELDS = (
    "name_nl",
    "name_fr",
    "name_en",
    "kind",
    "audience",
    "description_nl",
    "description_fr",
    "description_en",
    "price_note_nl",
    "price_note_fr",
    "price_note_en",
    "is_active",
)


def _refuse_unless_lead_staff(actor, chamber: Chamber) -> None:
    if not roles.is_staff_of(actor, chamber, roles.CENTRE_ROLES):
        raise PermissionDenied


def _apply(instance, fields, data: dict) -> list[str]:
    changed = [field for field in fields if field in data]
    for field in changed:
        value = data[field]
        setattr(instance, field, value.strip() if isinstance(value, str) else value)
    return changed


def _validate(instance, changed: list[str]) -> None:
    """The model's own field checks (lengths, e-mail), as a DomainError on the first field."""
    try:
        instance.full_clean(
            exclude=[f.name for f in type(instance)._meta.fields if f.name not in changed],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], code="invalid", field=field) from error


def _unique_slug(name: str, taken) -> str:
    base = slugify(name)[:70] or "centrum"
    slug, number = base, 2
    while taken(slug):
        slug, number = f"{base}-{number}", number + 1
    return slug


def _name_taken() -> DomainError:
    return DomainError(
        _("Er bestaat al een competentiecentrum met deze naam in de alliantie."),
        code="centre_name_taken",
        field="name_nl",
    )


def centre_create(*, lead_chamber: Chamber, alliance, data: dict, actor) -> CompetenceCentre:
    """A new competence centre led by `lead_chamber`, for the members of `alliance` (which the
    lead chamber must belong to). Its address (slug) comes from the Dutch name."""
    _refuse_unless_lead_staff(actor, lead_chamber)
    if not AllianceChamber.objects.filter(alliance=alliance, chamber=lead_chamber).exists():
        raise DomainError(
            _("%(chamber)s hoort niet bij deze alliantie.")
            % {"chamber": lead_chamber.short_name or lead_chamber.name},
            code="chamber_not_in_alliance",
            field="alliance",
        )
    centre = CompetenceCentre(lead_chamber=lead_chamber, alliance=alliance)
    changed = _apply(centre, CENTRE_FIELDS, data)
    _validate(centre, changed)
    if CompetenceCentre.objects.filter(alliance=alliance, name_nl=centre.name_nl).exists():
        raise _name_taken()
    with transaction.atomic():
        centre.slug = _unique_slug(
            centre.name_nl, lambda slug: CompetenceCentre.objects.filter(slug=slug).exists()
        )
        try:
            with transaction.atomic():
                centre.save()
        except IntegrityError as error:  # the same name, saved at the same moment
            raise _name_taken() from error
    return centre


def centre_update(*, centre: CompetenceCentre, data: dict, actor) -> CompetenceCentre:
    """Change a centre's texts and contact address, or (de)activate it: a deactivated centre
    and its services disappear from the public pages and the partners' API, nothing is lost."""
    with transaction.atomic():
        _refuse_unless_lead_staff(actor, centre.lead_chamber)
        centre = CompetenceCentre.objects.select_for_update().get(pk=centre.pk)
        changed = _apply(centre, CENTRE_FIELDS, data)
        _validate(centre, changed)
        others = CompetenceCentre.objects.filter(alliance_id=centre.alliance_id).exclude(
            pk=centre.pk
        )
        if others.filter(name_nl=centre.name_nl).exists():
            raise _name_taken()
        try:
            with transaction.atomic():
                centre.save(update_fields=[*changed, "updated_at"])
        except IntegrityError as error:
            raise _name_taken() from error
    return centre


def service_create(*, centre: CompetenceCentre, data: dict, actor) -> Service:
    """A new service of `centre`; its address (slug) comes from the Dutch name."""
    with transaction.atomic():
        _refuse_unless_lead_staff(actor, centre.lead_chamber)
        centre = CompetenceCentre.objects.select_for_update().get(pk=centre.pk)
        service = Service(centre=centre)
        changed = _apply(service, SERVICE_FIELDS, data)
        _validate(service, changed)
        service.slug = _unique_slug(
            service.name_nl, lambda slug: centre.services.filter(slug=slug).exists()
        )
        service.save()
    return service


def service_update(*, service: Service, data: dict, actor) -> Service:
    """Change a service's texts, kind, audience and price, or withdraw it (inactive)."""
    with transaction.atomic():
        _refuse_unless_lead_staff(actor, service.centre.lead_chamber)
        service = Service.objects.select_for_update().get(pk=service.pk)
        changed = _apply(service, SERVICE_FIELDS, data)
        _validate(service, changed)
        service.save(update_fields=[*changed, "updated_at"])
    return service

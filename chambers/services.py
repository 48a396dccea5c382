"""Writes for chambers (their public page, their team), partners and their agreements, and the
partners' side of the API: keys, webhook endpoints and deliveries.

Webhooks are published by the apps above through `webhook_enqueue`: they build the payload
(chambers may not import them) and say which chambers the news concerns. The deliveries are
written in the caller's transaction and handed to Celery once it commits, so that a change that
rolls back announces nothing and a committed change is never lost by a busy broker.
"""

import datetime
from collections.abc import Iterable

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliance.base import mail
from alliance.base.models import DomainError
from alliance.base.tasks import kick_on_commit
from chambers import permissions, roles, webhooks
from chambers.models import (
    ApiScope,
    Chamber,
    Partner,
    PartnerAgreement,
    PartnerAPIKey,
    StaffRole,
    WebhookDelivery,
    WebhookEndpoint,
    new_webhook_secret,
)


def api_key_create(
    *,
    partner: Partner,
    name: str,
    scopes: Iterable[str],
    chambers: Iterable[Chamber] = (),
    expires_at: datetime.datetime | None = None,
) -> tuple[PartnerAPIKey, str]:
    """A new key for `partner`; returns the row and the key itself, which is never shown again.
    Without `expires_at` it expires API_KEY_LIFETIME_DAYS from now, and never later."""
    scopes = sorted(set(scopes))
    latest = timezone.now() + datetime.timedelta(days=settings.API_KEY_LIFETIME_DAYS)
    unknown = [scope for scope in scopes if scope not in ApiScope.values]
    if unknown:
        raise ValidationError(
            {"scopes": _("Onbekende rechten: %(scopes)s.") % {"scopes": ", ".join(unknown)}}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expiry_date": _("De vervaldatum ligt in het verleden.")})
    if expires_at is None:
        expires_at = latest
    elif expires_at > latest + datetime.timedelta(days=1):
        # (A day's grace: a form's date means the end of that day.)
        raise ValidationError(
            {
                "expiry_date": _("Een sleutel vervalt binnen %(days)s dagen.")
                % {"days": settings.API_KEY_LIFETIME_DAYS}
            }
        )
    with transaction.atomic():
        api_key, key = PartnerAPIKey.objects.create_key(
            partner=partner, name=name[:50], scopes=scopes, expiry_date=expires_at
        )
        api_key.chambers.set(chambers)
    return api_key, key


def api_key_rotate(*, api_key: PartnerAPIKey) -> tuple[PartnerAPIKey, str]:
    """A successor for `api_key` with its name, scopes and chambers (expiring a full lifetime
    from now), returned with the key itself to be shown once; the old key keeps working
    API_KEY_ROTATION_OVERLAP_DAYS more (or until it expired anyway), time for the partner to
    switch, and can still be revoked at once."""
    with transaction.atomic():
        api_key = PartnerAPIKey.objects.select_for_update().get(pk=api_key.pk)
        if api_key.revoked or api_key.has_expired:
            raise DomainError(
                _("Een ingetrokken of vervallen sleutel vervang je door een nieuwe te maken."),
                code="key_not_usable",
            )
        successor, key = api_key_create(
            partner=api_key.partner,
            name=api_key.name,
            scopes=api_key.scopes,
            chambers=list(api_key.chambers.all()),
        )
        overlap_end = timezone.now() + datetime.timedelta(
            days=settings.API_KEY_ROTATION_OVERLAP_DAYS
        )
        api_key.expiry_date = min(api_key.expiry_date, overlap_end)
        api_key.save(update_fields=["expiry_date"])
    return successor, key


def api_key_revoke(*, api_key: PartnerAPIKey) -> PartnerAPIKey:
    """Revoke a key at once: its next call gets 401 `key_revoked`."""
    with transaction.atomic():
        api_key = PartnerAPIKey.objects.select_for_update().get(pk=api_key.pk)
        api_key.revoke()
        api_key.save(update_fields=["revoked", "revoked_at"])
    return api_key


def _check_url(url: str) -> None:
    if not url.startswith("https://") and not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        raise ValidationError({"url": _("Een webhook-adres begint met https://.")})


def _check_chambers(chambers, allowed_ids: list[int] | None) -> None:
    if allowed_ids and any(chamber.pk not in allowed_ids for chamber in chambers):
        raise ValidationError({"chambers": _("Deze sleutel mag enkel de eigen kamers gebruiken.")})


def webhook_endpoint_create(
    *,
    partner: Partner,
    url: str,
    event_types: Iterable[str],
    description: str = "",
    chambers: Iterable[Chamber] = (),
    allowed_chamber_ids: list[int] | None = None,
) -> WebhookEndpoint:
    """A new endpoint. A key limited to some chambers makes endpoints limited to them too."""
    _check_url(url)
    chambers = list(chambers)
    _check_chambers(chambers, allowed_chamber_ids)
    if not chambers and allowed_chamber_ids:
        chambers = list(Chamber.objects.filter(pk__in=allowed_chamber_ids))
    with transaction.atomic():
        endpoint = WebhookEndpoint(
            partner=partner,
            url=url,
            event_types=sorted(set(event_types)),
            description=description,
        )
        endpoint.full_clean()
        endpoint.save()
        endpoint.chambers.set(chambers)
    return endpoint


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret for `endpoint`, to be shown once; the old one keeps signing beside it for
    WEBHOOK_SECRET_OVERLAP_HOURS (deliveries carry both signatures), then only the new one."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = timezone.now() + datetime.timedelta(
            hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS
        )
        endpoint.secret = new_webhook_secret()
        endpoint.save(
            update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
        )
    return endpoint


def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    allowed_chamber_ids: list[int] | None = None,
    **changes,
) -> WebhookEndpoint:
    """Change an endpoint. Switching it on again clears why it was switched off."""
    chambers = changes.pop("chambers", None)
    if "url" in changes:
        _check_url(changes["url"])
    if "event_types" in changes:
        changes["event_types"] = sorted(set(changes["event_types"]))
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        for field, value in changes.items():
            setattr(endpoint, field, value)
        if changes.get("is_active"):
            endpoint.disabled_at = None
            endpoint.disabled_reason = ""
        elif changes.get("is_active") is False and endpoint.disabled_at is None:
            endpoint.disable(_("Uitgeschakeld door de partner."))
        endpoint.full_clean()
        endpoint.save()
        if chambers is not None:
            chambers = list(chambers)
            _check_chambers(chambers, allowed_chamber_ids)
            endpoint.chambers.set(chambers)
    return endpoint


# A delivery handed to a worker is not handed on again for this long: the worker records the
# attempt well within it, and a delivery whose worker died is picked up once it has passed.
LEASE = datetime.timedelta(minutes=5)


def webhook_enqueue(
    *,
    event_type: str,
    payload: dict,
    chamber_ids: Iterable[int],
    partner_ids: Iterable[int] | None = None,
) -> list[WebhookDelivery]:
    """Announce `event_type` to every active endpoint that asked for it.

    `chamber_ids` are the chambers the news concerns (an event's organiser and co-organisers):
    endpoints limited to other chambers are skipped. `partner_ids` limits the news to those
    partners (a registration goes only to the partner that made it). Call it inside the
    transaction that makes the change: the deliveries are written with it and handed to a
    worker when it commits.
    """
    endpoints = WebhookEndpoint.objects.filter(
        Q(chambers__isnull=True) | Q(chambers__in=list(chamber_ids)),
        is_active=True,
        event_types__contains=[event_type],
    )
    if partner_ids is not None:
        endpoints = endpoints.filter(partner_id__in=list(partner_ids))
    leased_until = timezone.now() + LEASE
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint_id=endpoint_id,
            event_type=event_type,
            payload=payload,
            next_attempt_at=leased_until,
        )
        for endpoint_id in endpoints.values_list("pk", flat=True).distinct()
    )
    if deliveries:
        _send_on_commit([delivery.pk for delivery in deliveries])
    return deliveries


def _send_on_commit(delivery_ids: list) -> None:
    # The delivery rows are the outbox: written in the caller's transaction, leased for LEASE.
    # The kick after the commit only makes them fast; with the broker down the page still
    # answers and webhook_deliver_due hands them to a worker once the lease has passed.
    # By name: chambers.tasks calls this module, so this module does not import it.
    for delivery_id in delivery_ids:
        kick_on_commit("chambers.webhook_deliver", str(delivery_id))


def webhook_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, with the same id, and a new series of attempts if it fails.

    The receiver may ignore an id it has already handled.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .get(pk=delivery.pk)
        )
        if not delivery.endpoint.is_active:
            raise DomainError(
                _("Dit webhook-adres staat uit; zet het eerst weer aan."),
                code="endpoint_disabled",
            )
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.series_attempts = 0
        delivery.delivered_at = None
        delivery.next_attempt_at = timezone.now() + LEASE
        delivery.save(
            update_fields=["status", "series_attempts", "delivered_at", "next_attempt_at"]
        )
        _send_on_commit([delivery.pk])
    return delivery


def webhook_deliveries_due(*, limit: int = 500) -> list:
    """Deliveries whose next attempt is due, leased so that the next look skips them.

    For the periodic task: retries wait in the database (next_attempt_at), not on the broker.
    """
    now = timezone.now()
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=WebhookDelivery.Status.PENDING,
                next_attempt_at__lte=now,
                endpoint__is_active=True,
            )
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        WebhookDelivery.objects.filter(pk__in=due).update(next_attempt_at=now + LEASE)
    return due


def webhook_attempt(*, delivery_id) -> None:
    """Try to deliver once, and record what happened.

    The HTTP call happens outside any transaction and with no lock held. A 2xx answer delivers;
    410 Gone switches the endpoint off; anything else is tried again with exponential back-off
    (chambers.webhooks.retry_delay) until the 3-day window is used up: `next_attempt_at` says
    when, and the periodic task `webhook_deliver_due` hands it to a worker then.
    """
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return  # already delivered, or given up: running twice sends once
    endpoint = delivery.endpoint
    # Failures that waiting will not mend are not retried.
    permanent = True
    if not endpoint.is_active:
        result = webhooks.Result(None, _("Het webhook-adres staat uit."))
    else:
        body = webhooks.body_of(
            delivery_id=delivery.pk,
            event_type=delivery.event_type,
            created_at=delivery.created_at,
            payload=delivery.payload,
        )
        result = webhooks.send(
            url=endpoint.url,
            body=body,
            headers={
                webhooks.SIGNATURE_HEADER: webhooks.signature_header(
                    endpoint.signing_secrets(), body
                ),
                webhooks.DELIVERY_HEADER: str(delivery.pk),
                webhooks.EVENT_HEADER: delivery.event_type,
                webhooks.ATTEMPT_HEADER: str(delivery.attempts + 1),
            },
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
        # The address is checked as it is called (resolved once, chambers.webhooks.resolve).
        permanent = result.refused
    _record_attempt(delivery_id=delivery.pk, result=result, permanent=permanent)


def _record_attempt(*, delivery_id, result: webhooks.Result, permanent: bool) -> None:
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .get(pk=delivery_id)
        )
        if delivery.status != WebhookDelivery.Status.PENDING:
            return
        delivery.attempts += 1
        delivery.series_attempts += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = result.status_code
        delivery.last_error = str(result.error)[:500]
        delivery.next_attempt_at = None
        if result.ok:
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            delivery.delivered_at = now
        elif result.gone:
            delivery.status = WebhookDelivery.Status.FAILED
            endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
            endpoint.disable(_("Het adres antwoordde 410 Gone."))
            endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
        else:
            delay = None if permanent else webhooks.retry_delay(delivery.series_attempts)
            if delay is None:
                delivery.status = WebhookDelivery.Status.FAILED
            else:
                delivery.next_attempt_at = now + datetime.timedelta(seconds=delay)
        delivery.save()


# --- a chamber's team: its staff and their roles ------------------------------------------------
# Lock order: the chamber's row, then its roles. Locking the chamber serialises every change of
# its team, so that "a chamber keeps a chamber admin" holds under concurrent removals.


def _lock_team(*, chamber: Chamber, actor) -> Chamber:
    if not roles.is_staff_of(actor, chamber, roles.TEAM_ROLES):
        raise PermissionDenied
    return Chamber.objects.select_for_update().get(pk=chamber.pk)


def _check_assignable(role: str) -> None:
    if role not in roles.TEAM_ASSIGNABLE:
        raise DomainError(
            _("Deze rol geef je niet voor één kamer."), code="role_not_assignable", field="role"
        )


def _keeps_an_admin(chamber: Chamber, *, without: StaffRole) -> None:
    others = chamber.staff_roles.filter(role=StaffRole.Role.CHAMBER_ADMIN).exclude(pk=without.pk)
    if without.role == StaffRole.Role.CHAMBER_ADMIN and not others.exists():
        raise DomainError(
            _("%(chamber)s houdt minstens één kamerbeheerder. Maak eerst iemand anders beheerder.")
            % {"chamber": chamber.short_name or chamber.name},
            code="last_chamber_admin",
            field="role",
        )


def _invitation_url(user) -> str:
    """A link to choose a password (allauth's reset-from-key page), for an account made here."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return mail.absolute_url(path)


def staff_role_grant(
    *, chamber: Chamber, email: str, role: str, actor, first_name: str = "", last_name: str = ""
) -> StaffRole:
    """Give the person with `email` a role at `chamber`. Someone without an account gets one,
    without a password, and an invitation to choose it; everyone gets an e-mail saying so."""
    _check_assignable(role)
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    with transaction.atomic():
        chamber = _lock_team(chamber=chamber, actor=actor)
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        user = (
            address.user
            if address is not None
            else get_user_model().objects.filter(email__iexact=email).first()
        )
        invited = user is None
        if invited:
            user = get_user_model().objects.create(
                username=email[:150], email=email, first_name=first_name, last_name=last_name
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            # The invitation goes to this address: using its link proves the address.
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if StaffRole.objects.filter(user=user, chamber=chamber).exists():
            raise DomainError(
                _("%(email)s heeft al een rol bij deze kamer: pas die rol aan in de lijst.")
                % {"email": email},
                code="already_in_team",
                field="email",
            )
        staff_role = StaffRole.objects.create(user=user, chamber=chamber, role=role)
        mail.send_on_commit(
            "staff_role_granted",
            to=[email],
            language=translation.get_language() or settings.LANGUAGE_CODE,
            context=lambda: {
                "chamber": chamber,
                "role": staff_role.get_role_display(),
                "actor_name": actor.get_full_name() or actor.email,
                "first_name": user.first_name,
                "staff_url": mail.absolute_url(reverse("staff:dashboard")),
                "invitation_url": _invitation_url(user) if invited else "",
            },
        )
    return staff_role


def staff_role_change(*, staff_role: StaffRole, role: str, actor) -> StaffRole:
    """Give a member of the team another role at the same chamber."""
    _check_assignable(role)
    with transaction.atomic():
        chamber = _lock_team(chamber=staff_role.chamber, actor=actor)
        staff_role = StaffRole.objects.select_for_update().get(pk=staff_role.pk)
        if staff_role.role == role:
            return staff_role
        if role != StaffRole.Role.CHAMBER_ADMIN:
            _keeps_an_admin(chamber, without=staff_role)
        staff_role.role = role
        staff_role.save(update_fields=["role", "updated_at"])
    return staff_role


def staff_role_revoke(*, staff_role: StaffRole, actor) -> None:
    """Take a role at a chamber away; the account stays (it may hold other roles, or a Person).
    The person is told by e-mail."""
    with transaction.atomic():
        chamber = _lock_team(chamber=staff_role.chamber, actor=actor)
        staff_role = (
            StaffRole.objects.select_for_update().select_related("user").get(pk=staff_role.pk)
        )
        _keeps_an_admin(chamber, without=staff_role)
        user, role_name = staff_role.user, staff_role.get_role_display()
        staff_role.delete()
        mail.send_on_commit(
            "staff_role_revoked",
            to=[user.email],
            language=translation.get_language() or settings.LANGUAGE_CODE,
            context={
                "chamber": chamber,
                "role": role_name,
                "first_name": user.first_name,
                "actor_name": actor.get_full_name() or actor.email,
            },
        )


# --- a chamber's own page ------------------------------------------------------------------------

# What a chamber's admins change on its public page (alliance/public/chambers.py); the name, slug,
# kind and country stay with the alliance admins (the Django admin).
CHAMBER_PAGE_FIELDS = (
    "region_nl",
    "region_fr",
    "region_en",
    "email",
    "phone",
    "website",
    # What its invoices say about the chamber as the seller (docs/invoicing.md): a chamber
    # invoices once its enterprise number, VAT number and IBAN are filled in.
    "enterprise_number",
    "vat_number",
    "street",
    "postcode",
    "municipality",
    "iban",
    "bic",
)


def chamber_page_update(*, chamber: Chamber, data: dict, actor) -> Chamber:
    """Change the texts and contact data of a chamber's public page; only CHAMBER_PAGE_FIELDS
    are taken from `data`, and only a chamber admin of this chamber (or an alliance admin) may."""
    with transaction.atomic():
        if not roles.is_staff_of(actor, chamber, roles.CHAMBER_PAGE_ROLES):
            raise PermissionDenied
        chamber = Chamber.objects.select_for_update().get(pk=chamber.pk)
        changed = [field for field in CHAMBER_PAGE_FIELDS if field in data]
        for field in changed:
            value = data[field]
            setattr(chamber, field, value.strip() if isinstance(value, str) else value)
        try:
            chamber.full_clean(
                exclude=[f.name for f in Chamber._meta.fields if f.name not in changed],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise DomainError(messages[0], code="invalid", field=field) from error
        chamber.save(update_fields=[*changed, "updated_at"])
    return chamber


# --- partners and their agreements ---------------------------------------------------------------

PARTNER_FIELDS = ("name", "kind", "country", "website", "description")
AGREEMENT_FIELDS = ("title", "valid_from", "valid_until", "annual_budget", "notes")


def _check_fields(instance, changed: list[str]) -> None:
    """The model's own checks of the changed fields, as a DomainError next to the first field."""
    try:
        instance.full_clean(
            exclude=[f.name for f in type(instance)._meta.fields if f.name not in changed],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], code="invalid", field=field) from error


def _set_fields(instance, fields, data: dict) -> list[str]:
    changed = [field for field in fields if field in data]
    for field in changed:
        value = data[field]
        setattr(instance, field, value.strip() if isinstance(value, str) else value)
    return changed


def _partner_name_taken(partner: Partner) -> None:
    if Partner.objects.filter(name__iexact=partner.name).exclude(pk=partner.pk).exists():
        raise DomainError(
            _("Er bestaat al een partner met deze naam."), code="partner_name_taken", field="name"
        )


def partner_create(*, data: dict, actor) -> Partner:
    """A new partner of the alliance (alliance admins). Its address (slug) comes from its name."""
    if not roles.is_alliance_admin(actor):
        raise PermissionDenied
    partner = Partner()
    changed = _set_fields(partner, PARTNER_FIELDS, data)
    partner.country = (partner.country or "BE").upper()
    _check_fields(partner, changed)
    with transaction.atomic():
        _partner_name_taken(partner)
        base = slugify(partner.name)[:70] or "partner"
        slug, number = base, 2
        while Partner.objects.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        partner.slug = slug
        try:
            with transaction.atomic():
                partner.save()
        except IntegrityError as error:  # the same name, saved at the same moment
            raise DomainError(
                _("Er bestaat al een partner met deze naam."),
                code="partner_name_taken",
                field="name",
            ) from error
    return partner


def partner_update(*, partner: Partner, data: dict, actor) -> Partner:
    """Change a partner's name, kind, country, website or description (alliance admins)."""
    if not roles.is_alliance_admin(actor):
        raise PermissionDenied
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        changed = _set_fields(partner, PARTNER_FIELDS, data)
        partner.country = partner.country.upper()
        _check_fields(partner, changed)
        _partner_name_taken(partner)
        partner.save(update_fields=[*changed, "updated_at"])
    return partner


def _check_period(agreement: PartnerAgreement) -> None:
    if agreement.valid_until and agreement.valid_until < agreement.valid_from:
        raise DomainError(
            _("Een overeenkomst eindigt niet voor ze begint."),
            code="agreement_ends_before_start",
            field="valid_until",
        )


def agreement_create(
    *,
    partner: Partner,
    data: dict,
    actor,
    alliance=None,
    chamber: Chamber | None = None,
    competence_centres=(),
    sectors=(),
) -> PartnerAgreement:
    """A partner agreement with the whole alliance or with one chamber, and its themes (the
    competence centres and sectors it is about)."""
    if (alliance is None) == (chamber is None):
        raise DomainError(
            _("Een overeenkomst is met de hele alliantie of met één kamer."),
            code="agreement_party",
            field="chamber",
        )
    if not permissions.may_make_agreement_with(actor, alliance=alliance, chamber=chamber):
        raise PermissionDenied
    agreement = PartnerAgreement(partner=partner, alliance=alliance, chamber=chamber)
    changed = _set_fields(agreement, AGREEMENT_FIELDS, data)
    _check_fields(agreement, changed)
    _check_period(agreement)
    with transaction.atomic():
        agreement.save()
        agreement.competence_centres.set(competence_centres)
        agreement.sectors.set(sectors)
    return agreement


def agreement_update(
    *, agreement: PartnerAgreement, data: dict, actor, competence_centres=None, sectors=None
) -> PartnerAgreement:
    """Change an agreement's title, period, budget, notes and themes (not who it is with)."""
    if not permissions.can_manage_agreement(actor, agreement):
        raise PermissionDenied
    with transaction.atomic():
        agreement = PartnerAgreement.objects.select_for_update().get(pk=agreement.pk)
        changed = _set_fields(agreement, AGREEMENT_FIELDS, data)
        _check_fields(agreement, changed)
        _check_period(agreement)
        agreement.save(update_fields=[*changed, "updated_at"])
        if competence_centres is not None:
            agreement.competence_centres.set(competence_centres)
        if sectors is not None:
            agreement.sectors.set(sectors)
    return agreement


def agreement_end(
    *, agreement: PartnerAgreement, actor, on: datetime.date | None = None
) -> PartnerAgreement:
    """End an agreement on `on` (today): it is valid until then, and kept with its history."""
    if not permissions.can_manage_agreement(actor, agreement):
        raise PermissionDenied
    on = on or timezone.localdate()
    with transaction.atomic():
        agreement = PartnerAgreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.valid_until is not None and agreement.valid_until <= on:
            raise DomainError(
                _("Deze overeenkomst is al afgelopen."), code="agreement_already_ended"
            )
        if agreement.valid_from > on:
            raise DomainError(
                _(
                    "Deze overeenkomst begint pas op %(date)s: pas de begindatum aan in plaats "
                    "van ze te beëindigen."
                )
                % {"date": date_format(agreement.valid_from)},
                code="agreement_not_started",
            )
        agreement.valid_until = on
        agreement.save(update_fields=["valid_until", "updated_at"])
    return agreement

"""The back-office's partners (/staff/partners/): agreements, joint events, API keys, webhooks.

Alliance admins add and change partners; agreements are made, changed and ended by alliance
admins (any) and chamber admins (those with their own chamber), chambers/permissions.py.

Staff only: a visitor is sent to log in, a user without a staff role gets a 403. A partner the
user's chambers have no agreement with is a 404. Making and revoking keys needs PARTNER_ROLES
(chambers/permissions.py); the writes are chambers.services.api_key_create / api_key_rotate /
api_key_revoke.
A new key is shown once, in the answer to the POST that made it: only its hash is stored.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.base.models import DomainError
from alliance.base.views import run_service
from alliance.security import require_recent_authentication
from alliance.staff.base import StaffListView, staff_required
from alliance.staff.forms.partners import AgreementForm, ApiKeyForm, PartnerForm
from chambers import permissions, roles, services
from chambers.models import Alliance, Partner, PartnerAPIKey, WebhookDelivery
from events.models import Event

EVENTS_IN_LIST = 5
DELIVERIES_SHOWN = 10


def _events(user):
    """Joint events; drafts only of the user's own chambers."""
    read_ids = roles.chamber_ids_where(user, roles.READ_ROLES)
    return (
        Event.objects.filter(~Q(status=Event.Status.DRAFT) | Q(organiser_id__in=read_ids))
        .select_related("organiser")
        .order_by("-starts_at", "pk")
    )


def _agreements(user):
    return (
        permissions.visible_agreements(user)
        .select_related("alliance", "chamber")
        .prefetch_related("competence_centres", "sectors")
        .order_by("-valid_from", "pk")
    )


class PartnerListView(StaffListView):
    """The partners of the user's chambers and of the alliance, with agreements and joint events."""

    section = "partners"
    template_name = "staff/partners/list.html"
    context_object_name = "partners"

    def get_queryset(self):
        user = self.request.user
        return (
            permissions.staff_partners(user)
            .annotate(event_count=Count("events", distinct=True))
            .prefetch_related(
                Prefetch("agreements", queryset=_agreements(user), to_attr="shown_agreements"),
                Prefetch(
                    "events", queryset=_events(user)[:EVENTS_IN_LIST], to_attr="recent_events"
                ),
            )
            .order_by("name", "pk")
        )

    def get_context_data(self, **context):
        return context | {"may_add_partners": permissions.may_add_partners(self.request.user)}


partner_list = PartnerListView.as_view()


def _partner_for(request, slug: str) -> Partner:
    return get_object_or_404(permissions.staff_partners(request.user), slug=slug)


def _key_form(request, data=None):
    return ApiKeyForm(
        data,
        chambers=permissions.key_chamber_choices(request.user),
        must_limit=permissions.must_limit_key(request.user),
    )


def _render_detail(request, partner: Partner, form=None, status: int = 200):
    user = request.user
    can_manage = permissions.can_manage_partner(user, partner)
    keys = list(partner.api_keys.prefetch_related("chambers").order_by("revoked", "-created", "pk"))
    for api_key in keys:
        api_key.can_revoke = can_manage and permissions.can_revoke_key(user, api_key)
    endpoints = partner.webhook_endpoints.prefetch_related(
        "chambers",
        Prefetch(
            "deliveries",
            queryset=WebhookDelivery.objects.order_by("-created_at", "pk")[:DELIVERIES_SHOWN],
            to_attr="recent_deliveries",
        ),
    ).order_by("-created_at", "pk")
    if can_manage and form is None:
        form = _key_form(request)
    agreements = list(_agreements(user).filter(partner=partner))
    for agreement in agreements:
        agreement.can_manage = permissions.can_manage_agreement(user, agreement)
        agreement.is_over = bool(
            agreement.valid_until and agreement.valid_until < timezone.localdate()
        )
    return render(
        request,
        "staff/partners/detail.html",
        {
            "staff_section": "partners",
            "partner": partner,
            "agreements": agreements,
            "events": _events(user).filter(partners=partner),
            "api_keys": keys,
            "endpoints": endpoints,
            "deliveries_shown": DELIVERIES_SHOWN,
            "can_manage": can_manage,
            "may_edit_partner": permissions.may_add_partners(user),
            "may_make_agreements": permissions.may_make_agreements(user),
            "form": form,
        },
        status=status,
    )


@require_GET
@staff_required
def partner_detail(request, slug):
    """One partner: agreements, joint events, API keys (and a form for a new one), webhooks."""
    return _render_detail(request, _partner_for(request, slug))


@require_POST
@never_cache
@staff_required
def api_key_create(request, slug):
    """Make a key and show it this once; a reload or the detail page never shows it again.

    A key reads the partner's data through the API: the user confirms who they are first
    (a code for staff with TOTP) unless the session did so a few minutes ago; the form is kept
    and sent on afterwards."""
    partner = _partner_for(request, slug)
    if not permissions.can_manage_partner(request.user, partner):
        raise PermissionDenied
    require_recent_authentication(request)
    form = _key_form(request, request.POST)
    if form.is_valid():
        try:
            api_key, key = services.api_key_create(
                partner=partner,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                chambers=form.cleaned_data["chambers"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request,
                "staff/partners/key_created.html",
                {"staff_section": "partners", "partner": partner, "api_key": api_key, "key": key},
            )
    return _render_detail(request, partner, form=form, status=400)


@require_POST
@never_cache
@staff_required
def api_key_rotate(request, slug, prefix):
    """A successor for a key, shown once; the old key keeps working a few days
    (API_KEY_ROTATION_OVERLAP_DAYS) so the partner can switch. Who may revoke it may rotate it,
    after confirming who they are."""
    partner = _partner_for(request, slug)
    api_key = get_object_or_404(
        PartnerAPIKey.objects.prefetch_related("chambers"), partner=partner, prefix=prefix
    )
    if not permissions.can_manage_partner(request.user, partner):
        raise PermissionDenied
    if not permissions.can_revoke_key(request.user, api_key):
        raise PermissionDenied
    require_recent_authentication(request)
    try:
        successor, key = services.api_key_rotate(api_key=api_key)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("staff:partner_detail", slug=partner.slug)
    api_key.refresh_from_db(fields=["expiry_date"])
    return render(
        request,
        "staff/partners/key_created.html",
        {
            "staff_section": "partners",
            "partner": partner,
            "api_key": successor,
            "key": key,
            "replaced": api_key,
        },
    )


@require_POST
@staff_required
def api_key_revoke(request, slug, prefix):
    """Revoke a key at once: its next call to the API gets 401."""
    partner = _partner_for(request, slug)
    api_key = get_object_or_404(
        PartnerAPIKey.objects.prefetch_related("chambers"), partner=partner, prefix=prefix
    )
    if not permissions.can_manage_partner(request.user, partner):
        raise PermissionDenied
    if not api_key.revoked and not permissions.can_revoke_key(request.user, api_key):
        raise PermissionDenied
    run_service(
        request,
        lambda: services.api_key_revoke(api_key=api_key),
        success=_("Sleutel %(prefix)s is ingetrokken.") % {"prefix": api_key.prefix},
    )
    return redirect("staff:partner_detail", slug=partner.slug)


# --- partners and their agreements: alliance admins make partners; chamber admins agreements
# with their own chamber (chambers/permissions.py).


@require_http_methods(["GET", "POST"])
@staff_required(permission=permissions.may_add_partners)
def partner_new(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = run_service(
            request,
            lambda: services.partner_create(data=form.cleaned_data, actor=request.user),
            success=lambda made: _("Partner %(name)s is aangemaakt.") % {"name": made.name},
            form=form,
        )
        if partner:
            return redirect("staff:partner_detail", slug=partner.slug)
    return _render_form(request, "staff/partners/partner_form.html", form, None)


@require_http_methods(["GET", "POST"])
@staff_required(permission=permissions.may_add_partners)
def partner_edit(request, slug):
    partner = _partner_for(request, slug)
    form = PartnerForm(request.POST or None, instance=Partner.objects.get(pk=partner.pk))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.partner_update(
                partner=partner, data=form.cleaned_data, actor=request.user
            ),
            success=lambda changed: _("Partner %(name)s is bewaard.") % {"name": changed.name},
            form=form,
        )
        if done:
            return redirect("staff:partner_detail", slug=partner.slug)
    return _render_form(request, "staff/partners/partner_form.html", form, partner)


def _render_form(request, template, form, partner, **context):
    return render(
        request,
        template,
        {"staff_section": "partners", "partner": partner, "form": form, **context},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required(permission=permissions.may_make_agreements)
def agreement_new(request, slug):
    """An agreement with one of the user's chambers (alliance admins: any, or the alliance)."""
    partner = _partner_for(request, slug)
    user = request.user
    form = AgreementForm(
        request.POST or None,
        chambers=roles.chambers_where(user, roles.PARTNER_ROLES).order_by("name"),
        alliances=Alliance.objects.order_by("name") if roles.is_alliance_admin(user) else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agreement = run_service(
            request,
            lambda: services.agreement_create(
                partner=partner,
                chamber=data.get("chamber"),
                alliance=data.get("alliance"),
                data=data,
                competence_centres=data["competence_centres"],
                sectors=data["sectors"],
                actor=user,
            ),
            success=lambda made: _("Overeenkomst %(title)s is aangemaakt.") % {"title": made.title},
            form=form,
        )
        if agreement:
            return redirect("staff:partner_detail", slug=partner.slug)
    return _render_form(request, "staff/partners/agreement_form.html", form, partner)


def _agreement_for(request, partner, pk):
    agreement = get_object_or_404(
        permissions.visible_agreements(request.user)
        .filter(partner=partner)
        .select_related("alliance", "chamber"),
        pk=pk,
    )
    if not permissions.can_manage_agreement(request.user, agreement):
        raise PermissionDenied
    return agreement


@require_http_methods(["GET", "POST"])
@staff_required(permission=permissions.may_make_agreements)
def agreement_edit(request, slug, pk):
    partner = _partner_for(request, slug)
    agreement = _agreement_for(request, partner, pk)
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.agreement_update(
                agreement=agreement,
                data=data,
                competence_centres=data["competence_centres"],
                sectors=data["sectors"],
                actor=request.user,
            ),
            success=lambda changed: (
                _("Overeenkomst %(title)s is bewaard.") % {"title": changed.title}
            ),
            form=form,
        )
        if done:
            return redirect("staff:partner_detail", slug=partner.slug)
    return _render_form(
        request, "staff/partners/agreement_form.html", form, partner, agreement=agreement
    )


@require_POST
@staff_required(permission=permissions.may_make_agreements)
def agreement_end(request, slug, pk):
    """End an agreement today; it stays in the list with its end date."""
    partner = _partner_for(request, slug)
    agreement = _agreement_for(request, partner, pk)
    run_service(
        request,
        lambda: services.agreement_end(agreement=agreement, actor=request.user),
        success=_("Overeenkomst %(title)s loopt vandaag af.") % {"title": agreement.title},
    )
    return redirect("staff:partner_detail", slug=partner.slug)

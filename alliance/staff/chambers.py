"""A chamber's own page and the competence centres it leads (/staff/chambers/, /staff/centres/).

Only CHAMBER_PAGE_ROLES open them (chambers/roles.py): a chamber admin edits the public page of
their own chambers and the centres those chambers lead, with the centres' services; an alliance
admin those of every chamber. Anyone else with a staff role gets a 403; a chamber or centre
outside the user's chambers is a 404. The writes are chambers.services.chamber_page_update and
competences.services centre_create / centre_update / service_create / service_update.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alliance.base.views import run_service
from alliance.staff.base import staff_required
from alliance.staff.forms.chambers import CentreForm, CentreNewForm, ChamberPageForm, ServiceForm
from chambers import permissions, roles
from chambers import services as chamber_services
from competences import services as centre_services
from competences.models import CompetenceCentre, Service

SECTION = "chambers"


def _chamber_ids(user) -> frozenset[int]:
    return roles.chamber_ids_where(user, roles.CHAMBER_PAGE_ROLES)


@require_GET
@staff_required(permission=roles.may_edit_chambers)
def chamber_list(request):
    """The user's chambers, each with the centres it leads (active or not)."""
    chambers = (
        permissions.editable_chambers(request.user)
        .prefetch_related(
            Prefetch(
                "led_centres",
                queryset=CompetenceCentre.objects.order_by("-is_active", "name"),
                to_attr="centres",
            )
        )
        .order_by("name")
    )
    return render(
        request, "staff/chambers/list.html", {"staff_section": SECTION, "chambers": chambers}
    )


@require_http_methods(["GET", "POST"])
@staff_required(permission=roles.may_edit_chambers)
def chamber_edit(request, slug):
    """A chamber's public page: its region in three languages, e-mail, phone and website."""
    chamber = get_object_or_404(permissions.editable_chambers(request.user), slug=slug)
    form = ChamberPageForm(request.POST or None, instance=chamber)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: chamber_services.chamber_page_update(
                chamber=chamber, data=form.cleaned_data, actor=request.user
            ),
            success=_("De pagina van %(chamber)s is bijgewerkt.")
            % {"chamber": chamber.short_name or chamber.name},
            form=form,
        )
        if done:
            return redirect("staff:chambers")
    return render(
        request,
        "staff/chambers/form.html",
        {
            "staff_section": SECTION,
            "chamber": chamber,
            "form": form,
            "title": _("Pagina van %(chamber)s") % {"chamber": chamber.short_name},
        },
        status=400 if form.errors else 200,
    )


def _centre_for(request, slug) -> CompetenceCentre:
    return get_object_or_404(
        CompetenceCentre.objects.led_by(_chamber_ids(request.user)).for_listing(), slug=slug
    )


@require_http_methods(["GET", "POST"])
@staff_required(permission=roles.may_edit_chambers)
def centre_new(request):
    """A new centre, led by one of the user's chambers."""
    form = CentreNewForm(request.POST or None, chamber_ids=_chamber_ids(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        centre = run_service(
            request,
            lambda: centre_services.centre_create(
                lead_chamber=data["lead_chamber"],
                alliance=data["alliance"],
                data=data,
                actor=request.user,
            ),
            success=lambda made: (
                _("Competentiecentrum %(name)s is aangemaakt.") % {"name": made.name_nl}
            ),
            form=form,
        )
        if centre:
            return redirect("staff:centre_edit", slug=centre.slug)
    return render(
        request,
        "staff/chambers/centre_form.html",
        {"staff_section": SECTION, "form": form, "title": _("Nieuw competentiecentrum")},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required(permission=roles.may_edit_chambers)
def centre_edit(request, slug):
    """One centre: its texts, active or not, and the list of its services."""
    centre = _centre_for(request, slug)
    form = CentreForm(request.POST or None, instance=centre)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: centre_services.centre_update(
                centre=centre, data=form.cleaned_data, actor=request.user
            ),
            success=lambda changed: (
                _("Competentiecentrum %(name)s is bewaard.") % {"name": changed.name_nl}
            ),
            form=form,
        )
        if done:
            return redirect("staff:centre_edit", slug=centre.slug)
    return render(
        request,
        "staff/chambers/centre_form.html",
        {
            "staff_section": SECTION,
            "centre": centre,
            "form": form,
            "services": centre.services.order_by("-is_active", "name"),
            "title": centre.name,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required(permission=roles.may_edit_chambers)
def service_new(request, slug):
    centre = _centre_for(request, slug)
    form = ServiceForm(request.POST or None, instance=Service(centre=centre))
    if request.method == "POST" and form.is_valid():
        service = run_service(
            request,
            lambda: centre_services.service_create(
                centre=centre, data=form.cleaned_data, actor=request.user
            ),
            success=lambda made: _("Dienst %(name)s is aangemaakt.") % {"name": made.name_nl},
            form=form,
        )
        if service:
            return redirect("staff:centre_edit", slug=centre.slug)
    return render(
        request,
        "staff/chambers/service_form.html",
        {"staff_section": SECTION, "centre": centre, "form": form, "title": _("Nieuwe dienst")},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required(permission=roles.may_edit_chambers)
def service_edit(request, slug, pk):
    centre = _centre_for(request, slug)
    service = get_object_or_404(centre.services, pk=pk)
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: centre_services.service_update(
                service=service, data=form.cleaned_data, actor=request.user
            ),
            success=lambda changed: _("Dienst %(name)s is bewaard.") % {"name": changed.name_nl},
            form=form,
        )
        if done:
            return redirect("staff:centre_edit", slug=centre.slug)
    return render(
        request,
        "staff/chambers/service_form.html",
        {
            "staff_section": SECTION,
            "centre": centre,
            "service": service,
            "form": form,
            "title": service.name,
        },
        status=400 if form.errors else 200,
    )

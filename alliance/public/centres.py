"""The competence-centre pages: the list, one centre, and asking a centre for help.

They live on the top floor (alliance/public/) because a centre's page shows events and writes a
member's service request, and competences sits below both events and members.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from alliance.base.models import DomainError
from alliance.base.ratelimits import consume_or_429
from competences.forms import CentreQuestionForm
from competences.models import CompetenceCentre
from events.models import Event
from events.selectors import member_chambers_of, priced_for
from members.permissions import person_of
from members.service_requests import service_request_create

# How many coming events a centre's page shows before pointing to the filtered events list.
EVENTS_SHOWN = 12


def centres_for_listing():
    """Every centre with its lead chamber, its number of active services and coming events."""
    upcoming = (
        Event.objects.published()
        .upcoming()
        .filter(centre=OuterRef("pk"))
        .order_by()
        .values("centre")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        CompetenceCentre.objects.active()
        .for_listing()
        .annotate(
            service_count=Count("services", filter=Q(services__is_active=True)),
            upcoming_event_count=Coalesce(Subquery(upcoming), 0),
        )
        .order_by("lead_chamber__name", "name")
    )


class CentreListView(ListView):
    """All competence centres, grouped by the chamber that leads them."""

    template_name = "competences/centre_list.html"
    context_object_name = "centres"

    def get_queryset(self):
        return centres_for_listing()


class CentreDetailView(View):
    """One centre: what it does, who leads it, its services, its coming events and the form."""

    template_name = "competences/centre_detail.html"

    def get(self, request, slug):
        centre = get_centre(slug)
        person = person_of(request.user)
        form = CentreQuestionForm(centre=centre) if person else None
        return render_centre(request, centre, person, form)


class CentreAskView(View):
    """Ask a centre for help: a service request for the person's company, then e-mails."""

    def post(self, request, slug):
        centre = get_centre(slug)
        if not request.user.is_authenticated:
            return redirect_to_login(centre_url(centre))
        person = person_of(request.user)
        if person is None:
            messages.error(
                request,
                _("Sluit je eerst aan bij je onderneming om een vraag te stellen."),
            )
            return redirect(centre_url(centre))
        refused = consume_or_429(request, "service_request")
        if refused:
            return refused
        form = CentreQuestionForm(request.POST, centre=centre)
        if form.is_valid():
            try:
                service_request_create(
                    person=person,
                    centre=centre,
                    service=form.cleaned_data["service"],
                    message=form.cleaned_data["message"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Je vraag is verstuurd naar %(centre)s. Je krijgt een bevestiging "
                        "per e-mail en %(chamber)s neemt contact met je op."
                    )
                    % {"centre": centre.name, "chamber": centre.lead_chamber.name},
                )
                # The form's own #vraag would carry over the redirect and land on the empty
                # form; the confirmation is at the top of the content, so land there.
                return redirect(centre_url(centre) + "#bevestiging")
        return render_centre(request, centre, person, form)


def get_centre(slug) -> CompetenceCentre:
    return get_object_or_404(CompetenceCentre.objects.active().for_listing(), slug=slug)


def centre_url(centre) -> str:
    return reverse("competences:detail", args=[centre.slug])


def render_centre(request, centre, person, form) -> TemplateResponse:
    events = (
        Event.objects.published()
        .upcoming()
        .for_listing()
        .filter(centre=centre)
        .order_by("starts_at")
    )
    shown = priced_for(events[: EVENTS_SHOWN + 1], member_chambers_of(person))
    context = {
        "centre": centre,
        "chamber": centre.lead_chamber,
        "services": centre.services.active().order_by("kind", "name"),
        "events": shown[:EVENTS_SHOWN],
        "more_events": len(shown) > EVENTS_SHOWN,
        "person": person,
        "form": form,
    }
    return TemplateResponse(request, CentreDetailView.template_name, context)

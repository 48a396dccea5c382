"""A chamber's page: who it is, how to reach it, its accreditation, the centres it leads and its
coming events.

It lives on the top floor because it shows events, which sit above chambers.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from chambers import accreditation
from chambers.models import AllianceChamber, Chamber
from competences.models import CompetenceCentre
from events.models import Event
from events.selectors import member_chambers_of, priced_for
from members.permissions import person_of

# How many coming events the page shows before pointing to /events/?chamber=<slug>.
EVENTS_SHOWN = 10

# The countries where chambers of the alliance and the bilateral chambers are based; others show
# their ISO code.
COUNTRY_NAMES = {
    "BE": _("België"),
    "NL": _("Nederland"),
    "FR": _("Frankrijk"),
    "DE": _("Duitsland"),
    "LU": _("Luxemburg"),
    "GB": _("Verenigd Koninkrijk"),
    "US": _("Verenigde Staten"),
    "CN": _("China"),
    "IN": _("India"),
    "JP": _("Japan"),
}


def chamber_events(chamber: Chamber):
    """Coming published events the chamber organises or co-organises."""
    return (
        Event.objects.published()
        .upcoming()
        .for_listing()
        .organised_or_co_organised_by(chamber)
        .order_by("starts_at")
    )


class ChamberDetailView(DetailView):
    """One active chamber; an inactive or unknown one is a 404."""

    template_name = "chambers/chamber_detail.html"
    context_object_name = "chamber"

    def get_object(self, queryset=None):
        return get_object_or_404(Chamber.objects.active(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chamber = self.object
        events = chamber_events(chamber)
        shown = priced_for(
            events[: EVENTS_SHOWN + 1], member_chambers_of(person_of(self.request.user))
        )
        memberships = list(
            AllianceChamber.objects.filter(chamber=chamber)
            .select_related("alliance")
            .order_by("alliance__name")
        )
        context.update(
            country_name=COUNTRY_NAMES.get(chamber.country, chamber.country),
            alliance_memberships=memberships,
            allied_chambers=list(
                Chamber.objects.active()
                .filter(alliances__in=[m.alliance_id for m in memberships])
                .exclude(pk=chamber.pk)
                .distinct()
                .order_by("name")
            )
            if memberships
            else [],
            centres=CompetenceCentre.objects.active().filter(lead_chamber=chamber).order_by("name"),
            events=shown[:EVENTS_SHOWN],
            more_events=len(shown) > EVENTS_SHOWN,
            accreditation=accreditation.public_status(chamber),
        )
        return context

"""The home page and the search over everything: they read every app, so they live on top."""

from django.views.generic import TemplateView

from chambers.models import Alliance
from competences.models import CompetenceCentre, Service
from events.filtersets import EventFilterSet
from events.models import Event
from events.selectors import member_chambers_of, priced_for
from members import search as directory
from members.models import Company, Membership
from members.permissions import person_of


class HomeView(TemplateView):
    """The alliance at a glance: its chambers, the centres and who leads them, what comes next."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            alliance=Alliance.objects.prefetch_related("memberships__chamber").first(),
            centres=CompetenceCentre.objects.active()
            .for_listing()
            .order_by("lead_chamber__name", "name"),
            next_events=priced_for(
                Event.objects.published().upcoming().for_listing()[:6],
                member_chambers_of(person_of(self.request.user)),
            ),
            member_count=Company.objects.filter(
                pk__in=Membership.objects.current().values("company_id")
            ).count(),
        )
        return context


class SearchView(TemplateView):
    """One search box over events, services and member companies (the home page's)."""

    template_name = "search.html"
    LIMIT = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "").strip()[:200]
        context["q"] = text
        if not text:
            return context
        events = EventFilterSet(
            {"q": text}, queryset=Event.objects.published().upcoming().for_listing()
        ).qs[: self.LIMIT]
        context.update(
            events=priced_for(events, member_chambers_of(person_of(self.request.user))),
            services=Service.objects.active().for_listing().search(text)[: self.LIMIT],
            companies=directory.search(directory.in_public_directory(Company.objects.all()), text)[
                : self.LIMIT
            ],
        )
        return context

"""Cross-app pages: the home page, the search over everything, the health check."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from alliance import health
from chambers.models import Alliance
from competences.models import CompetenceCentre, Service
from events.filtersets import EventFilterSet
from events.models import Event
from events.permissions import person_of
from events.selectors import member_chambers_of, priced_for
from members import search as directory
from members.models import Company, Membership


class HomeView(TemplateView):
    """The alliance at a glance: its chambers, the centres and who leads them, what comes next."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            alliance=Alliance.objects.prefetch_related("memberships__chamber").first(),
            centres=CompetenceCentre.objects.for_listing().order_by("lead_chamber__name", "name"),
            next_events=priced_for(
                Event.objects.published().upcoming().for_listing()[:6],
                member_chambers_of(person_of(self.request.user)),
            ),
            member_count=Company.objects.filter(
                pk__in=Membership.objects.current().values("company_id")
            ).count(),
        )
        return context


@never_cache
@require_GET
def healthz(request):
    parts = {"database": health.database_status(), "broker": health.broker_status()}
    healthy = all(state in ("ok", "eager") for state in parts.values())
    body = {"status": "ok" if healthy else "error", **parts}
    if not healthy:
        body["failing"] = [name for name, state in parts.items() if state == "error"]
    return JsonResponse(body, status=200 if healthy else 503)


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

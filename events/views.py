"""The events pages: the list with its filters and calendar feed, one event, registering."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView, TemplateView

from alliance.base.models import DomainError
from alliance.base.qr import qr_svg
from alliance.base.ratelimits import consume_or_429
from alliance.base.views import paginate, query_string, run_service
from events import bookings, calendar, free_seats, missions, seats, selectors, services
from events.filtersets import EventFilterSet
from events.forms import (
    CompanyBookingForm,
    MissionApplicationForm,
    MissionFollowUpForm,
    ProspectRegistrationForm,
    RegistrationConfirmForm,
    SubstituteForm,
)
from events.models import Event, MissionChoice, Registration
from events.permissions import can_register
from events.rules import price_with_vat, terms_for
from members.permissions import person_of
from members.selectors import colleagues_of

PAGE_SIZE = 20
NOT_FOLDED = {"page", "q", "past"}


def filtered_events(request) -> EventFilterSet:
    """The filter set over upcoming published events (all of them with ?past=1)."""
    events = Event.objects.published().for_listing()
    if request.GET.get("past") != "1":
        events = events.upcoming()
    return EventFilterSet(request.GET, queryset=events.order_by("starts_at"))


class EventListView(TemplateView):
    """Every published event of every chamber, filtered through the URL."""

    def get_template_names(self):
        if self.request.htmx:
            return ["events/_event_results.html"]
        return ["events/event_list.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = filtered_events(self.request)
        events = filterset.qs if filterset.is_valid() else Event.objects.none()
        page = paginate(self.request, events, PAGE_SIZE)
        member_chambers = selectors.member_chambers_of(person_of(self.request.user))
        events = selectors.priced_for(page.object_list, member_chambers)
        context.update(
            filterset=filterset,
            page=page,
            events=events,
            is_member=bool(member_chambers),
            query_string=query_string(self.request),
            has_filters=any(value for key, value in self.request.GET.items() if key != "page"),
            # The filters behind the phone's "Filters" button (the search field stays outside).
            filters_in_use=sum(
                1 for key, value in self.request.GET.items() if value and key not in NOT_FOLDED
            ),
        )
        return context


def event_list_calendar(request):
    """The filtered list as an iCal feed, for a calendar subscription."""
    filterset = filtered_events(request)
    if not filterset.is_valid():
        return HttpResponse(_("Ongeldige filter."), status=400, content_type="text/plain")
    body = calendar.calendar_for(filterset.qs[:500], name=_("Activiteiten van de alliantie"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return selectors.public_events().for_listing().prefetch_related("partners")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        person = person_of(self.request.user)
        registration = selectors.live_registration(event, person)
        terms = terms_for(event, person.company if person else None)
        # Seats reserved per chamber: what is left for this member (their chamber's and the pool).
        chamber_id = terms.via_chamber.pk if terms.via_chamber else None
        allowance = seats.allowance(event)
        places_left = (
            allowance.left_for(chamber_id)
            if allowance
            else event.places_left(taken=event.places_taken_count)
        )
        context.update(
            person=person,
            can_register=can_register(self.request.user),
            terms=terms,
            free_seats=free_seats.free_seats_for(event, person.company if person else None, terms),
            places_left=places_left,
            reserved_left=allowance.own_left(chamber_id) if allowance else 0,
            registration=registration,
            rank=services.waiting_list_rank(registration) if registration else None,
            registration_open=event.registration_is_open(),
            registration_state=seats.state_for(
                event, event.registration_state(), places_left, allocated=allowance is not None
            ),
            # A confirmed place past the deadline of an event that refuses late cancellations.
            cancellation_refused=registration is not None and registration.cancellation_refused,
            started=timezone.now() >= event.starts_at,
            now=timezone.now(),
            # An event that selects participants: the company's application instead of a button.
            mission_choice=(
                MissionChoice.objects.filter(event=event, company=person.company)
                .exclude(status=MissionChoice.Status.WITHDRAWN)
                .first()
                if event.selects_participants and person is not None
                else None
            ),
            substitute_form=(
                SubstituteForm(colleagues=colleagues_of(person))
                if registration is not None
                and registration.status == Registration.Status.CONFIRMED
                and timezone.now() < event.starts_at
                else None
            ),
        )
        return context


def event_calendar(request, slug):
    event = get_object_or_404(selectors.public_events().select_related("organiser"), slug=slug)
    response = HttpResponse(calendar.calendar_file(event), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def register(request, slug):
    """GET: the confirmation step (what it costs, on which terms, the invoice details, a
    purchase order number); POST: the registration itself."""
    event = get_object_or_404(selectors.public_events().select_related("organiser"), slug=slug)
    person = person_of(request.user)
    if person is None:
        messages.error(request, _("Sluit je eerst aan bij je onderneming om in te schrijven."))
        return redirect("me:home")
    form = RegistrationConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        if selectors.live_registration(event, person) is not None:
            return redirect("events:detail", slug=event.slug)
        terms = terms_for(event, person.company)
        free = free_seats.free_seats_for(event, person.company, terms)
        return render(
            request,
            "events/register_confirm.html",
            {
                "event": event,
                "person": person,
                "company": person.company,
                "terms": terms,
                "free_seats": free,
                "prices": price_with_vat(terms.price if not (free and free.left) else Decimal(0)),
                "registration_state": event.registration_state(),
                "form": form,
            },
            status=200 if request.method == "GET" else 400,
        )
    try:
        registration = services.registration_create(
            event=event, person=person, purchase_order=form.cleaned_data["purchase_order"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if registration.holds_a_place:
            messages.success(request, _("Je bent ingeschreven. De bevestiging zit in je mailbox."))
        else:
            rank = services.waiting_list_rank(registration)
            messages.warning(
                request,
                _("Deze activiteit is volzet. Je staat op de wachtlijst (plaats %(rank)s).")
                % {"rank": rank},
            )
    return redirect("events:detail", slug=event.slug)


@require_http_methods(["GET", "POST"])
def register_prospect(request, slug):
    """A non-member registers for an event open to everyone, without an account or with one
    that belongs to no company yet (events.services.registration_create_prospect).

    GET: the form, with the non-member price; POST: the registration, then the ticket. Limited
    per address (SIGN_UP_REQUESTS_PER_HOUR): nobody fills the database with companies by script.
    """
    event = get_object_or_404(selectors.public_events().select_related("organiser"), slug=slug)
    if person_of(request.user) is not None:
        return redirect("events:register", slug=event.slug)
    account_email = request.user.email if request.user.is_authenticated else None
    initial = {"preferred_language": request.LANGUAGE_CODE[:2]}
    if request.user.is_authenticated:
        initial |= {"first_name": request.user.first_name, "last_name": request.user.last_name}
    form = ProspectRegistrationForm(
        request.POST if request.method == "POST" else None,
        account_email=account_email,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        refused = consume_or_429(request, "prospect_registration")
        if refused:
            return refused
        if form.is_valid():
            data = form.cleaned_data
            registration = run_service(
                request,
                lambda: services.registration_create_prospect(
                    event=event,
                    identifier=data["identifier"],
                    company_data=form.company_data(),
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    job_title=data["job_title"],
                    email=account_email or data["email"],
                    preferred_language=data["preferred_language"],
                    user=request.user if request.user.is_authenticated else None,
                ),
                form=form,
            )
            if registration:
                if registration.holds_a_place:
                    messages.success(
                        request, _("Je bent ingeschreven. De bevestiging zit in je mailbox.")
                    )
                else:
                    messages.warning(
                        request,
                        _("Deze activiteit is volzet. Je staat op de wachtlijst (plaats %(rank)s).")
                        % {"rank": services.waiting_list_rank(registration)},
                    )
                return redirect("events:ticket", code=registration.ticket_code)
    return render(
        request,
        "events/register_prospect.html",
        {
            "event": event,
            "form": form,
            "prices": price_with_vat(event.non_member_price),
            "registration_state": event.registration_state(),
            "registration_open": event.registration_is_open(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def cancel(request, slug):
    """GET: the confirmation step, with what cancelling now costs; POST: the cancellation."""
    event = get_object_or_404(selectors.public_events(), slug=slug)
    registration = selectors.live_registration(event, person_of(request.user))
    if registration is None:
        raise Http404
    if request.method == "GET":
        now = timezone.now()
        late = registration.holds_a_place and now >= event.cancellation_deadline
        return render(
            request,
            "events/cancel_confirm.html",
            {
                "event": event,
                "registration": registration,
                "late": late,
                "refused": registration.cancellation_refused,
                "fee": event.late_cancellation_fee if late else None,
                "next": request.GET.get("next", ""),
            },
        )
    try:
        services.registration_cancel(registration=registration)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Je inschrijving is geannuleerd."))
    next_url = request.POST.get("next")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return redirect(next_url)
    return redirect("events:detail", slug=event.slug)


@require_POST
@login_required
def substitute(request, slug):
    """Send a colleague instead (events.services.registration_substitute)."""
    event = get_object_or_404(selectors.public_events(), slug=slug)
    person = person_of(request.user)
    registration = selectors.live_registration(event, person)
    if registration is None:
        raise Http404
    form = SubstituteForm(request.POST, colleagues=colleagues_of(person))
    if not form.is_valid():
        messages.error(request, _("Kies een collega van je onderneming."))
        return redirect("events:detail", slug=event.slug)
    colleague = form.cleaned_data["colleague"]
    try:
        services.registration_substitute(
            registration=registration, colleague=colleague, actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s gaat in je plaats en krijgt het ticket per e-mail.")
            % {"name": colleague.full_name},
        )
    return redirect("events:detail", slug=event.slug)


@require_http_methods(["GET", "POST"])
@login_required
def book(request, slug):
    """A company admin books colleagues (and colleagues without an account) in one go: all of
    them get a place, or nobody does (events.bookings.company_booking_create)."""
    event = get_object_or_404(selectors.public_events().select_related("organiser"), slug=slug)
    person = person_of(request.user)
    if person is None:
        messages.error(request, _("Sluit je eerst aan bij je onderneming om in te schrijven."))
        return redirect("me:home")
    if not person.is_company_admin:
        raise PermissionDenied
    colleagues = selectors.bookable_colleagues(event, person.company)
    form = CompanyBookingForm(
        request.POST if request.method == "POST" else None, colleagues=colleagues
    )
    if request.method == "POST" and form.is_valid():
        newcomers = [
            bookings.Newcomer(first, last, email, request.LANGUAGE_CODE or "nl")
            for first, last, email in form.cleaned_data["newcomers"]
        ]
        booked = run_service(
            request,
            lambda: bookings.company_booking_create(
                event=event,
                actor=request.user,
                colleagues=list(form.cleaned_data["colleagues"]),
                newcomers=newcomers,
                purchase_order=form.cleaned_data["purchase_order"],
            ),
            success=lambda done: (
                _("%(count)s collega's zijn ingeschreven; elk krijgt een ticket per e-mail.")
                % {"count": len(done)}
            ),
            form=form,
        )
        if booked:
            return redirect("events:detail", slug=event.slug)
    terms = terms_for(event, person.company)
    allowance = seats.allowance(event)
    chamber_id = terms.via_chamber.pk if terms.via_chamber else None
    return render(
        request,
        "events/book.html",
        {
            "event": event,
            "company": person.company,
            "form": form,
            "terms": terms,
            "prices": price_with_vat(terms.price),
            "places_left": allowance.left_for(chamber_id) if allowance else event.places_left(),
            "registration_state": event.registration_state(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _offer(code: str):
    """The registration behind an offer link: its ticket code, 128 bits, is the key."""
    return get_object_or_404(
        Registration.objects.select_related("event", "event__organiser", "person"),
        ticket_code=code,
    )


def offer(request, code):
    """The e-mail's link: a place offered from the waiting list, to confirm or let go.

    No log-in: the unguessable code is the key (also for people without an account).
    """
    registration = _offer(code)
    return render(
        request,
        "events/offer.html",
        {"registration": registration, "event": registration.event, "now": timezone.now()},
    )


@require_POST
def offer_accept(request, code):
    registration = _offer(code)
    try:
        services.registration_offer_accept(registration=registration)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Je bent ingeschreven. De bevestiging zit in je mailbox."))
    return redirect("events:offer", code=code)


@require_POST
def offer_decline(request, code):
    registration = _offer(code)
    try:
        services.registration_offer_decline(registration=registration)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Je liet de plaats gaan; de volgende op de wachtlijst krijgt ze.")
        )
    return redirect("events:offer", code=code)


def ticket(request, code):
    """A ticket reached by the link in the confirmation e-mail, for everyone registered, with
    or without an account (guests added by staff, partners' delegates): the unguessable code
    is the key. The same page as /me/tickets/, without the way back to /me/."""
    registration = get_object_or_404(
        Registration.objects.select_related("event", "event__organiser", "person", "company"),
        ticket_code=code,
    )
    qr = None
    if registration.holds_a_place:
        qr = qr_svg(registration.ticket_code, _("QR-code van je ticket"))
    return render(
        request,
        "members/me_ticket.html",
        {"registration": registration, "event": registration.event, "qr": qr, "by_link": True},
    )


@require_http_methods(["GET", "POST"])
@login_required
def mission_apply(request, slug):
    """Apply for a mission that selects participants, this one first, up to two more after it."""
    event = get_object_or_404(
        selectors.public_events().select_related("organiser"), slug=slug, selects_participants=True
    )
    person = person_of(request.user)
    if person is None:
        messages.error(
            request, _("Sluit je eerst aan bij je onderneming om je kandidaat te stellen.")
        )
        return redirect("me:home")
    others = [other for other in missions.open_missions() if other.pk != event.pk]
    form = MissionApplicationForm(request.POST or None, others=others)
    if request.method == "POST" and form.is_valid():
        chosen = [event] + [
            form.cleaned_data[key] for key in ("second", "third") if form.cleaned_data[key]
        ]
        done = run_service(
            request,
            lambda: missions.apply(
                person=person,
                events=chosen,
                motivation=form.cleaned_data["motivation"],
                target_markets=form.cleaned_data["target_markets"],
            ),
            success=_("Je kandidatuur is ingediend. Je vindt de uitkomst in Mijn portaal."),
            form=form,
        )
        if done:
            return redirect("events:detail", slug=event.slug)
    return render(
        request,
        "events/mission_apply.html",
        {"event": event, "person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def mission_follow_up(request, pk):
    """The follow-up form of an accepted application (travel data, documents), until its
    deadline; only for the applying company's people."""
    person = person_of(request.user)
    choice = get_object_or_404(
        MissionChoice.objects.select_related("event", "application"),
        pk=pk,
        company=person.company if person else None,
    )
    if choice.status != MissionChoice.Status.ACCEPTED:
        raise Http404
    form = MissionFollowUpForm(request.POST or None, initial=choice.follow_up or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: missions.follow_up_submit(choice=choice, person=person, data=form.cleaned_data),
            success=_("Dank je, je gegevens voor de missie zijn doorgegeven."),
            form=form,
        )
        if done:
            return redirect("me:home")
    return render(
        request,
        "events/mission_follow_up.html",
        {"choice": choice, "event": choice.event, "form": form, "open": choice.follow_up_open()},
        status=400 if request.method == "POST" else 200,
    )

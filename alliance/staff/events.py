"""The events back-office (/staff/events/): the staff's events, one event's attendees and waiting
list, check-in at the door and exports.

Who may do what is events/permissions.py: an event the user's chambers neither organise nor
co-organise does not exist here (404); seeing needs any staff role, changing an event role
(403 for viewers). Visitors are sent to log in; members without a staff role get a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.base import audit
from alliance.base.models import DomainError
from alliance.base.views import paginate, query_string, run_service
from alliance.security import require_recent_authentication
from alliance.staff.base import StaffListView, staff_required
from alliance.staff.forms.events import (
    AllocationForm,
    CancelEventForm,
    CapacityForm,
    CheckInForm,
    EventForm,
    ExportForm,
    GuestForm,
    MissionScoreForm,
    MoveForm,
    PoolingForm,
    QuotaForm,
)
from events import allocations, exports, missions, permissions, services
from events.filtersets import AttendeeFilterSet, StaffEventFilterSet
from events.models import Event, MissionChoice, MissionSelectionLog, Registration
from events.seats import allocations_with_use
from events.selectors import quotas_with_use

EVENTS_PER_PAGE = 20
ATTENDEES_PER_PAGE = 50
SECTION = {"staff_section": "events"}
MISSION_LOG_LIMIT = 100


def visible_event(request, slug: str) -> Event:
    """The event, if the user's chambers organise or co-organise it; a 404 otherwise."""
    events = Event.objects.visible_to(request.user).select_related("organiser", "proposed_by")
    return get_object_or_404(events, slug=slug)


def manageable_event(request, slug: str) -> Event:
    """The event, if the user may change it: 404 when they cannot see it, 403 when they only
    read it."""
    event = visible_event(request, slug)
    if not permissions.can_edit_event(request.user, event):
        raise PermissionDenied
    return event


# The list.


class EventListView(StaffListView):
    """The events of the user's chambers (organised or co-organised), upcoming first."""

    section = "events"
    template_name = "staff/events/list.html"
    partial_template_name = "staff/events/_list_results.html"
    filterset_class = StaffEventFilterSet
    context_object_name = "events"
    paginate_by = EVENTS_PER_PAGE
    tab_filters = ("past",)

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).for_staff_listing()

    def decorate(self, rows):
        for event in rows:
            event.can_edit = permissions.can_edit_event(self.request.user, event)
            event.left = event.places_left(taken=event.places_taken_count)
        return rows

    def get_context_data(self, **context):
        return context | {
            "past": bool(context["filterset"].form.cleaned_data.get("past"))
            if context["filterset"].is_valid()
            else self.request.GET.get("past") == "1",
            "can_create": permissions.can_create_events(self.request.user),
        }


event_list = EventListView.as_view()


# Creating and changing an event.


@require_http_methods(["GET", "POST"])
@staff_required
def event_new(request):
    """A new event, saved as a draft."""
    if not permissions.can_create_events(request.user):
        raise PermissionDenied
    form = EventForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event = run_service(
            request,
            lambda: services.event_create(actor=request.user, data=form.cleaned_data),
            success=_("De activiteit is bewaard als ontwerp. Publiceer ze als ze klaar is."),
            form=form,
        )
        if event:
            return redirect("staff:event_detail", slug=event.slug)
    return render(request, "staff/events/form.html", SECTION | {"form": form, "event": None})


@require_http_methods(["GET", "POST"])
@staff_required
def event_edit(request, slug):
    """Change an event's facts; a larger capacity promotes people from the waiting list."""
    event = manageable_event(request, slug)
    form = EventForm(
        request.POST if request.method == "POST" else None, instance=event, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.event_update(event=event, actor=request.user, data=form.cleaned_data),
            success=_("De activiteit is bewaard."),
            form=form,
        )
        if saved:
            return redirect("staff:event_detail", slug=event.slug)
    # form.is_valid() wrote the submitted values onto the instance: show the saved title.
    saved = Event.objects.only("title", "title_nl", "slug").get(pk=event.pk)
    return render(request, "staff/events/form.html", SECTION | {"form": form, "event": saved})


@require_POST
@staff_required
def event_duplicate(request, slug):
    """A draft copy to edit: a series of workshops, next year's forum."""
    event = manageable_event(request, slug)
    copy = run_service(
        request,
        lambda: services.event_duplicate(event=event, actor=request.user),
        success=_("Dit is een kopie, als ontwerp. Pas de datum en de details aan."),
    )
    if not copy:
        return redirect("staff:event_detail", slug=event.slug)
    return redirect("staff:event_edit", slug=copy.slug)


@require_POST
@staff_required
def event_publish(request, slug):
    event = manageable_event(request, slug)
    run_service(
        request,
        lambda: services.event_publish(event=event, actor=request.user),
        success=_("De activiteit is gepubliceerd: leden kunnen inschrijven."),
    )
    return redirect("staff:event_detail", slug=event.slug)


@require_http_methods(["GET", "POST"])
@staff_required
def event_cancel(request, slug):
    """Cancel, after a confirmation page that says who will be e-mailed."""
    event = visible_event(request, slug)
    if not permissions.can_cancel_event(request.user, event):
        raise PermissionDenied
    affected = event.registrations.filter(
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    ).count()
    form = CancelEventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        run_service(
            request,
            lambda: services.event_cancel(event=event, actor=request.user),
            success=_("De activiteit is geannuleerd. %(count)s mensen krijgen een e-mail.")
            % {"count": affected},
        )
        return redirect("staff:event_detail", slug=event.slug)
    return render(
        request,
        "staff/events/cancel.html",
        SECTION | {"event": event, "form": form, "affected": affected},
    )


# One event: attendees, waiting list, capacity, guests.


# The attendee table's sortable columns: ?sort=<column> or ?sort=-<column> (descending).
ATTENDEE_SORTS = {
    "naam": ("person__last_name", "person__first_name"),
    "onderneming": ("company__name",),
    "status": ("status",),
    "prijs": ("price",),
    "ingecheckt": ("checked_in_at",),
}


def attendee_sorting(request) -> tuple[str, list[str], dict]:
    """The sort asked for (registration order when none or unknown), its order_by, and per
    column the link that sorts by it (ascending, or descending when it is already ascending)
    with its aria-sort value."""
    asked = request.GET.get("sort", "")
    column = asked.removeprefix("-")
    if column not in ATTENDEE_SORTS:
        asked, column = "", ""
    descending = asked.startswith("-")
    fields = [f"-{f}" if descending else f for f in ATTENDEE_SORTS.get(column, ("created_at",))]
    links = {}
    for name in ATTENDEE_SORTS:
        params = request.GET.copy()
        params.pop("page", None)
        params["sort"] = f"-{name}" if name == column and not descending else name
        state = ("descending" if descending else "ascending") if name == column else "none"
        links[name] = {"query": params.urlencode(), "aria_sort": state}
    return asked, [*fields, "pk"], links


def _detail(
    request,
    event,
    *,
    capacity_form=None,
    guest_form=None,
    quota_form=None,
    allocation_form=None,
    pooling_form=None,
    status=200,
):
    user = request.user
    sort, order_by, sort_links = attendee_sorting(request)
    filterset = AttendeeFilterSet(
        request.GET, queryset=event.registrations.for_staff_listing().order_by(*order_by)
    )
    attendees = filterset.qs if filterset.is_valid() else event.registrations.none()
    page = paginate(request, attendees, ATTENDEES_PER_PAGE)
    counts = event.registrations.aggregate(
        taken=Count("pk", filter=Q(status__in=Registration.HOLDING_A_PLACE)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        present=Count("pk", filter=Q(status=Registration.Status.ATTENDED)),
        cancelled=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
    )
    waiting = list(event.registrations.waiting().select_related("person", "company"))
    can_edit = permissions.can_edit_event(user, event)
    context = SECTION | {
        "event": event,
        "co_organisers": list(event.co_organisers.all()),
        "filterset": filterset,
        "page": page,
        "query_string": query_string(request),
        "filters": {k: v for k, v in request.GET.items() if k not in ("page", "sort") and v},
        "sort_links": sort_links,
        "counts": counts,
        "places_left": event.places_left(taken=counts["taken"]),
        "waiting": waiting,
        "can_edit": can_edit,
        "can_cancel": can_edit and permissions.can_cancel_event(user, event),
        "capacity_form": capacity_form or CapacityForm(initial={"capacity": event.capacity}),
        "quotas": quotas_with_use(event),
        "quota_form": quota_form or QuotaForm(),
        "allocations": allocations_with_use(event),
        "allocation_form": allocation_form
        or AllocationForm(chambers=allocations.allocation_chambers(event)),
        "pooling_form": pooling_form or PoolingForm(initial={"pooling_at": event.pooling_at}),
        "guest_form": guest_form or GuestForm(),
        "export_form": ExportForm(),
        "can_export": permissions.can_export_attendees(user, event),
        "export_threshold": exports.async_threshold(),
        "is_cancelled": event.status == Event.Status.CANCELLED,
        "started": timezone.now() >= event.starts_at,
    }
    return render(request, "staff/events/detail.html", context, status=status)


@require_GET
@staff_required
def event_detail(request, slug):
    """An event's back-office: its facts, attendees with filters, waiting list and actions."""
    return _detail(request, visible_event(request, slug))


@require_POST
@staff_required
def event_capacity(request, slug):
    event = manageable_event(request, slug)
    form = CapacityForm(request.POST)
    if form.is_valid():

        def said(promoted) -> str:
            message = _("De capaciteit is aangepast.")
            if promoted:
                message += " " + _(
                    "%(count)s mensen van de wachtlijst kregen een plaats en een e-mail."
                ) % {"count": len(promoted)}
            return message

        changed = run_service(
            request,
            lambda: services.event_capacity_change(
                event=event, capacity=form.cleaned_data["capacity"], actor=request.user
            ),
            success=said,
            form=form,
        )
        if changed is not None:
            return redirect("staff:event_detail", slug=event.slug)
    return _detail(request, event, capacity_form=form, status=400)


@require_POST
@staff_required
def event_quota(request, slug):
    """Give a partner places for its delegation, or change them (event staff, EVENT_ROLES)."""
    event = manageable_event(request, slug)
    form = QuotaForm(request.POST)
    if form.is_valid():
        partner, places = form.cleaned_data["partner"], form.cleaned_data["places"]
        quota = run_service(
            request,
            lambda: services.delegation_quota_set(
                event=event, partner=partner, places=places, actor=request.user
            ),
            success=_("%(partner)s heeft nu %(places)s plaatsen voor een delegatie.")
            % {"partner": partner.name, "places": places},
            form=form,
        )
        if quota:
            return redirect("staff:event_detail", slug=event.slug)
    return _detail(request, event, quota_form=form, status=400)


@require_POST
@staff_required
def event_quota_remove(request, slug, pk):
    event = manageable_event(request, slug)
    quota = get_object_or_404(event.delegation_quotas.select_related("partner"), pk=pk)
    run_service(
        request,
        lambda: services.delegation_quota_remove(quota=quota, actor=request.user),
        success=_("Het quotum van %(partner)s is verwijderd.") % {"partner": quota.partner.name},
    )
    return redirect("staff:event_detail", slug=event.slug)


@require_POST
@staff_required
def event_allocation(request, slug):
    """Reserve seats for a chamber's members, or change them (event staff, EVENT_ROLES)."""
    event = manageable_event(request, slug)
    form = AllocationForm(request.POST, chambers=allocations.allocation_chambers(event))
    if form.is_valid():
        chamber, places = form.cleaned_data["chamber"], form.cleaned_data["places"]
        allocation = run_service(
            request,
            lambda: allocations.allocation_set(
                event=event, chamber=chamber, places=places, actor=request.user
            ),
            success=_("%(places)s plaatsen zijn voorbehouden voor de leden van %(chamber)s.")
            % {"chamber": chamber.short_name, "places": places},
            form=form,
        )
        if allocation:
            return redirect("staff:event_detail", slug=event.slug)
    return _detail(request, event, allocation_form=form, status=400)


@require_POST
@staff_required
def event_allocation_remove(request, slug, pk):
    event = manageable_event(request, slug)
    allocation = get_object_or_404(event.seat_allocations.select_related("chamber"), pk=pk)
    run_service(
        request,
        lambda: allocations.allocation_remove(allocation=allocation, actor=request.user),
        success=_("De plaatsen van %(chamber)s zijn vrijgegeven.")
        % {"chamber": allocation.chamber.short_name},
    )
    return redirect("staff:event_detail", slug=event.slug)


@require_POST
@staff_required
def event_pooling(request, slug):
    """Set when unused reserved seats open to everyone."""
    event = manageable_event(request, slug)
    form = PoolingForm(request.POST)
    if form.is_valid():
        done = run_service(
            request,
            lambda: allocations.pooling_set(
                event=event, pooling_at=form.cleaned_data["pooling_at"], actor=request.user
            ),
            success=_("De datum waarop de voorbehouden plaatsen vrijkomen, is aangepast."),
            form=form,
        )
        if done:
            return redirect("staff:event_detail", slug=event.slug)
    return _detail(request, event, pooling_form=form, status=400)


@require_POST
@staff_required
def event_guest(request, slug):
    """Register a guest by hand (a person of a company found by its enterprise number)."""
    event = manageable_event(request, slug)
    form = GuestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        registration = run_service(
            request,
            lambda: services.registration_create_guest(
                event=event,
                enterprise_number=data["enterprise_number"],
                country=data["country"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                preferred_language=data["preferred_language"],
                actor=request.user,
            ),
            form=form,
        )
        if registration:
            name = registration.person.full_name
            if registration.holds_a_place:
                messages.success(request, _("%(name)s is ingeschreven.") % {"name": name})
            else:
                messages.warning(
                    request,
                    _("De activiteit is volzet: %(name)s staat op de wachtlijst (plaats %(rank)s).")
                    % {"name": name, "rank": services.waiting_list_rank(registration)},
                )
            return redirect("staff:event_detail", slug=event.slug)
    return _detail(request, event, guest_form=form, status=400)


@require_POST
@staff_required
def registration_promote(request, slug, pk):
    event = manageable_event(request, slug)
    registration = get_object_or_404(event.registrations.select_related("person"), pk=pk)
    run_service(
        request,
        lambda: services.registration_promote(
            registration=registration, actor=request.user, reason=request.POST.get("reason", "")
        ),
        success=_("%(name)s heeft een plaats en krijgt een e-mail.")
        % {"name": registration.person.full_name},
    )
    return redirect(reverse("staff:event_detail", args=[event.slug]) + "#wachtlijst")


# What staff may do to one registration, each through the same service as the member's action.
REGISTRATION_ACTIONS = {
    "cancel": (
        lambda r, user, reason: services.registration_cancel(
            registration=r, by=Registration.CancelledBy.STAFF, actor=user, reason=reason
        ),
        gettext_lazy("De inschrijving van %(name)s is geannuleerd."),
    ),
    "cancel_with_fee": (
        lambda r, user, reason: services.registration_cancel(
            registration=r,
            by=Registration.CancelledBy.STAFF,
            actor=user,
            reason=reason,
            charge_fee=True,
        ),
        gettext_lazy("De inschrijving van %(name)s is geannuleerd, met annuleringskost."),
    ),
    "no_show": (
        lambda r, user, reason: services.registration_mark_no_show(registration=r, actor=user),
        gettext_lazy("%(name)s staat als niet opgedaagd."),
    ),
    "undo_check_in": (
        lambda r, user, reason: services.registration_undo_check_in(registration=r, actor=user),
        gettext_lazy("De check-in van %(name)s is ongedaan gemaakt."),
    ),
}


@require_POST
@staff_required
def registration_action(request, slug, pk):
    """One action on one registration: cancel (with or without fee; also taking someone off
    the waiting list), mark a no-show, undo a check-in."""
    event = manageable_event(request, slug)
    registration = get_object_or_404(event.registrations.select_related("person"), pk=pk)
    action = REGISTRATION_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Onbekende actie."))
    else:
        service, success = action
        reason = request.POST.get("reason", "").strip()[:500]
        run_service(
            request,
            lambda: service(registration, request.user, reason),
            success=success % {"name": registration.person.full_name},
        )
    anchor = "#wachtlijst" if registration.status == Registration.Status.WAITLISTED else ""
    return redirect(reverse("staff:event_detail", args=[event.slug]) + anchor)


@require_POST
@staff_required
def waiting_list_move(request, slug, pk):
    event = manageable_event(request, slug)
    registration = get_object_or_404(event.registrations, pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies hoger of lager."))
    else:
        run_service(
            request,
            lambda: services.waiting_list_move(
                registration=registration,
                direction=form.cleaned_data["direction"],
                actor=request.user,
            ),
        )
    return redirect(reverse("staff:event_detail", args=[event.slug]) + "#wachtlijst")


# Check-in at the door.


@require_http_methods(["GET", "POST"])
@staff_required
def event_check_in(request, slug):
    """A page for a phone at the door: scan (or type) a ticket code, see who it is at once.

    With htmx only the result is sent back and the field is emptied for the next scan.
    """
    event = manageable_event(request, slug)
    result = None
    form = CheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["ticket_code"]
        try:
            registration = services.registration_check_in(
                event=event, ticket_code=code, actor=request.user
            )
        except DomainError as error:
            registration = None
            if error.code == "already_checked_in":
                registration = (
                    event.registrations.select_related("person", "company")
                    .filter(ticket_code=services.ticket_code_from(code))
                    .first()
                )
            result = {"ok": False, "message": error.message, "registration": registration}
        else:
            result = {"ok": True, "registration": registration}
        if request.POST.get("from") == "detail":
            name = result["registration"].person.full_name if result["registration"] else ""
            if result["ok"]:
                messages.success(request, _("%(name)s is ingecheckt.") % {"name": name})
            else:
                messages.error(request, f"{result['message']} {name}".strip())
            return redirect("staff:event_detail", slug=event.slug)
        form = CheckInForm()
    counts = event.registrations.aggregate(
        present=Count("pk", filter=Q(status=Registration.Status.ATTENDED)),
        expected=Count("pk", filter=Q(status__in=Registration.HOLDING_A_PLACE)),
    )
    context = SECTION | {"event": event, "form": form, "result": result, "counts": counts}
    # Or by name, for someone without their ticket: the matching registrations, each with its
    # own check-in button (which posts the ticket code, as the detail page's buttons do).
    name = request.GET.get("naam", "").strip()[:200]
    if name:
        found = AttendeeFilterSet(
            {"q": name, "status": ""}, queryset=event.registrations.for_staff_listing()
        ).qs.exclude(status=Registration.Status.CANCELLED)
        context |= {"name": name, "matches": list(found.order_by("person__last_name", "pk")[:10])}
    if request.htmx and request.method == "POST":
        return render(request, "staff/events/_check_in_result.html", context)
    return render(request, "staff/events/check_in.html", context)


# Exports.


@require_POST
@staff_required
def event_export(request, slug):
    """The attendee list as CSV or XLSX, with the table's filters. Up to the threshold the file
    comes at once; a longer list is written in the background and the page shows its progress.

    A file of personal data leaves the portal: the event's managers may take it
    (permissions.can_export_attendees), viewers get a 403, and the user confirms who they are
    first (a code) unless the session did so a few minutes ago; the choice of format and filters
    is kept and the export made afterwards.
    """
    event = visible_event(request, slug)
    if not permissions.can_export_attendees(request.user, event):
        raise PermissionDenied
    require_recent_authentication(request)
    form = ExportForm(request.POST)
    params = {name: request.POST.get(name, "") for name in AttendeeFilterSet.base_filters}
    try:
        registrations = exports.attendees(event, params)
    except ValueError:
        registrations = None
    if not form.is_valid() or registrations is None:
        messages.error(request, _("Deze export kan niet: kies CSV of XLSX en geldige filters."))
        return redirect("staff:event_detail", slug=event.slug)
    fmt = form.cleaned_data["format"]
    total = registrations.count()
    # Personal data leaves the portal: the audit trail says who took which list, and where.
    audit.record(event, audit.EXPORT, export_format=fmt, export_rows=total)
    if total <= exports.async_threshold():
        return exports.export_response(event, registrations, fmt)
    job_id = exports.start_export(
        event=event,
        user=request.user,
        fmt=fmt,
        params=params,
        total=total,
        language=get_language() or "nl",
    )
    return redirect("staff:event_export_progress", slug=event.slug, job_id=job_id)


def _export_job(request, slug, job_id):
    """The user's own export of this event; anyone else's, or another event's, is a 404."""
    event = visible_event(request, slug)
    state = exports.read_job(job_id)
    if state is None or state["event_id"] != event.pk or state["user_id"] != request.user.pk:
        raise Http404
    return event, state


def _export_context(event, job_id, state):
    return SECTION | {
        "event": event,
        "job_id": job_id,
        "state": state,
        "percent": exports.job_percent(state),
    }


@require_GET
@staff_required
def event_export_progress(request, slug, job_id):
    event, state = _export_job(request, slug, job_id)
    return render(
        request, "staff/events/export_progress.html", _export_context(event, job_id, state)
    )


@require_GET
@staff_required
def event_export_status(request, slug, job_id):
    """The progress bar alone, polled by htmx until the file is ready."""
    event, state = _export_job(request, slug, job_id)
    return render(
        request, "staff/events/_export_status.html", _export_context(event, job_id, state)
    )


@require_GET
@staff_required
def event_export_download(request, slug, job_id):
    event, state = _export_job(request, slug, job_id)
    path = exports.result_path(job_id, state["format"])
    if state["status"] != "done" or not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=state["filename"],
        content_type=exports.CONTENT_TYPES[state["format"]],
    )


# Trade-mission applications: the selection (events/missions.py).


@require_GET
@staff_required
def event_missions(request, slug):
    """The applications for a mission that selects participants, best score first, with the
    places left per chamber and the selection log."""
    event = visible_event(request, slug)
    if not event.selects_participants:
        raise Http404
    choices = list(
        event.mission_choices.exclude(status=MissionChoice.Status.WITHDRAWN)
        .select_related("application__person", "company")
        .order_by(F("score").desc(nulls_last=True), "priority", "created_at")
    )
    log = list(
        MissionSelectionLog.objects.filter(choice__event=event)
        .select_related("actor", "choice__company", "choice__application__person")
        .order_by("-at", "-pk")[:MISSION_LOG_LIMIT]
    )
    counts = event.registrations.aggregate(
        taken=Count("pk", filter=Q(status__in=Registration.HOLDING_A_PLACE))
    )
    return render(
        request,
        "staff/events/missions.html",
        SECTION
        | {
            "event": event,
            "choices": choices,
            "log": log,
            "places_left": event.places_left(taken=counts["taken"]),
            "allocations": allocations_with_use(event),
            "can_edit": permissions.can_edit_event(request.user, event),
        },
    )


@require_POST
@staff_required
def event_mission_decide(request, slug, pk):
    """Score, accept, decline or put on the reserve list one application for this mission."""
    event = manageable_event(request, slug)
    choice = get_object_or_404(event.mission_choices, pk=pk)
    action = request.POST.get("action")
    if action == "score":
        form = MissionScoreForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Een score ligt tussen 0 en 100."))
            return redirect("staff:event_missions", slug=event.slug)
        run_service(
            request,
            lambda: missions.score(
                choice=choice,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
                actor=request.user,
            ),
            success=_("De score is bewaard."),
        )
    elif action == "accept":
        run_service(
            request,
            lambda: missions.accept(choice=choice, actor=request.user),
            success=_("Geselecteerd: de kandidaat is ingeschreven en krijgt bericht."),
        )
    elif action in ("decline", "reserve"):
        run_service(
            request,
            lambda: missions.decline(
                choice=choice, actor=request.user, reserve=action == "reserve"
            ),
            success=_("De kandidaat krijgt bericht."),
        )
    else:
        messages.error(request, _("Onbekende actie."))
    return redirect("staff:event_missions", slug=event.slug)

"""The back-office's service requests (/staff/requests/): the inbox of the competence centres.

Staff read the requests to the centres their chambers lead and those of their own members
(ServiceRequestQuerySet.visible_to); only the lead chamber's staff with REQUEST_ROLES act on one
(members/permissions.py). An address outside the scope is a 404, an act not allowed a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliance.base.views import run_service
from alliance.staff.base import StaffListView, staff_required
from alliance.staff.forms import members as staff_forms
from chambers import roles
from members import permissions, services
from members.filtersets import ServiceRequestFilterSet
from members.models import ServiceRequest, ServiceRequestMessage


class RequestListView(StaffListView):
    """The inbox of the centres the user's chambers lead, and their own members' requests."""

    section = "requests"
    template_name = "staff/requests/list.html"
    filterset_class = ServiceRequestFilterSet
    context_object_name = "service_requests"

    def get_queryset(self):
        return (
            ServiceRequest.objects.visible_to(self.request.user)
            .for_staff_listing()
            .order_by("-created_at", "-pk")
        )

    def decorate(self, rows):
        read_ids = roles.chamber_ids_where(self.request.user, roles.READ_ROLES)
        for service_request in rows:
            service_request.can_act = permissions.can_handle_service_request(
                self.request.user, service_request
            )
            service_request.is_ours = service_request.centre.lead_chamber_id in read_ids
        return rows


request_list = RequestListView.as_view()


def _request_for(request, pk: int, *, act: bool = False) -> ServiceRequest:
    service_request = get_object_or_404(
        ServiceRequest.objects.visible_to(request.user).for_staff_listing(), pk=pk
    )
    if act and not permissions.can_handle_service_request(request.user, service_request):
        raise PermissionDenied
    return service_request


@require_GET
@staff_required
def request_detail(request, pk):
    """One request; its lead chamber's staff act on it, the member's home chamber only reads."""
    service_request = _request_for(request, pk)
    can_act = permissions.can_handle_service_request(request.user, service_request)
    is_open = service_request.status in (
        ServiceRequest.Status.NEW,
        ServiceRequest.Status.ASSIGNED,
        ServiceRequest.Status.IN_PROGRESS,
    )
    conversation = service_request.messages.select_related("author")
    if not can_act:
        # Notes are the lead chamber's: the member's home chamber reads the answers only.
        conversation = conversation.filter(kind=ServiceRequestMessage.Kind.REPLY)
    context = {
        "staff_section": "requests",
        "service_request": service_request,
        "person": service_request.person,
        "can_act": can_act and is_open,
        "read_only": not can_act,
        "conversation": conversation,
        "note_form": staff_forms.NoteForm() if can_act else None,
    }
    if can_act and is_open:
        context.update(
            assign_form=staff_forms.AssignForm(
                assignees=services.service_request_assignees(service_request.centre),
                initial={"assignee": service_request.assignee_id},
            ),
            reply_form=staff_forms.ReplyForm(),
            decline_form=staff_forms.DeclineForm(),
        )
    return render(request, "staff/requests/detail.html", context)


def _act(request, service_request: ServiceRequest, action, success: str):
    """Run a service on the request; its domain error is a message, never a 500."""
    run_service(request, lambda: action(service_request), success=success)
    return redirect("staff:request_detail", pk=service_request.pk)


@require_POST
@staff_required
def request_assign(request, pk):
    service_request = _request_for(request, pk, act=True)
    form = staff_forms.AssignForm(
        request.POST, assignees=services.service_request_assignees(service_request.centre)
    )
    if not form.is_valid():
        messages.error(request, _("Kies een beheerder van de trekkende kamer."))
        return redirect("staff:request_detail", pk=pk)
    return _act(
        request,
        service_request,
        lambda sr: services.service_request_assign(
            service_request=sr, assignee=form.cleaned_data["assignee"], actor=request.user
        ),
        _("De vraag is toegewezen."),
    )


def _message_action(request, pk, form_class, service, *, empty: str, success: str):
    """An answer or a note: the form's message goes to `service`; an empty one comes back."""
    service_request = _request_for(request, pk, act=True)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, empty)
        return redirect("staff:request_detail", pk=pk)
    return _act(
        request,
        service_request,
        lambda sr: service(
            service_request=sr, actor=request.user, message=form.cleaned_data["message"]
        ),
        success,
    )


@require_POST
@staff_required
def request_reply(request, pk):
    return _message_action(
        request,
        pk,
        staff_forms.ReplyForm,
        services.service_request_reply,
        empty=_("Schrijf je antwoord."),
        success=_("Je antwoord is verstuurd."),
    )


@require_POST
@staff_required
def request_note(request, pk):
    return _message_action(
        request,
        pk,
        staff_forms.NoteForm,
        services.service_request_note,
        empty=_("Schrijf je notitie."),
        success=_("Je notitie is bewaard. Het lid ziet ze niet."),
    )


@require_POST
@staff_required
def request_complete(request, pk):
    return _act(
        request,
        _request_for(request, pk, act=True),
        lambda sr: services.service_request_complete(service_request=sr, actor=request.user),
        _("De vraag is afgehandeld."),
    )


@require_POST
@staff_required
def request_decline(request, pk):
    service_request = _request_for(request, pk, act=True)
    form = staff_forms.DeclineForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    return _act(
        request,
        service_request,
        lambda sr: services.service_request_decline(
            service_request=sr, actor=request.user, message=message
        ),
        _("De vraag is geweigerd."),
    )

"""Joining a company: the request (by enterprise number) and the decision on it.

Nobody acts for a company unconfirmed: a signed-up user without a Person sees only the join page
until a company admin, or the staff of the company's home chamber, approves the request.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from alliance.base.models import DomainError
from alliance.base.ratelimits import consume_or_429
from alliance.base.views import run_service
from members import forms, permissions, services
from members.models import JoinRequest, Person

# Domain errors that are about the number the user typed: shown next to that field.
NUMBER_ERRORS = {"enterprise_number_invalid", "unknown_company"}


def join_page(request, form: forms.JoinRequestForm | None = None, *, status: int = 200):
    """The page for a user without a Person: why, the status of their request, and the form."""
    requests = list(
        JoinRequest.objects.filter(user=request.user)
        .select_related("company")
        .order_by("-created_at")[:5]
    )
    pending = next((r for r in requests if r.status == JoinRequest.Status.PENDING), None)
    if form is None and pending is None:
        form = forms.JoinRequestForm(
            initial={"first_name": request.user.first_name, "last_name": request.user.last_name}
        )
    return render(
        request,
        "members/join_start.html",
        {
            "form": form,
            "pending": pending,
            "latest": requests[0] if requests else None,
            "earlier": [r for r in requests if r is not pending],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    """Ask to join a company by its enterprise number."""
    if Person.objects.filter(user=request.user).exists():
        return redirect("me:home")
    if request.method != "POST":
        return join_page(request)
    # Every attempt counts, a refused number too: the answer tells whether it is a member.
    refused = consume_or_429(request, "join_request")
    if refused:
        return refused
    form = forms.JoinRequestForm(request.POST)
    if form.is_valid():
        try:
            join_request = services.join_request_create(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(
                "enterprise_number" if error.code in NUMBER_ERRORS else None, error.message
            )
        else:
            messages.success(
                request,
                _(
                    "Je aanvraag is verstuurd naar %(company)s. Je krijgt een e-mail zodra ze "
                    "beslist is."
                )
                % {"company": join_request.company.name},
            )
            return redirect("me:home")
    return join_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def join_request(request, pk):
    """Approve or reject one request to join (company admins, home chamber staff).

    Anyone else gets a 404: the page does not even confirm that the request exists.
    """
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("company", "user", "decided_by"), pk=pk
    )
    if not permissions.can_decide_join_request(request.user, join_request):
        raise Http404
    if request.method == "POST":
        form = forms.JoinDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Kies goedkeuren of afwijzen."))
            return redirect("me:join_request", pk=join_request.pk)
        name = f"{join_request.first_name} {join_request.last_name}"
        if form.cleaned_data["action"] == "approve":
            run_service(
                request,
                lambda: services.join_request_approve(
                    join_request=join_request, actor=request.user
                ),
                success=_("%(name)s hoort nu bij %(company)s.")
                % {"name": name, "company": join_request.company.name},
            )
        else:
            run_service(
                request,
                lambda: services.join_request_reject(join_request=join_request, actor=request.user),
                success=_("De aanvraag van %(name)s is afgewezen.") % {"name": name},
            )
        if permissions.is_company_admin_of(request.user, join_request.company):
            return redirect("me:company")
        return redirect("me:join_request", pk=join_request.pk)
    return render(
        request,
        "members/join_decide.html",
        {"join_request": join_request, "company": join_request.company},
    )

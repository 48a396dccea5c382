"""Membership applications (/staff/applications/): companies asking a chamber to become members.

The chamber's staff read them (READ_ROLES); approving or declining is a membership write
(MEMBER_ROLES at that chamber, 403 else); another chamber's application is a 404. The writes are
members.services.membership_application_approve / _decline, which keep who decided and when.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliance.base.views import run_service
from alliance.staff.base import StaffListView, staff_required
from alliance.staff.forms.members import ApplicationApproveForm, ApplicationDeclineForm
from members import permissions, services
from members.filtersets import MembershipApplicationFilterSet
from members.models import MembershipApplication

PENDING_FIRST = Case(
    When(status="pending", then=Value(0)), default=Value(1), output_field=IntegerField()
)


class ApplicationListView(StaffListView):
    section = "applications"
    template_name = "staff/applications/list.html"
    filterset_class = MembershipApplicationFilterSet
    context_object_name = "applications"

    def get_queryset(self):
        return (
            MembershipApplication.objects.visible_to(self.request.user)
            .for_staff_listing()
            .order_by(PENDING_FIRST, "-created_at")
        )


application_list = ApplicationListView.as_view()


def _application_for(request, pk) -> MembershipApplication:
    return get_object_or_404(
        MembershipApplication.objects.visible_to(request.user).for_staff_listing(), pk=pk
    )


def _render(request, application, approve_form=None, decline_form=None, status=200):
    may_decide = permissions.can_manage_memberships_at(request.user, application.chamber_id)
    return render(
        request,
        "staff/applications/detail.html",
        {
            "staff_section": "applications",
            "application": application,
            "may_decide": may_decide and application.is_pending,
            "approve_form": approve_form or ApplicationApproveForm(),
            "decline_form": decline_form or ApplicationDeclineForm(),
        },
        status=status,
    )


@require_GET
@staff_required
def application_detail(request, pk):
    return _render(request, _application_for(request, pk))


def _decider_application(request, pk) -> MembershipApplication:
    application = _application_for(request, pk)
    if not permissions.can_manage_memberships_at(request.user, application.chamber_id):
        raise PermissionDenied
    return application


@require_POST
@staff_required
def application_approve(request, pk):
    application = _decider_application(request, pk)
    form = ApplicationApproveForm(request.POST)
    if form.is_valid():
        membership = run_service(
            request,
            lambda: services.membership_application_approve(
                application=application, actor=request.user, **form.cleaned_data
            ),
            success=_("%(company)s is nu lid; %(name)s is de beheerder van de onderneming.")
            % {
                "company": application.company.name,
                "name": f"{application.first_name} {application.last_name}",
            },
            form=form,
        )
        if membership:
            return redirect("staff:member_detail", slug=application.company.slug)
    return _render(request, application, approve_form=form, status=400)


@require_POST
@staff_required
def application_decline(request, pk):
    application = _decider_application(request, pk)
    form = ApplicationDeclineForm(request.POST)
    if form.is_valid():
        declined = run_service(
            request,
            lambda: services.membership_application_decline(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            success=_("De aanvraag van %(company)s is afgewezen; de aanvrager kreeg een e-mail.")
            % {"company": application.company.name},
            form=form,
        )
        if declined:
            return redirect("staff:applications")
    return _render(request, application, decline_form=form, status=400)

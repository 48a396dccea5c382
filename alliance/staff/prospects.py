"""Prospects (/staff/prospects/): companies that came to a chamber without being its member
(a non-member's registration for one of its events), and their conversion into members.

Staff of the chamber see its prospects (READ_ROLES); converting one is a membership write
(MEMBER_ROLES at that chamber, 403 else); a prospect of another chamber is a 404. The write is
members.services.prospect_convert, which starts the membership through membership_create.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.base.views import run_service
from alliance.staff.base import StaffListView, staff_required
from alliance.staff.forms.members import ProspectConvertForm
from chambers import roles
from members import permissions, services
from members.filtersets import ProspectFilterSet
from members.models import Prospect


class ProspectListView(StaffListView):
    section = "prospects"
    template_name = "staff/prospects/list.html"
    filterset_class = ProspectFilterSet
    context_object_name = "prospects"

    def get_queryset(self):
        return Prospect.objects.visible_to(self.request.user).for_staff_listing()

    def decorate(self, rows):
        member_ids = roles.chamber_ids_where(self.request.user, roles.MEMBER_ROLES)
        for prospect in rows:
            prospect.can_convert = not prospect.is_converted and prospect.chamber_id in member_ids
        return rows


prospect_list = ProspectListView.as_view()


@require_http_methods(["GET", "POST"])
@staff_required
def prospect_convert(request, pk):
    """The membership a prospect starts with; the contact person may become the admin."""
    prospect = get_object_or_404(
        Prospect.objects.visible_to(request.user).for_staff_listing(), pk=pk
    )
    if not permissions.can_manage_memberships_at(request.user, prospect.chamber_id):
        raise PermissionDenied
    form = ProspectConvertForm(request.POST or None, has_contact=prospect.contact is not None)
    if request.method == "POST" and form.is_valid():
        membership = run_service(
            request,
            lambda: services.prospect_convert(
                prospect=prospect, actor=request.user, **form.cleaned_data
            ),
            success=_("%(company)s is nu lid van %(chamber)s.")
            % {
                "company": prospect.company.name,
                "chamber": prospect.chamber.short_name or prospect.chamber.name,
            },
            form=form,
        )
        if membership:
            return redirect("staff:member_detail", slug=prospect.company.slug)
    return render(
        request,
        "staff/prospects/convert.html",
        {"staff_section": "prospects", "prospect": prospect, "form": form},
        status=400 if request.method == "POST" else 200,
    )

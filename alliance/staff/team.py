"""A chamber's team (/staff/team/): its staff and their roles, managed by its chamber admins.

Only TEAM_ROLES open it (chambers/roles.py): a chamber admin sees and changes the roles held for
their own chambers, an alliance admin those of every chamber; anyone else with a staff role gets
a 403, a role held for another chamber is a 404. Alliance-wide roles are not listed here: they
are the alliance admins' to give, in the Django admin. The writes are chambers.services
staff_role_grant / staff_role_change / staff_role_revoke, which keep every chamber a chamber admin.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliance.base.views import paginate, run_service
from alliance.staff.base import staff_required
from alliance.staff.forms.team import TeamMemberForm, TeamRoleForm
from chambers import roles, services
from chambers.models import StaffRole


def _render(request, form=None, status=200):
    user = request.user
    chamber_ids = roles.chamber_ids_where(user, roles.TEAM_ROLES)
    team = StaffRole.objects.team_of(chamber_ids).for_team_listing()
    page = paginate(request, team)
    for staff_role in page.object_list:
        staff_role.is_self = staff_role.user_id == user.pk
        staff_role.change_form = TeamRoleForm(initial={"role": staff_role.role})
    return render(
        request,
        "staff/team/list.html",
        {
            "staff_section": "team",
            "page": page,
            "team": page.object_list,
            "form": form or TeamMemberForm(chamber_ids=chamber_ids),
        },
        status=status,
    )


@require_GET
@staff_required(permission=roles.may_manage_team)
def team_list(request):
    return _render(request)


@require_POST
@staff_required(permission=roles.may_manage_team)
def team_add(request):
    form = TeamMemberForm(
        request.POST, chamber_ids=roles.chamber_ids_where(request.user, roles.TEAM_ROLES)
    )
    if form.is_valid():
        data = form.cleaned_data
        staff_role = run_service(
            request,
            lambda: services.staff_role_grant(
                chamber=data["chamber"],
                email=data["email"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                actor=request.user,
            ),
            success=lambda made: (
                _("%(email)s is nu %(role)s bij %(chamber)s. We stuurden een e-mail.")
                % {
                    "email": made.user.email,
                    "role": made.get_role_display().lower(),
                    "chamber": made.chamber.short_name or made.chamber.name,
                }
            ),
            form=form,
        )
        if staff_role:
            return redirect("staff:team")
    return _render(request, form=form, status=400)


def _staff_role_for(request, pk) -> StaffRole:
    scope = roles.chamber_ids_where(request.user, roles.TEAM_ROLES)
    return get_object_or_404(
        StaffRole.objects.team_of(scope).select_related("user", "chamber"), pk=pk
    )


@require_POST
@staff_required(permission=roles.may_manage_team)
def team_change(request, pk):
    staff_role = _staff_role_for(request, pk)
    form = TeamRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een van de rollen in de lijst."))
        return redirect("staff:team")
    run_service(
        request,
        lambda: services.staff_role_change(
            staff_role=staff_role, role=form.cleaned_data["role"], actor=request.user
        ),
        success=lambda changed: (
            _("%(name)s is nu %(role)s.")
            % {
                "name": changed.user.get_full_name() or changed.user.email,
                "role": changed.get_role_display().lower(),
            }
        ),
    )
    return redirect("staff:team")


@require_POST
@staff_required(permission=roles.may_manage_team)
def team_remove(request, pk):
    staff_role = _staff_role_for(request, pk)
    name = staff_role.user.get_full_name() or staff_role.user.email
    chamber = staff_role.chamber.short_name or staff_role.chamber.name
    run_service(
        request,
        lambda: services.staff_role_revoke(staff_role=staff_role, actor=request.user),
        success=_("%(name)s hoort niet meer bij het team van %(chamber)s.")
        % {"name": name, "chamber": chamber},
    )
    return redirect("staff:team")

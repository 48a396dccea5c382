"""The back-office's dashboard (/staff/): what needs attention at the user's chambers."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from alliance.figures import queries as figures
from alliance.staff.base import staff_required
from chambers import roles
from chambers.models import Chamber
from members import permissions


@require_GET
@staff_required
def dashboard(request):
    """What needs attention at the user's chambers, with a link to each list."""
    chamber_ids = roles.chamber_ids_where(request.user, roles.READ_ROLES)
    whole_alliance = permissions.sees_alliance_figures(request.user)
    counts = figures.dashboard_counts(None if whole_alliance else chamber_ids)
    return render(
        request,
        "staff/dashboard.html",
        {
            "staff_section": "dashboard",
            "counts": counts,
            "chambers": Chamber.objects.filter(pk__in=chamber_ids).order_by("name"),
            "whole_alliance": whole_alliance,
            "can_import": permissions.can_import(request.user),
        },
    )

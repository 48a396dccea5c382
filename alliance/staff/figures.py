"""The back-office's figures (/staff/figures/): they read events and members together.

Figures are for a chamber of the user's, or for the alliance as a whole for alliance-wide roles
(members/permissions.py). Each figure is a chart drawn on the server (alliance/figures/charts.py),
the same numbers in a table, and a CSV download of that table (?format=csv&figure=<name>). The
counting rules are written once, in alliance/figures/queries.py; the tables in tables.py.
"""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from alliance.figures.tables import FIGURES, YEARS_SHOWN, Figure
from alliance.staff.base import staff_required
from chambers import roles
from chambers.models import Chamber
from members import permissions

ALLIANCE = "alliance"


def _scope(request) -> tuple[str, list[int] | None, list[tuple[str, str]]]:
    """(chosen, chamber ids or None for the alliance, the choices) from ?chamber=; 404 for a
    chamber outside the user's."""
    chambers = list(
        Chamber.objects.filter(
            pk__in=roles.chamber_ids_where(request.user, roles.READ_ROLES)
        ).order_by("name")
    )
    choices = [(chamber.slug, chamber.name) for chamber in chambers]
    if permissions.sees_alliance_figures(request.user):
        choices.insert(0, (ALLIANCE, _("De hele alliantie")))
    chosen = request.GET.get("chamber") or (choices[0][0] if choices else "")
    if chosen == ALLIANCE and choices and choices[0][0] == ALLIANCE:
        return chosen, None, choices
    chamber = next((chamber for chamber in chambers if chamber.slug == chosen), None)
    if chamber is None:
        raise Http404
    return chosen, [chamber.pk], choices


def _year(request) -> tuple[int | None, list[int]]:
    current = timezone.localdate().year
    years = list(range(current, current - YEARS_SHOWN, -1))
    value = request.GET.get("year", str(current))
    if value == "all":
        return None, years
    try:
        year = int(value)
    except ValueError:
        year = current
    return (year if year in years else current), years


@require_GET
@staff_required
def figures_page(request):
    """All figures for the chosen chamber (or the alliance) and year; one as CSV on request."""
    chosen, chamber_ids, choices = _scope(request)
    year, years = _year(request)
    if request.GET.get("format") == "csv":
        build = FIGURES.get(request.GET.get("figure", ""))
        if build is None:
            raise Http404
        return _csv(build(chamber_ids, year), chosen, year)
    query = {"chamber": chosen, "year": year or "all"}
    return render(
        request,
        "staff/figures.html",
        {
            "staff_section": "figures",
            "figures": [build(chamber_ids, year) for build in FIGURES.values()],
            "choices": choices,
            "chosen": chosen,
            "scope_name": dict(choices).get(chosen, ""),
            "year": year,
            "years": years,
            "query": "&".join(f"{key}={value}" for key, value in query.items()),
        },
    )


def _csv(figure: Figure, chosen: str, year: int | None) -> HttpResponse:
    out = io.StringIO()
    csv.writer(out).writerows(figure.csv_rows())
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = slugify(f"{figure.name}-{chosen}-{year or 'alle-jaren'}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response

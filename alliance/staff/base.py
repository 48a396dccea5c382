"""The frame of every back-office page: the one access check and the list base, beside the
page helpers of the ground floor (alliance/base/views.py: paginate, run_service).

Like pretix's control/permissions.py (one decorator for every back-office view) and NetBox's
ObjectListView (a list is configuration): a staff page states what it shows and who may act;
this module does the rest the same way everywhere. docs/development.md has a worked example.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_GET

from alliance.base.views import PAGE_SIZE, paginate, query_string
from chambers import roles


def staff_required(view=None, *, permission: Callable[[Any], bool] | None = None):
    """Visitors log in first; a user without a staff role, or without `permission(user)` when
    the page asks one, gets a 403. The one access check of the back-office."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not roles.is_staff(request.user):
                raise PermissionDenied
            if permission is not None and not permission(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


class StaffListView(View):
    """A back-office list as configuration: scope → FilterSet → paginate → htmx partial → section.

    Subclasses set `section`, `template_name`, `filterset_class` and `context_object_name`, and
    give `get_queryset()` (the user's scope, from a QuerySet's `visible_to(user)`); `decorate()`
    adds what each row of the page shows (actions the user may take), without a query per row.
    A filter named in `scope_filters` whose value is outside the user's scope is a 404.
    """

    section: str = ""
    template_name: str = ""
    partial_template_name: str | None = None
    filterset_class = None
    context_object_name = "rows"
    paginate_by = PAGE_SIZE
    permission: Callable[[Any], bool] | None = None
    scope_filters: tuple[str, ...] = ()
    # Filters that pick a tab (coming or past) rather than narrow the list.
    tab_filters: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        check = staff_required(permission=type(self).permission)
        return check(super().dispatch)(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_filterset(self, queryset):
        if self.filterset_class is None:
            return None
        return self.filterset_class(self.request.GET, queryset=queryset, request=self.request)

    def decorate(self, rows: list) -> list:
        return rows

    def get_context_data(self, **context) -> dict:
        return context

    @method_decorator(require_GET)
    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        filterset = self.get_filterset(queryset)
        if filterset is None:
            results = queryset
        elif filterset.is_valid():
            results = filterset.qs
        elif any(name in filterset.errors for name in self.scope_filters):
            raise Http404
        else:
            results = queryset.none()
        page = paginate(request, results, self.paginate_by)
        rows = self.decorate(list(page.object_list))
        context = self.get_context_data(
            staff_section=self.section,
            filterset=filterset,
            page=page,
            query_string=query_string(request),
            has_filters=filterset is not None
            and any(
                value
                for name, value in request.GET.items()
                if name in filterset.filters and name not in self.tab_filters
            ),
            **{self.context_object_name: rows},
        )
        template = self.template_name
        if request.htmx and self.partial_template_name:
            template = self.partial_template_name
        return render(request, template, context)

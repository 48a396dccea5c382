"""The public member directory: consenting member companies, their search and their profiles."""

from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_info
from django.views.generic import DetailView
from django_filters.views import FilterView

from members import search
from members.filtersets import DirectoryFilterSet
from members.models import Company

# The page number is no filter: "Wis filters" shows only when a search or filter is set.
NOT_A_FILTER = {"page"}


def directory_companies():
    """Who a visitor may see: consenting companies with a current membership, ready to show."""
    return search.for_directory_display(search.in_public_directory(Company.objects.all())).defer(
        "search_vector"
    )


def language_names(codes: list[str]) -> list[str]:
    """Language codes as names in the visitor's language; unknown codes stay as they are."""
    names = []
    for code in codes:
        try:
            names.append(str(get_language_info(code)["name_translated"]))
        except KeyError:
            names.append(code.upper())
    return names


class DirectoryListView(FilterView):
    """The directory with its search box and filters; htmx requests get the results only.

    Without JavaScript the filter form is a plain GET form. A page number that is no number shows
    the first page and one past the end shows the last, so an old link never breaks.
    """

    filterset_class = DirectoryFilterSet
    template_name = "members/directory_list.html"
    partial_template_name = "members/_directory_results.html"
    context_object_name = "companies"
    paginate_by = 24

    def get_queryset(self):
        return directory_companies().order_by("name", "pk")

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_template_names(self):
        htmx = self.request.htmx
        # A history restore after a cache miss needs the whole page, not the fragment.
        if htmx and not htmx.history_restore_request:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters_active"] = any(
            value.strip() for key, value in self.request.GET.items() if key not in NOT_A_FILTER
        )
        if not self.request.htmx:
            context["municipalities"] = (
                search.in_public_directory(Company.objects.all())
                .order_by("municipality")
                .values_list("municipality", flat=True)
                .distinct()
            )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The same URL answers with a page or a fragment: caches must keep them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response


class DirectoryDetailView(DetailView):
    """A member company's public profile: company facts only, never its people."""

    template_name = "members/directory_detail.html"
    context_object_name = "company"

    def get_queryset(self):
        return directory_companies()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["language_names"] = language_names(self.object.languages)
        return context

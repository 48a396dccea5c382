"""What every page of every audience uses: pagination, the filters in links, and the one helper
that runs a service and turns a refusal into the page's or the form's error.

The ground floor: it imports no app.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator

from alliance.base.models import DomainError

PAGE_SIZE = 25


def query_string(request, drop=("page",)) -> str:
    """The current filters, without the page number, for the pagination links."""
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The page the `page` parameter asks for; a bad or too high number gives the last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def run_service(request, call: Callable[[], Any], *, success=None, form=None):
    """Run a service call and say how it went: its result, or None when a rule refused it.

    The refusal's message goes next to the form field it names (`DomainError.field`), else on top
    of the form, else into the page's messages. `success` (a text, or a function of the result
    giving one) is shown as a success message.
    """
    try:
        result = call()
    except DomainError as error:
        if form is None:
            messages.error(request, error.message)
        else:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        return None
    if success is not None:
        text = success(result) if callable(success) else success
        if text:
            messages.success(request, text)
    return result if result is not None else True

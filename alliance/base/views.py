"""Views shared by every app."""

from django.http import Http404


def not_built_yet(request, *args, **kwargs):
    """Placeholder for an address whose page is still being built: a 404, never a 500."""
    raise Http404

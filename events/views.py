from django.http import Http404
from django.views.generic import View


class EventListView(View):
    def get(self, request):
        raise Http404


class EventDetailView(View):
    def get(self, request, slug):
        raise Http404


def event_list_calendar(request):
    raise Http404


def event_calendar(request, slug):
    raise Http404


def register(request, slug):
    raise Http404


def cancel(request, slug):
    raise Http404

"""The events part of the back-office (mounted at /staff/events/ in the "staff" namespace)."""

from django.urls import path

from alliance.base.views import not_built_yet

urlpatterns = [
    path("", not_built_yet, name="events"),
]

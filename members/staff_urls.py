"""The members part of the back-office (mounted at /staff/ in the "staff" namespace)."""

from django.urls import path

from alliance.base.views import not_built_yet

urlpatterns = [
    path("members/", not_built_yet, name="members"),
    path("requests/", not_built_yet, name="requests"),
    path("imports/", not_built_yet, name="imports"),
]

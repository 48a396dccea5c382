"""The public member directory: /directory/ and /directory/<slug>/."""

from django.urls import path

from alliance.base.replica import on_replica
from members.views import directory

app_name = "directory"

urlpatterns = [
    path("", on_replica(directory.DirectoryListView.as_view()), name="list"),
    path("<slug:slug>/", on_replica(directory.DirectoryDetailView.as_view()), name="detail"),
]

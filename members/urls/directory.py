"""The public member directory: /directory/ and /directory/<slug>/."""

from django.urls import path

from members.views import directory

app_name = "directory"

urlpatterns = [
    path("", directory.DirectoryListView.as_view(), name="list"),
    path("<slug:slug>/", directory.DirectoryDetailView.as_view(), name="detail"),
]

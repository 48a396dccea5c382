"""The competence-centre pages. Included from alliance/urls.py (they show events and write
service requests, so they live above the apps they read)."""

from django.urls import path

from alliance import centre_views

app_name = "competences"

urlpatterns = [
    path("", centre_views.CentreListView.as_view(), name="list"),
    path("<slug:slug>/", centre_views.CentreDetailView.as_view(), name="detail"),
    path("<slug:slug>/vraag/", centre_views.CentreAskView.as_view(), name="ask"),
]

"""A chamber's page. Included from alliance/urls.py (it shows events, which sit above chambers)."""

from django.urls import path

from alliance import chamber_views

app_name = "chambers"

urlpatterns = [
    path("<slug:slug>/", chamber_views.ChamberDetailView.as_view(), name="detail"),
]

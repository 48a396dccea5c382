"""The staff back-office at /staff/: one namespace, each app mounts its own pages.

events/staff_urls.py and members/staff_urls.py have no app_name of their own, so their
names live in the "staff" namespace ("staff:events", "staff:members", ...).
"""

from django.urls import include, path

from alliance import staff_views
from chambers import staff_views as partner_views

app_name = "staff"

urlpatterns = [
    path("", staff_views.dashboard, name="dashboard"),
    path("events/", include("events.staff_urls")),
    path("", include("members.staff_urls")),
    path("figures/", staff_views.figures_page, name="figures"),
    path("partners/", partner_views.partner_list, name="partners"),
    path("partners/<slug:slug>/", partner_views.partner_detail, name="partner_detail"),
    path("partners/<slug:slug>/keys/", partner_views.api_key_create, name="partner_key_create"),
    path(
        "partners/<slug:slug>/keys/<str:prefix>/revoke/",
        partner_views.api_key_revoke,
        name="partner_key_revoke",
    ),
]

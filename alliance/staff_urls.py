"""The staff back-office at /staff/: one namespace, each app mounts its own pages.

events/staff_urls.py and members/staff_urls.py have no app_name of their own, so their
names live in the "staff" namespace ("staff:events", "staff:members", ...).
"""

from django.urls import include, path

from alliance import staff_views
from alliance.base.views import not_built_yet

app_name = "staff"

urlpatterns = [
    path("", staff_views.dashboard, name="dashboard"),
    path("events/", include("events.staff_urls")),
    path("", include("members.staff_urls")),
    path("figures/", staff_views.figures_page, name="figures"),
    path("partners/", not_built_yet, name="partners"),
]

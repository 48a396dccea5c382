"""The project's addresses: one include per audience (public, /me/, /staff/) and per app."""

from django.contrib import admin
from django.urls import include, path

from alliance import health
from alliance.public import urls as public_urls

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("alliance.api")),
    path("accounts/", include("allauth.urls")),
    path("events/", include("events.urls")),
    path("competences/", include(public_urls.centre_urls)),
    path("chambers/", include(public_urls.chamber_urls)),
    path("directory/", include("members.urls.directory")),
    path("me/", include("alliance.me.urls")),
    path("staff/", include("alliance.staff.urls")),
    path("", include(public_urls)),
]

from django.contrib import admin
from django.urls import include, path

from alliance import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("alliance.api")),
    path("accounts/", include("allauth.urls")),
    path("events/", include("events.urls")),
    path("competences/", include("alliance.centre_urls")),
    path("chambers/", include("alliance.chamber_urls")),
    path("directory/", include("members.urls.directory")),
    path("me/", include("alliance.me_urls")),
    path("staff/", include("alliance.staff_urls")),
    path("search/", views.SearchView.as_view(), name="search"),
    path("", views.HomeView.as_view(), name="home"),
]

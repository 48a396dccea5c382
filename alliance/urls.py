from django.contrib import admin
from django.urls import include, path

from alliance import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", views.HomeView.as_view(), name="home"),
]

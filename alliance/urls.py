"""The project's addresses: one include per audience (public, /me/, /staff/) and per app."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from alliance import ceiling, health, metrics, security
from alliance.public import urls as public_urls

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's own log-in would skip the second factor and the log-in rate limits: everyone
    # logs in through allauth (docs/security.md).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
    path("api/", include("alliance.api")),
    # allauth's TOTP set-up, recording that the session gave the code (alliance/security.py).
    path("accounts/2fa/totp/activate/", security.activate_totp, name="mfa_activate_totp"),
    path("accounts/", include("allauth.urls")),
    path("events/", include("events.urls")),
    path("competences/", include(public_urls.centre_urls)),
    path("chambers/", include(public_urls.chamber_urls)),
    path("directory/", include("members.urls.directory")),
    path("me/", include("alliance.me.urls")),
    path("staff/", include("alliance.staff.urls")),
    path("payments/", include("invoicing.payments.urls")),
    path("", include(public_urls)),
]

# The bench's bare view (make bench); absent unless BENCH_CEILING_VIEW is set.
if settings.BENCH_CEILING_VIEW:
    urlpatterns.insert(0, path("bench/ceiling", ceiling.ceiling))

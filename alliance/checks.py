"""Deployment checks (`manage.py check --deploy`): the settings that would leak or fail open.

Each is a warning with an id of its own, so `check --deploy --fail-level WARNING` (which
tests/security/test_production.py runs with the production settings) refuses to pass them.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

OPEN_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def production_settings(app_configs, **kwargs):
    problems = []
    if not settings.PORTAL_URL.startswith("https://"):
        problems.append(
            Warning(
                "PORTAL_URL is not https: links in e-mails and calendars would go out in clear.",
                id="alliance.W001",
            )
        )
    if settings.EMAIL_BACKEND in OPEN_MAIL_BACKENDS:
        problems.append(
            Warning(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: e-mails (with personal data and "
                "log-in links) would be printed or kept, not sent. Set EMAIL_URL.",
                id="alliance.W002",
            )
        )
    if settings.WHITENOISE_AUTOREFRESH:
        problems.append(
            Warning(
                "WHITENOISE_AUTOREFRESH is on: every static request searches the disk.",
                id="alliance.W003",
            )
        )
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        problems.append(
            Warning(
                "WEBHOOK_ALLOW_PRIVATE_ADDRESSES is on: a partner's webhook could make the worker "
                "call the portal's own network.",
                id="alliance.W004",
            )
        )
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        problems.append(
            Warning(
                f"The cache is {backend}: rate limits and locks would count per process. "
                "Set REDIS_URL.",
                id="alliance.W005",
            )
        )
    if getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None):
        problems.append(Warning("MFA_TOTP_INSECURE_BYPASS_CODE is set.", id="alliance.W006"))
    return problems

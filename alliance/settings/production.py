"""Production: the same settings, stricter values. Secrets must come from the environment."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Fail closed: what the base settings default to for development must be given here. Without
# them the process does not start (ImproperlyConfigured), and `manage.py check --deploy`
# refuses values that would leak (alliance/checks.py).
PORTAL_URL = env("PORTAL_URL").rstrip("/")
vars().update(env.email_url("EMAIL_URL"))
WHITENOISE_AUTOREFRESH = False
# Static files under hashed, compressed names (collectstatic writes them; browsers may keep
# them for a year).
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# One JSON object per log line, and a line per request (alliance/base/observability.py).
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING["handlers"]["stdout"]["formatter"] = "json" if LOG_FORMAT == "json" else "plain"  # noqa: F405
LOGGING["loggers"]["alliance.requests"]["level"] = env("REQUEST_LOG_LEVEL", default="INFO")  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Webhooks go to public https addresses only: a partner's endpoint must never make the worker
# call our own network (127.0.0.1, 169.254.169.254, the private ranges). Its own variable,
# off unless a deployment says otherwise, whatever DEBUG is.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)

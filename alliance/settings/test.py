"""Tests: the same settings with fast password hashing and e-mail kept in memory."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
# No persistent connections: a live-server thread would keep the test database open.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

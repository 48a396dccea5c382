"""Tests: the same settings with fast password hashing and e-mail kept in memory."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
# No persistent connections: a live-server thread would keep the test database open.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tasks run inside the test's process, REDIS_URL or not; a test that needs the real broker asks
# for it (the celery_broker fixture), and the workers tests/background starts use it.
CELERY_TASK_ALWAYS_EAGER = True
# Many tests send wrong API keys from 127.0.0.1 through one process-wide cache: the limit is
# tested on its own (tests/api/test_auth.py), not met by accident.
API_BAD_KEYS_PER_MINUTE = 100000
# The same for the forms' rate limits (sign-up, password reset, join and service requests):
# tests/security/test_rate_limits.py puts the real ones back and meets them on purpose.
ACCOUNT_RATE_LIMITS = dict.fromkeys(ACCOUNT_RATE_LIMITS, "100000/m/ip")  # noqa: F405

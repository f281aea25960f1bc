"""Settings for the bureau portal, read from the environment.

Without DATABASE_URL the portal runs on an embedded SQLite file; without REDIS_URL
Celery runs tasks eagerly in-process. Production sets both (see docker-compose.yml).
"""

import ipaddress
import re
from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from bureau.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BUREAU_VAR_DIR", str(BASE_DIR / "var")))

# The embedded default (no DATABASE_URL) is the development and demo mode; a
# deployment sets DATABASE_URL and so runs with DEBUG off unless it asks otherwise.
DEBUG = env_bool("DJANGO_DEBUG", not env_str("DATABASE_URL"))
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-runs"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, not a CDN
    "import_export",
    "axes",
    "django_celery_beat",
    "bureau",
    "schools",
    "inspections",
    "complaints",
    "reports",
]

MIDDLEWARE = [
    # First: what a proxy says about the client (its address, https) is believed only from
    # TRUSTED_PROXIES (bureau/middleware.py).
    "bureau.middleware.ForwardedClientMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the policy too (bureau/csp.py).
    "bureau.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their caching), before the session: sees every
    # other answer (Permissions-Policy; no-store for logged-in users).
    "bureau.middleware.PortalHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Saves a session in use again now and then rather than on every request (the idle timeout).
    "bureau.middleware.SessionTouchMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes docs).
    "axes.middleware.AxesMiddleware",
    # Refuses log-in attempts from an address with too many failures (bureau/ratelimit.py).
    "bureau.ratelimit.LoginRateLimitMiddleware",
]

# Addresses or networks of the reverse proxy in front of the portal: only from these are
# X-Forwarded-For (the client's address) and X-Forwarded-Proto (https) believed.
# gunicorn.conf.py reads the same variable for gunicorn's own forwarded_allow_ips.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {_proxy!r} is not an address or network.") from None

ROOT_URLCONF = "bureau.urls"
WSGI_APPLICATION = "bureau.wsgi.application"

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
                "bureau.context_processors.portal",
                "schools.context_processors.schools",
                "complaints.context_processors.complaints",
                "inspections.context_processors.inspections",
                "reports.context_processors.reports",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database serves a small office: several people log in and save at once.
    # - WAL journal: readers and the one writer no longer wait for each other. The mode is
    #   kept in the file; setting it on each connection is what makes a new file WAL too.
    # - IMMEDIATE: a transaction takes the write lock when it begins. SQLite's default
    #   (DEFERRED) takes it at the first write, and two transactions that read and then
    #   write (django-axes counting a failed login does) deadlock: SQLite answers one of
    #   them "database is locked" at once, without waiting out the timeout.
    # - timeout: how long a writer waits for the lock (SQLite's busy timeout), e.g. while
    #   the eager Celery task of an import writes, before it fails.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "bureau.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "bureau.backends.PortalBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after a working day of inactivity and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A session in use is saved again every SESSION_TOUCH_SECONDS (bureau.middleware.SessionTouchMiddleware),
# not on every request: an idle session still ends about SESSION_COOKIE_AGE after its last request.
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 300)
# Reference data every page reads (terms, a city's districts; bureau/refcache.py) is kept in the
# cache and forgotten on every change; this bounds its age if the cache missed a change.
REFCACHE_SECONDS = env_int("REFCACHE_SECONDS", 300)
# A rectification notice is reminded to its school this many working days before its deadline.
RECTIFICATION_REMIND_DAYS = env_int("RECTIFICATION_REMIND_DAYS", 2)
# The earliest start of the school day a term self-report may give (2021 national sleep notice:
# primary no earlier than 8:20, junior no earlier than 8:00); "HH:MM".
def _env_time(name, default):
    raw = env_str(name, default)
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a time of day as HH:MM, not {raw!r}.") from None


SCHOOL_START_PRIMARY = _env_time("SCHOOL_START_PRIMARY", "08:20")
SCHOOL_START_JUNIOR = _env_time("SCHOOL_START_JUNIOR", "08:00")
if REFCACHE_SECONDS < 0:
    raise ImproperlyConfigured("REFCACHE_SECONDS must be 0 (off) or more.")
if not 0 < SESSION_TOUCH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("SESSION_TOUCH_SECONDS must be more than 0 and less than SESSION_COOKIE_AGE.")

# Login throttling (django-axes): lock a username from an address after 5 failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Password spraying (bureau/ratelimit.py): failed log-ins from one address whatever the user
# name, on the log-in page, the API's token login and the Django admin. Generous, because a
# school or an office behind one NAT address shares it.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_ADDRESS_WINDOW_MINUTES = env_int("LOGIN_ADDRESS_WINDOW_MINUTES", 10)
if LOGIN_ADDRESS_FAILURE_LIMIT < 1 or LOGIN_ADDRESS_WINDOW_MINUTES < 1:
    raise ImproperlyConfigured("LOGIN_ADDRESS_FAILURE_LIMIT and LOGIN_ADDRESS_WINDOW_MINUTES must be 1 or more.")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded spreadsheets: refuse anything larger than this before parsing it.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Files with more rows than this are imported by a Celery job with a progress bar.
IMPORT_ASYNC_ROW_THRESHOLD = env_int("IMPORT_ASYNC_ROW_THRESHOLD", 500)
# What the import reads of one file (bureau/sheets/xlsx.py): a small .xlsx can unpack to
# gigabytes, so the data rows and cells kept, the bytes unpacked and the compression ratio
# of each part are bounded, and a file beyond any of them is refused with a message. The
# defaults take a city's teachers (50,000 rows) with room to spare.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 2_000_000)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Evidence files (photos, PDF, office documents) checked by bureau/uploads.py: the largest
# file taken, and the most an office document (a zip) may unpack to. The proxy's body limit
# (deploy/nginx.conf) must stay above UPLOAD_MAX_BYTES.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_UNPACKED_BYTES = env_int("UPLOAD_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
# Pages anyone reaches without an account (a school's gate sign): requests a minute per address.
PUBLIC_PAGE_RATE_PER_MINUTE = env_int("PUBLIC_PAGE_RATE_PER_MINUTE", 60)
# Survey answers (inspections/surveys/): answers an hour one address (network) may give to one
# campaign; a school's computer room shares one address, so about two classes an hour.
SURVEY_ANSWERS_PER_ADDRESS_HOUR = env_int("SURVEY_ANSWERS_PER_ADDRESS_HOUR", 80)

# Combined-stage schools split shared resources primary : junior = 1 : this weight.
COMBINED_SCHOOL_JUNIOR_WEIGHT = float(env_str("COMBINED_SCHOOL_JUNIOR_WEIGHT", "1.1"))
# A change of the dashboards' inputs (an import, a filed visit, a closed complaint) recomputes
# the area's snapshots this many seconds later: a burst of changes makes one job.
SNAPSHOT_DEBOUNCE_SECONDS = env_int("SNAPSHOT_DEBOUNCE_SECONDS", 120)
# The department (code) whose staff set the bureau's targets, with the leaders: 办公室.
TARGETS_DEPARTMENT = env_str("TARGETS_DEPARTMENT", "office")

# The portal's address as mail links start it (notices: "https://portal.example.org").
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "").rstrip("/")

# Text messages (bureau/sms.py) and the one-time codes that confirm a mobile number
# (bureau/codes.py): registration and a forgotten password.
SMS_BACKEND = env_str("SMS_BACKEND", "bureau.sms.ConsoleSender")
OTP_TTL_SECONDS = env_int("OTP_TTL_SECONDS", 600)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5)
OTP_RESEND_SECONDS = env_int("OTP_RESEND_SECONDS", 60)
OTP_PER_NUMBER_PER_HOUR = env_int("OTP_PER_NUMBER_PER_HOUR", 5)
OTP_PER_ADDRESS_PER_HOUR = env_int("OTP_PER_ADDRESS_PER_HOUR", 20)

# Named complaints (DESIGN.md "Complaint"): deadlines in working days on the bureau calendar.
COMPLAINT_ACCEPT_DAYS = env_int("COMPLAINT_ACCEPT_DAYS", 2)
COMPLAINT_CONCLUDE_DAYS = env_int("COMPLAINT_CONCLUDE_DAYS", 15)
COMPLAINT_EXTENSION_DAYS = env_int("COMPLAINT_EXTENSION_DAYS", 15)
COMPLAINT_APPEAL_DAYS = env_int("COMPLAINT_APPEAL_DAYS", 15)
# Complaints a parent may lodge a day, and one address a day whatever the accounts.
COMPLAINT_SUBMIT_PER_DAY = env_int("COMPLAINT_SUBMIT_PER_DAY", 10)
COMPLAINT_SUBMIT_PER_ADDRESS_PER_DAY = env_int("COMPLAINT_SUBMIT_PER_ADDRESS_PER_DAY", 30)
# Days after closing (or rejecting) a complaint until who lodged it is erased.
COMPLAINT_RETENTION_DAYS = env_int("COMPLAINT_RETENTION_DAYS", 3 * 365)
# A class draw's roster keeps the children's names and birth dates this long after the draw.
CLASS_DRAW_RETENTION_DAYS = env_int("CLASS_DRAW_RETENTION_DAYS", 365)
# Likely duplicates: same school and category, received within this many days of each
# other, with texts at least this similar (0–1, difflib's ratio).
COMPLAINT_DUPLICATE_DAYS = env_int("COMPLAINT_DUPLICATE_DAYS", 14)
COMPLAINT_DUPLICATE_SIMILARITY = float(env_str("COMPLAINT_DUPLICATE_SIMILARITY", "0.5"))
# The department that handles complaints and may know who complained (监审科).
COMPLAINTS_DEPARTMENT = env_str("COMPLAINTS_DEPARTMENT", "audit")

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: a real Redis broker when REDIS_URL is set, otherwise tasks run eagerly
# in-process so that the embedded default needs nothing else running.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# Where the portal sends its tasks (and so where its workers listen, `-Q`): one name per
# deployment sharing a Redis.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Fixed jobs; DatabaseScheduler copies them into django_celery_beat's tables at start,
# where the admin can also add or pause schedules.
CELERY_BEAT_SCHEDULE = {
    "jobs-sweep": {
        "task": "bureau.tasks.jobs_sweep",
        "schedule": env_int("JOB_SWEEP_SECONDS", 60),
    },
    "cleanup-expired-sessions": {
        "task": "bureau.tasks.job_enqueue_periodic",
        "schedule": crontab(hour=3, minute=15),
        "args": ["bureau.sessions_cleanup"],
    },
    "purge-old-import-files": {
        "task": "bureau.tasks.job_enqueue_periodic",
        "schedule": crontab(hour=3, minute=45),
        "args": ["sheets.purge"],
    },
    # Closed complaints past their retention lose the complainant (complaints/retention.py).
    "complaint-anonymise": {
        "task": "bureau.tasks.job_enqueue_periodic",
        "schedule": crontab(hour=4, minute=10),
        "args": ["complaints.anonymise"],
    },
    # Class-draw rosters past retention lose names and birth dates (schools/draw/services.py).
    "class-roster-erase": {
        "task": "bureau.tasks.job_enqueue_periodic",
        "schedule": crontab(hour=4, minute=20),
        "args": ["schools.roster_erase"],
    },
    # Between-class CVs of every school for the term, stored for the dashboards (schools/draw/teachers.py).
    "class-balance": {
        "task": "bureau.tasks.job_enqueue_periodic",
        "schedule": crontab(hour=4, minute=30),
        "args": ["schools.class_balance"],
    },
    # Complaints due tomorrow to their handlers, overdue ones escalated (complaints/reminders.py).
    "complaint-reminders": {
        "task": "bureau.tasks.job_enqueue_periodic",
        "schedule": crontab(hour=7, minute=30),
        "args": ["complaints.reminders"],
    },
    # Rectification notices near their deadline to the school, overdue ones to the inspector
    # and the inspection office (inspections/reminders.py).
    "rectification-reminders": {
        "task": "bureau.tasks.job_enqueue_periodic",
        "schedule": crontab(hour=7, minute=40),
        "args": ["inspections.reminders"],
    },
    # Evidence files left by a rolled-back upload (inspections/jobs.py).
    "sweep-unreferenced-inspection-files": {
        "task": "bureau.tasks.job_enqueue_periodic",
        "schedule": crontab(hour=4, minute=15),
        "args": ["inspections.files_sweep"],
    },
    # Every area's metric snapshots of the current term (reports/snapshots.py).
    "metric-snapshots": {
        "task": "bureau.tasks.job_enqueue_periodic",
        "schedule": crontab(hour=2, minute=30),
        "args": ["reports.snapshots_nightly"],
    },
    # Survey campaigns past their closing date closed, their figures built (inspections/surveys/services.py).
    "survey-campaigns-close": {
        "task": "bureau.tasks.job_enqueue_periodic",
        "schedule": crontab(hour=0, minute=20),
        "args": ["inspections.surveys_close"],
    },
    # Complaint files no attachment names: a rolled-back upload, an anonymised complainant's
    # (complaints/retention.py).
    "sweep-unreferenced-complaint-files": {
        "task": "bureau.tasks.job_enqueue_periodic",
        "schedule": crontab(hour=4, minute=20),
        "args": ["complaints.files_sweep"],
    },
}
# PDFs of reports render on a queue of their own (a worker started with `-Q celery-pdf`, recycled
# by memory: docker-compose.yml), each run interrupted after PDF_SOFT_TIME_LIMIT seconds and
# its process killed after PDF_TIME_LIMIT; the job kit then runs it again or gives up.
PDF_QUEUE = env_str("PDF_QUEUE", f"{CELERY_TASK_DEFAULT_QUEUE}-pdf")
PDF_SOFT_TIME_LIMIT = env_int("PDF_SOFT_TIME_LIMIT", 240)
PDF_TIME_LIMIT = env_int("PDF_TIME_LIMIT", 300)
if PDF_TIME_LIMIT <= PDF_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("PDF_TIME_LIMIT must be longer than PDF_SOFT_TIME_LIMIT.")
# Background jobs (bureau/jobs.py): a running job writes its heartbeat this often; the
# sweep takes back a job whose heartbeat is older than JOB_STALE_SECONDS and rings again
# for a queued one not taken within JOB_RESEND_SECONDS; a failed run waits
# JOB_RETRY_SECONDS (doubling each time) before the next attempt.
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 10)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 120)
JOB_RESEND_SECONDS = env_int("JOB_RESEND_SECONDS", 120)
JOB_RETRY_SECONDS = env_int("JOB_RETRY_SECONDS", 30)
if JOB_STALE_SECONDS < 3 * JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("JOB_STALE_SECONDS must be at least three heartbeats (JOB_HEARTBEAT_SECONDS).")
# The job rows, not the broker, bring work back after a crash: the sweep does not wait for
# this timeout, which only says when Redis itself would redeliver an unacknowledged message
# (a redelivered message finds its job claimed or done and does nothing).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

# API rate limits (DRF throttles), as "<requests>/<s|min|hour|day>".
API_THROTTLE_ANON = env_str("API_THROTTLE_ANON", "60/min")
API_THROTTLE_USER = env_str("API_THROTTLE_USER", "1200/min")
API_THROTTLE_TOKEN = env_str("API_THROTTLE_TOKEN", "20/min")
for _name, _rate in (
    ("API_THROTTLE_ANON", API_THROTTLE_ANON),
    ("API_THROTTLE_USER", API_THROTTLE_USER),
    ("API_THROTTLE_TOKEN", API_THROTTLE_TOKEN),
):
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(f"{_name}={_rate!r} is not a rate such as 60/min.")

REST_FRAMEWORK = {
    # Token first: DRF takes the WWW-Authenticate header of the first class, so a missing or
    # bad token answers 401 (Token) instead of the 403 that session authentication implies.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["bureau.api.IsPortalUser"],
    # Every answer under /api/ is JSON, errors included; people read the API at /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "bureau.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Documents the error answers of every operation (bureau/api_schema.py).
    "DEFAULT_SCHEMA_CLASS": "bureau.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "bureau.api.exception_handler",
    # Per address for anonymous calls, per account for logged-in ones; a view with a
    # throttle_scope gets that scope's rate on top (the token login: "token").
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_ANON, "user": API_THROTTLE_USER, "token": API_THROTTLE_TOKEN},
    # The client's address is REMOTE_ADDR, set from the trusted proxy's header by
    # bureau.middleware.ForwardedClientMiddleware; DRF must not read X-Forwarded-For itself.
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bureau portal API",
    "DESCRIPTION": "District education bureau portal: schools, classes, teachers and statistics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # The bureau's network may not reach the internet: serve Swagger UI ourselves.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Our serializer mixins' docstrings are not descriptions of the serializers using them.
    "GET_LIB_DOC_EXCLUDES": "bureau.api_schema.lib_doc_excludes",
    # Several models have a `status` choice set; name each so the schema is stable.
    "ENUM_NAME_OVERRIDES": {
        "SchoolStatusEnum": "schools.models.School.Status",
        "TeacherStatusEnum": "schools.models.Teacher.Status",
        "VisitKindEnum": "inspections.models.VisitKind",
        "ReportStatusEnum": "reports.models.Report.Status",
    },
}

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "portal@localhost")

LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_on_one_line": {"()": "bureau.logs.ForbiddenOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's default gives "django" a console handler of its own under DEBUG, and the
        # records reach the root's too: every line printed twice. One handler, the root's.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # A refused page is logged as one line, without its traceback (bureau/logs.py).
        "django.request": {"filters": ["forbidden_on_one_line"]},
        # django-axes greets with its version from every process that loads the apps (each
        # gunicorn worker, each manage.py command): not worth a line.
        "axes.apps": {"level": "WARNING"},
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Off only to try the portal over plain http (bin/demo): a Secure cookie is not sent back there.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

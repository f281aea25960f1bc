"""Settings for the test suite: the real settings with a fast hasher and local mail."""

import os

# With DATABASE_URL set (CI on PostgreSQL) the real settings turn DEBUG off and then
# demand a secret key; the suite needs none. Deployment settings are checked by
# tests/test_deploy.py, which runs `check --deploy` on the real settings.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only-" + "x" * 50)

from bureau.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# Tasks run in-process for the suite even when REDIS_URL points at a broker; the tests
# that need a real broker and worker (tests/test_celery_worker.py) switch it off themselves.
CELERY_TASK_ALWAYS_EAGER = True
# The test client and the live server speak plain http, whatever DEBUG the database
# choice implied above; the https settings of a deployment are checked in tests/test_deploy.py.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# django-axes logs every login and reset at INFO: noise in test output.
AXES_VERBOSE = False
# One cache per test process, even when REDIS_URL is set: parallel workers (and earlier runs)
# reuse the same record ids, and must not read each other's cached values from Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Reference data from the database on every request, so that a page's query count does not
# depend on what an earlier request of the test cached (tests/bureau/test_refcache.py turns
# the cache on and proves it).
REFCACHE_SECONDS = 0

# Throwaway models that prove the scope engine and the workflow kit (tests/scopeapp); their
# tables are created from the models, as the app has no migrations.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.scopeapp"]  # noqa: F405

# Rate limits: the whole suite logs in and calls the API from one address in one process, far
# more than a person would; the tests of the limits (tests/bureau/test_rate_limits.py) set
# their own. None switches a DRF throttle off.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None},
}
LOGIN_ADDRESS_FAILURE_LIMIT = 100_000

# The URL walk and the page walks call the public pages many times a minute from one address;
# tests/inspections/test_signs.py sets the limit low to see it hold.
PUBLIC_PAGE_RATE_PER_MINUTE = 100_000

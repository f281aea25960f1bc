"""Settings come from the environment and fail loudly on a bad value (bureau/env.py)."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from bureau.env import env_bool, env_int, env_list, env_str

SETTINGS_FILE = str(Path(settings.BASE_DIR) / "bureau" / "settings.py")
SETTINGS_VARS = (
    "DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER",
    "DJANGO_ALLOWED_HOSTS", "DJANGO_CSRF_TRUSTED_ORIGINS",
)


def load_settings(monkeypatch, **env):
    """Run bureau/settings.py afresh under `env` (only these of its variables set)."""
    for name in SETTINGS_VARS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


@pytest.mark.parametrize("raw", ["ture", "yes please", "2", "enabled"])
def test_env_bool_rejects_a_typo(monkeypatch, raw):
    monkeypatch.setenv("DJANGO_DEBUG", raw)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", False)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("ON", True), ("0", False), ("off", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


def test_env_int_rejects_a_non_number(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", "8h")
    with pytest.raises(ImproperlyConfigured, match="SESSION_COOKIE_AGE"):
        env_int("SESSION_COOKIE_AGE", 3600)
    monkeypatch.setenv("SESSION_COOKIE_AGE", "7200")
    assert env_int("SESSION_COOKIE_AGE", 3600) == 7200


def test_env_str_required_and_defaults(monkeypatch):
    monkeypatch.delenv("SOME_URL", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_URL"):
        env_str("SOME_URL", required=True)
    assert env_str("SOME_URL", "fallback") == "fallback"
    monkeypatch.setenv("SOME_URL", "")
    assert env_str("SOME_URL", "fallback") == "fallback"


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example.org, b.example.org ,,")
    assert env_list("HOSTS") == ["a.example.org", "b.example.org"]
    monkeypatch.delenv("HOSTS")
    assert env_list("HOSTS", ["localhost"]) == ["localhost"]


def test_settings_refuse_a_misspelt_debug_flag(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG='ture'"):
        load_settings(monkeypatch, DJANGO_DEBUG="ture")


def test_production_settings_require_a_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        load_settings(monkeypatch, DATABASE_URL="postgres://u@db:5432/bureau")


def test_embedded_default_is_sqlite_debug_and_eager(monkeypatch):
    conf = load_settings(monkeypatch)
    assert conf["DEBUG"] is True
    assert conf["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert conf["CELERY_TASK_ALWAYS_EAGER"] is True
    assert conf["CELERY_BROKER_URL"] == "memory://"


def test_redis_url_switches_celery_to_the_broker(monkeypatch):
    conf = load_settings(
        monkeypatch, REDIS_URL="redis://redis:6379/0", DATABASE_URL="postgres://u@db:5432/bureau",
        DJANGO_SECRET_KEY="s" * 60, DJANGO_ALLOWED_HOSTS="portal.example.org",
    )
    assert conf["CELERY_TASK_ALWAYS_EAGER"] is False
    assert conf["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert conf["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert conf["DEBUG"] is False
    assert conf["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert conf["ALLOWED_HOSTS"] == ["portal.example.org"]


def test_eager_can_be_forced_with_a_broker(monkeypatch):
    conf = load_settings(monkeypatch, REDIS_URL="redis://redis:6379/0", CELERY_TASK_ALWAYS_EAGER="1")
    assert conf["CELERY_TASK_ALWAYS_EAGER"] is True


def test_the_suite_runs_tasks_eagerly():
    # bureau/test_settings.py: even with REDIS_URL set (CI), tests not marked `worker` run eagerly.
    assert settings.CELERY_TASK_ALWAYS_EAGER is True

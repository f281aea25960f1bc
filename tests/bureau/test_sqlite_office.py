"""The embedded SQLite database holds a small office logging in and saving at once.

Issue 6: concurrent logins got 500 "database is locked". The suite's own database is SQLite
in memory, shared by one connection; the office is a file written by several connections at
once. So the office runs in a subprocess on a file of its own, with the portal's real
settings (no DATABASE_URL: the embedded default), several threads posting log-ins (failed
ones write django-axes' records in a transaction: read, then write) and saving their API
tokens at the same moment; every request must succeed.

Run by hand: `python -m tests.bureau.test_sqlite_office <empty directory>`.
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CLERKS = 8  # people of one office pressing "log in" at the same moment
ROUNDS = 4  # each: a wrong password, then a write of their own


def test_sqlite_settings_are_for_an_office():
    # What the subprocess below relies on, read from the settings the suite runs with when
    # they are SQLite (on PostgreSQL these options do not exist).
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the suite runs on PostgreSQL")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"].replace(" ", "")
    assert options["timeout"] >= 5


def test_concurrent_logins_and_writes_all_succeed(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bureau.settings",  # the real settings: the embedded default
        BUREAU_VAR_DIR=str(tmp_path),
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.bureau.test_sqlite_office", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["journal_mode"] == "wal"
    assert report["errors"] == [], report["errors"][:5]
    assert report["statuses"] == {"200": CLERKS * ROUNDS, "302": CLERKS * ROUNDS}, report


def office(var_dir):
    """Migrate a fresh file database, then let CLERKS threads log in and write at once."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client, override_settings

    from bureau import services
    from bureau.models import Role, User

    assert Path(settings.DATABASES["default"]["NAME"]).parent == Path(var_dir)
    # The real password hasher spends its time on purpose; here it would only hide the
    # database's part in the time each request takes.
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()
    call_command("migrate", verbosity=0)
    password = "Office-Password-2026"
    users = [
        User.objects.create_user(username=f"clerk{i}", password=password, role=Role.LEADER) for i in range(CLERKS)
    ]
    with connection.cursor() as cursor:
        journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    connections.close_all()

    start = threading.Barrier(CLERKS)
    statuses, errors, lock = {}, [], threading.Lock()

    def note(status=None, error=None):
        with lock:
            if status is not None:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
            if error is not None:
                errors.append(error)

    def clerk(i):
        # Each clerk its own address, so that no lockout or rate limit is what stops it, and a
        # fresh browser each round (a logged-in one is only sent home by the log-in page).
        address = f"10.0.0.{i + 1}"
        try:
            start.wait()
            for _round in range(ROUNDS):
                client = Client(raise_request_exception=False, REMOTE_ADDR=address)
                wrong = client.post("/login/", {"username": f"clerk{i}", "password": "not-it"})
                note(wrong.status_code)
                if wrong.status_code >= 500:
                    note(error=f"clerk{i} failed login: {wrong.status_code}")
                right = client.post("/login/", {"username": f"clerk{i}", "password": password})
                note(right.status_code)
                if right.status_code >= 500:
                    note(error=f"clerk{i} login: {right.status_code}")
                # A write in a transaction of its own: delete, then insert.
                services.user_token_regenerate(user=users[i])
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            note(error=f"clerk{i}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"journal_mode": journal_mode, "statuses": statuses, "errors": errors}))


if __name__ == "__main__":
    office(sys.argv[1])

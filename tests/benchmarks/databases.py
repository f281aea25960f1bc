"""The benchmarks' own PostgreSQL databases, beside the one DATABASE_URL names: built once
and kept between runs, never pytest-django's throw-away test database."""


def database_url(url, name):
    """(DATABASE_URL pointing at database `name` on the server of `url`, the parsed `url`)."""
    import dj_database_url

    config = dj_database_url.parse(url)
    auth = config["USER"] + (f":{config['PASSWORD']}" if config.get("PASSWORD") else "")
    return f"postgres://{auth}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{name}", config


def ensure_database(config, name):
    """Create database `name` on the server of the parsed `config` unless it exists."""
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", user=config["USER"], password=config.get("PASSWORD") or None,
                            host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def run_in_database(script, name, *, what):
    """The test side of a benchmark: skip without PostgreSQL, make database `name` on its
    server, and run `script` (the benchmark file itself) there in a subprocess."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(f"the {what} benchmark needs PostgreSQL: set DATABASE_URL=postgres://… "
                    f"(it builds its data in the database {name})")
    bench_url, config = database_url(url, name)
    ensure_database(config, name)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": bench_url, "DJANGO_SETTINGS_MODULE": "bureau.test_settings",
           "PYTHONPATH": str(root)}
    result = subprocess.run([sys.executable, script], env=env, cwd=root)
    assert result.returncode == 0, f"the {what} benchmark failed: see its output above"


def demo_ready(*, scale, name, seed, lock, say):
    """Inside the subprocess: the demo data of `scale` in the database, built once and
    reused while its marker says that scale. Two runs at once (two engineers, or CI and a
    person) would otherwise both see none, and the second one's reset would delete what the
    first is building: the session's advisory `lock` holds until the process ends."""
    from django.core.management import call_command
    from django.db import connection

    from bureau.demo import demo_data_load, demo_data_marker

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock])
    call_command("migrate", verbosity=0)
    marker = demo_data_marker()
    if marker and marker["scale"] == scale:
        say(f"Reusing the {scale} in {name} (seed {marker['seed']}).")
        return
    say(f"Building the {scale} scale demo data in {name} (once; a line per district)…")
    report = demo_data_load(seed=seed, scale=scale, reset=True, log=say)
    say(f"Built in {report.seconds:.0f} s, peak memory {report.peak_memory_mb:.0f} MB.")

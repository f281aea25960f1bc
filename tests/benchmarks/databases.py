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

"""Gunicorn settings for the web container (docker-compose.yml: `gunicorn bureau.wsgi`).

Gunicorn itself reads WEB_CONCURRENCY and GUNICORN_CMD_ARGS to override these.
"""

import multiprocessing
import os

# All interfaces of the container; docker-compose.yml publishes no port of it: only the proxy
# (and the other containers) reach it.
bind = "0.0.0.0:8000"
# Sync workers: pages are short database reads; long work (imports, reports) goes to Celery.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Only the reverse proxy may say how the client came: the addresses the portal itself believes
# (DJANGO_TRUSTED_PROXIES, bureau/settings.py; the same default). A client that reaches gunicorn
# directly and claims "X-Forwarded-Proto: https" is not believed.
forwarded_allow_ips = os.environ.get("DJANGO_TRUSTED_PROXIES") or "127.0.0.1,::1"
# And only the one header the proxy writes (deploy/nginx.conf), not gunicorn's other two.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
accesslog = "-"
errorlog = "-"

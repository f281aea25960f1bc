"""Gunicorn settings for the web container (docker-compose.yml: `gunicorn bureau.wsgi`).

Gunicorn itself reads WEB_CONCURRENCY and GUNICORN_CMD_ARGS to override these.
"""

import multiprocessing
import os

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
# The reverse proxy in front terminates TLS and sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = "*"
accesslog = "-"
errorlog = "-"

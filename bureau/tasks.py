"""Maintenance tasks of the portal itself. Thin: each calls one service."""

from celery import shared_task
from django.db import OperationalError

from bureau.services import sessions_clear_expired


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def cleanup_expired_sessions():
    """Nightly (beat): delete expired sessions. Safe to run twice: the second deletes nothing."""
    return sessions_clear_expired()

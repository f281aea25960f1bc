"""Logging helpers for settings.LOGGING."""

import logging


class ForbiddenOnOneLine(logging.Filter):
    """A 403 is logged as one line, not a traceback.

    Django logs every PermissionDenied with the exception attached ("Forbidden (Permission
    denied): /path" and the whole stack), though a refused page is the permission system
    working, not a fault. On the django.request logger: the line stays, the stack goes.
    """

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True

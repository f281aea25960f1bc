"""Text messages, through a pluggable sender (SMS_BACKEND, a dotted path).

The embedded default prints each message to the console, so that `bin/demo` shows the code
a person would receive; a deployment points SMS_BACKEND at a class for its SMS gateway with
the same one method, `send(*, mobile, message)`, raising SmsError when the gateway refuses.
Nothing else in the portal knows how a message travels.
"""

import sys
import threading

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The gateway did not take the message."""


class ConsoleSender:
    """Prints the message (the demo and development: read the code off the console)."""

    def send(self, *, mobile, message):
        stream = sys.stdout
        stream.write(f"[SMS to {mobile}] {message}\n")
        stream.flush()


# Messages the locmem sender took, for tests (like Django's mail.outbox).
outbox = []
_lock = threading.Lock()


class LocmemSender:
    def send(self, *, mobile, message):
        with _lock:
            outbox.append({"mobile": mobile, "message": message})


def sms_send(*, mobile, message):
    import_string(settings.SMS_BACKEND)().send(mobile=mobile, message=message)

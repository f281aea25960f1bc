"""One-time codes that confirm a mobile number: made, sent, checked; expiring and rate-limited.

A code is six digits, valid OTP_TTL_SECONDS, good for one use and OTP_MAX_ATTEMPTS wrong
guesses. A number gets at most one code every OTP_RESEND_SECONDS and OTP_PER_NUMBER_PER_HOUR
an hour; an address (the client's, bureau/middleware.py) OTP_PER_ADDRESS_PER_HOUR an hour,
across numbers, so that nobody uses the portal to flood phones or to try numbers in bulk.
Only a keyed hash of a code is stored.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.errors import DomainError
from bureau.models import OneTimeCode
from bureau.sms import SmsError, sms_send


class CodeError(DomainError):
    """A code that cannot be sent or does not confirm the number (the message says why)."""


def _hash(mobile, purpose, code):
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}:{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def _wait_message(seconds):
    minutes = max(1, -(-seconds // 60))
    return _("Too many codes were asked for. Try again in %(minutes)d minutes.") % {"minutes": minutes}


def _check_limits(*, mobile, address, now):
    hour_ago = now - datetime.timedelta(hours=1)
    last = OneTimeCode.objects.filter(mobile=mobile).order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None and (now - last).total_seconds() < settings.OTP_RESEND_SECONDS:
        wait = settings.OTP_RESEND_SECONDS - int((now - last).total_seconds())
        raise CodeError(_("A code was sent to this number just now. Ask for another in %(seconds)d seconds.")
                        % {"seconds": max(1, wait)})
    recent = OneTimeCode.objects.filter(created_at__gte=hour_ago)
    if recent.filter(mobile=mobile).count() >= settings.OTP_PER_NUMBER_PER_HOUR:
        oldest = recent.filter(mobile=mobile).order_by("created_at").values_list("created_at", flat=True).first()
        raise CodeError(_wait_message(int((oldest + datetime.timedelta(hours=1) - now).total_seconds())))
    if address and recent.filter(address=address).count() >= settings.OTP_PER_ADDRESS_PER_HOUR:
        oldest = recent.filter(address=address).order_by("created_at").values_list("created_at", flat=True).first()
        raise CodeError(_wait_message(int((oldest + datetime.timedelta(hours=1) - now).total_seconds())))


@transaction.atomic
def code_send(*, mobile, purpose, address, deliver=True):
    """Make a code for `mobile` and send it (unless `deliver` is False: a reset asked for a
    number with no account counts towards the limits, but nothing is sent, and the page says
    the same either way)."""
    now = timezone.now()
    _check_limits(mobile=mobile, address=address, now=now)
    code = f"{secrets.randbelow(10 ** 6):06d}"
    OneTimeCode.objects.create(
        mobile=mobile, purpose=purpose, code_hash=_hash(mobile, purpose, code), address=address or None,
        expires_at=now + datetime.timedelta(seconds=settings.OTP_TTL_SECONDS),
    )
    if deliver:
        minutes = max(1, settings.OTP_TTL_SECONDS // 60)
        message = _("Your code for the education bureau portal is %(code)s, valid for %(minutes)d minutes. "
                    "Do not give it to anyone.") % {"code": code, "minutes": minutes}
        try:
            sms_send(mobile=mobile, message=message)
        except SmsError:
            raise CodeError(_("The text message could not be sent. Try again in a few minutes.")) from None
    return code


def code_check(*, mobile, purpose, code):
    """Use the latest code sent to `mobile` for `purpose`; CodeError when it is wrong,
    expired, used or guessed at too often.

    Call it outside a transaction (the views do): a wrong guess must stay counted, and an
    enclosing transaction that rolls back on the error would forget it.
    """
    now = timezone.now()
    problem = None
    with transaction.atomic():
        row = (OneTimeCode.objects.select_for_update().filter(mobile=mobile, purpose=purpose)
               .order_by("-created_at", "-id").first())
        if row is None or row.used_at is not None:
            problem = _("Ask for a code first.")
        elif row.expires_at <= now:
            problem = _("The code has expired. Ask for a new one.")
        elif row.attempts >= settings.OTP_MAX_ATTEMPTS:
            problem = _("Too many wrong codes. Ask for a new one.")
        elif not hmac.compare_digest(row.code_hash, _hash(mobile, purpose, (code or "").strip())):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            problem = _("The code is wrong.")
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
    if problem:
        raise CodeError(problem)
    return row

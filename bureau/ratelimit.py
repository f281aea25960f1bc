"""Password spraying: failed log-ins counted per address, across user names.

django-axes locks one user name from one address after AXES_FAILURE_LIMIT failures; an
attacker trying one common password on many user names never reaches that. So the failures
of one address are counted too, whatever the user name, and once an address has
LOGIN_ADDRESS_FAILURE_LIMIT failures within LOGIN_ADDRESS_WINDOW_MINUTES its log-in
attempts (the log-in page, the API's token login, the Django admin's) answer 429 until the
oldest of them leave the window. The limit is generous on purpose: a school or office
behind one NAT address shares it, and its people's typing mistakes count together.

The counts live in the cache (Redis in production, so all web workers share them; the
embedded default runs one process), in one-minute buckets: incrementing is atomic, and the
window slides by the minute.
"""

import ipaddress
import math
import time
from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The routes (URL names) where a password is tried.
LOGIN_VIEWS = frozenset({"login", "api_token", "admin:login"})
BUCKET_SECONDS = 60
API_PREFIX = "/api/"


def hit(key, timeout):
    """Add one to the counter `key` (kept `timeout` seconds) and return its count: the one
    counter of every limit the portal keeps in the cache (failed log-ins, public pages,
    complaints lodged from one network)."""
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def address_subject(address):
    """What is counted: the address, or for IPv6 its /64 network (one home or office gets a
    whole /64 and can pick any address in it)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _buckets(now):
    current = int(now // BUCKET_SECONDS)
    count = max(1, math.ceil(settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60 / BUCKET_SECONDS))
    return range(current - count + 1, current + 1)


def _key(subject, bucket):
    return f"login-failures:{subject}:{bucket}"


def failure_record(address, *, now=None):
    now = time.time() if now is None else now
    hit(_key(address_subject(address), int(now // BUCKET_SECONDS)),
        settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60 + BUCKET_SECONDS)


def retry_after(address, *, now=None):
    """Seconds until this address may try again; 0 when it may now."""
    now = time.time() if now is None else now
    subject = address_subject(address)
    buckets = list(_buckets(now))
    found = cache.get_many([_key(subject, bucket) for bucket in buckets])
    counts = [(bucket, found.get(_key(subject, bucket), 0)) for bucket in buckets]
    total = sum(count for _bucket, count in counts)
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    if total < limit:
        return 0
    # Wait until enough of the oldest failures have left the window.
    for bucket, count in counts:
        total -= count
        if total < limit:
            leaves_at = (bucket + len(buckets)) * BUCKET_SECONDS
            return max(1, math.ceil(leaves_at - now))
    return settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60  # not reached: the loop empties the window


def _count_failure(sender, credentials=None, request=None, **kwargs):
    # Sent by django.contrib.auth.authenticate() for every refused password, whichever
    # page or API asked (and for an account django-axes has locked).
    if request is not None:
        failure_record(request.META.get("REMOTE_ADDR", ""))


def too_many(request, wait):
    minutes = max(1, math.ceil(wait / 60))
    if request.path.startswith(API_PREFIX):
        message = ngettext(
            "Too many failed log-ins came from your network. Try again in %(minutes)s minute.",
            "Too many failed log-ins came from your network. Try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"retry_minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


# ---- public pages ------------------------------------------------------------------------


def public_hit(scope, address, *, now=None):
    """Count a request from `address` to the public pages of `scope`; the seconds to wait when
    the address is over PUBLIC_PAGE_RATE_PER_MINUTE this minute, else 0."""
    now = time.time() if now is None else now
    bucket = int(now // BUCKET_SECONDS)
    count = hit(f"public:{scope}:{address_subject(address)}:{bucket}", BUCKET_SECONDS * 2)
    if count <= settings.PUBLIC_PAGE_RATE_PER_MINUTE:
        return 0
    return max(1, math.ceil((bucket + 1) * BUCKET_SECONDS - now))


def public_rate_limited(scope):
    """Decorate a public view: an address over the per-minute limit answers 429 with
    Retry-After (pages anyone reaches without an account, DESIGN.md "Public pages")."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = public_hit(scope, request.META.get("REMOTE_ADDR", ""))
            if wait:
                response = render(request, "429.html", {
                    "retry_minutes": max(1, math.ceil(wait / 60)),
                    "message": _("Too many requests came from your network. Try again in a minute."),
                }, status=429)
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class LoginRateLimitMiddleware:
    """Refuses a log-in attempt (a POST to one of LOGIN_VIEWS) from an address over the limit,
    before any password is checked; counts the failures where they happen."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Counted where the limit is kept: a process that serves no requests has no log-ins.
        user_login_failed.connect(_count_failure, dispatch_uid="bureau.ratelimit.count_failure")

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        if request.resolver_match.view_name not in LOGIN_VIEWS:
            return None
        wait = retry_after(request.META.get("REMOTE_ADDR", ""))
        return too_many(request, wait) if wait else None

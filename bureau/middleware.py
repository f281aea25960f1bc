"""Request and response plumbing of the portal: who the client is behind the proxy, and the
headers every answer carries.

Each concern is its own middleware and adds only its own headers, leaving any a view or
another middleware set (the Content-Security-Policy is bureau/csp.py's).
"""

import ipaddress
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, user_logged_in
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers

# ---- the reverse proxy ---------------------------------------------------------------------

# Headers a proxy sets to say who the client is and how it came. From anyone but the proxy
# they are the client's own claims: "X-Forwarded-Proto: https" would pass the https redirect
# and HSTS checks, and "X-Forwarded-For: <anything>" would dodge every per-address limit.
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


def trusted_networks(addresses):
    """TRUSTED_PROXIES as networks; a bad entry stops the process at start (settings)."""
    return tuple(ipaddress.ip_network(address.strip(), strict=False) for address in addresses)


def _ip(address):
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


class ForwardedClientMiddleware:
    """Believe the forwarded headers only from TRUSTED_PROXIES (the reverse proxy).

    From the proxy, the client's address is the last entry of X-Forwarded-For (the one the
    proxy itself wrote; anything to its left came from the client) and becomes REMOTE_ADDR,
    which is all that django-axes, DRF's throttles and bureau.ratelimit read. From anyone
    else the forwarded headers are dropped. First in MIDDLEWARE: SecurityMiddleware's https
    redirect reads X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = trusted_networks(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        meta = request.META
        peer = _ip(meta.get("REMOTE_ADDR", ""))
        if peer is not None and any(peer in network for network in self.trusted):
            forwarded = meta.pop("HTTP_X_FORWARDED_FOR", "").split(",")
            client = _ip(forwarded[-1].strip())
            if client is not None:
                meta["REMOTE_ADDR"] = str(client)
        else:
            for name in FORWARDED_HEADERS:
                meta.pop(name, None)
        return self.get_response(request)


# ---- headers on every answer -----------------------------------------------------------------

# Browser features the portal never uses, switched off for its pages and anything that
# might get injected into them. Names Chromium and Firefox know (an unknown one only earns
# a console warning).
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer",
    "autoplay",
    "bluetooth",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
))


class PortalHeadersMiddleware:
    """Permissions-Policy on every answer; and nothing a logged-in user sees is stored.

    A page or an API answer for a logged-in user holds personal and school data: with
    `Cache-Control: no-store` neither the browser (the back button on a shared office
    computer after logging out) nor a proxy keeps a copy. Placed after WhiteNoise, so
    static files keep their long caching, and before the session and authentication
    middleware, so it sees every answer, errors and lockouts included. The user is read
    after the view: a DRF view authenticated by token sets it on the request too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = PERMISSIONS_POLICY
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


# ---- the session's idle timeout ------------------------------------------------------------

TOUCHED_KEY = "_touched"


@receiver(user_logged_in)
def session_touched_at_login(sender, request, user, **kwargs):
    # A login saves the session anyway: count that as its touch, so the next request does
    # not save it again. Only a session login (django.contrib.auth.login puts the user in
    # the session); the API's token login must not start a session.
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        session[TOUCHED_KEY] = int(time.time())


class SessionTouchMiddleware:
    """Keep a session alive while it is used, without writing it on every request.

    A session ends SESSION_COOKIE_AGE after it was last saved (the idle timeout). Saving it
    on every request (SESSION_SAVE_EVERY_REQUEST) costs three queries a page; instead a
    session in use is saved again once SESSION_TOUCH_SECONDS have passed since its last
    save, so an idle session ends between SESSION_COOKIE_AGE − SESSION_TOUCH_SECONDS and
    SESSION_COOKIE_AGE after its last request. After SessionMiddleware in MIDDLEWARE: this
    runs first on the way out, and SessionMiddleware then saves what it marked.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.every = settings.SESSION_TOUCH_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # An empty session (a visitor who never logged in) is never stored: leave it so.
        if session is not None and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(TOUCHED_KEY, 0) >= self.every:
                session[TOUCHED_KEY] = now
        return response

"""The Content-Security-Policy header, on every response.

The portal's pages run one static script (static/js/portal.js) and one stylesheet, both
from the portal itself, so the policy allows nothing inline: an injected <script>, an
on* attribute or a style="" attribute that slipped past escaping is not run or applied.
Pages mark what they want scripted with data attributes, and progress bars are <progress>
elements, not inline widths.

Placed before WhiteNoise in MIDDLEWARE so that static files carry the header too. A view
that needs another policy (none does today) sets the header itself; it is kept.
"""

POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    # Swagger UI (the API docs, served from our own static files) draws its icons as data: URLs.
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = POLICY
        return response

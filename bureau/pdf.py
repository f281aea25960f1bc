"""Every PDF the portal makes goes through here: WeasyPrint with a fetcher that reads nothing
but the project's own static files and inline data: URIs.

The text in a PDF comes from users (a complaint, a visit's notes, a school's name). Templates
escape it, but a renderer that follows any URL would still be one template mistake away from
reading a server file (file:///etc/…) or calling an internal address (http://127.0.0.1:…) on
the attacker's behalf. So the fetcher refuses every address that is not a static file the
project ships, and says so in the log.
"""

import logging
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

logger = logging.getLogger("bureau.pdf")
# WeasyPrint narrates every step and page of a PDF at INFO: dozens of log lines a report.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Relative URLs in a PDF template (/static/css/x.css) resolve against this made-up origin,
# which the fetcher maps to the static files; nothing is ever fetched from it.
BASE_URL = "https://portal.pdf.invalid/"


class RefusedAddress(ValueError):
    """An address a PDF asked for that is not one of the project's static files."""


def static_path(url):
    """The file on disk behind one of the project's static URLs, or None."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query:
        return None
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix):]
    if not relative or ".." in relative.split("/"):
        return None
    return finders.find(relative)


def static_url(name):
    """The address under which a PDF reaches a static file (css/x.css)."""
    return BASE_URL.rstrip("/") + "/" + settings.STATIC_URL.strip("/") + "/" + name.lstrip("/")


def _fetcher():
    # Imported here: Pango is loaded only by the processes that render PDFs.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PortalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = static_path(url)
            if found is None:
                logger.warning("PDF rendering refused the address %r", url[:200])
                raise RefusedAddress(f"refused: {url[:200]}")
            with open(found, "rb") as handle:
                body = handle.read()
            kind = "text/css" if found.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": kind})

    return PortalFetcher(allowed_protocols=("data", "https"), allow_redirects=False)


def html_to_pdf(html, *, stylesheets=()):
    """PDF bytes of a whole HTML document; `stylesheets` are static paths (css/x.css)."""
    from weasyprint import CSS, HTML

    fetcher = _fetcher()
    # Fetched by URL, not read by file name, so that what a stylesheet links to resolves
    # against the static files too (a file:// base would be refused).
    sheets = [CSS(url=static_url(name), url_fetcher=fetcher) for name in stylesheets]
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(stylesheets=sheets)


def render_pdf(template, context, *, stylesheets=(), request=None):
    """Render a template to PDF bytes through the portal's fetcher."""
    return html_to_pdf(render_to_string(template, context, request=request), stylesheets=stylesheets)

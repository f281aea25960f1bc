"""The home page is made of panels that the apps contribute.

bureau owns the page; each app registers what it has to show (schools its counts and
class-size chart, inspections an inspector's zones, later complaints a parent's
complaints) in its own `home.py`, loaded by its AppConfig. bureau so imports no domain
app, and a new app adds its panel without touching another app's code.

A panel is a template and a function `(user) -> context or None`; None leaves the panel
out for that user. A landing function `(user) -> url or None` may send a user elsewhere
(a principal starts at its school).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: object  # callable(user) -> dict | None


_PANELS = []
_LANDINGS = []


def panel(*, template, order):
    """Register the decorated `(user) -> context or None` as a home panel."""

    def register(function):
        _PANELS.append(Panel(order, template, function))
        _PANELS.sort(key=lambda p: p.order)
        return function

    return register


def landing(function):
    """Register `(user) -> url or None`: where a user starts instead of the home page."""
    _LANDINGS.append(function)
    return function


def landing_url(user):
    for function in _LANDINGS:
        url = function(user)
        if url:
            return url
    return None


def panels_for(user):
    """[(template, context)] of the panels this user sees, in order."""
    shown = []
    for item in _PANELS:
        context = item.context(user)
        if context is not None:
            shown.append((item.template, context))
    return shown


# Panels on a record's own page (a school's page shows its open rectification notices): the
# same idea, keyed by the page, with functions `(user, record) -> context or None`. The app
# that owns the page asks for them, so the app that adds a panel is not imported by it.
_RECORD_PANELS = {}


def record_panel(*, page, template, order):
    """Register the decorated `(user, record) -> context or None` as a panel of `page`."""

    def register(function):
        panels = _RECORD_PANELS.setdefault(page, [])
        panels.append(Panel(order, template, function))
        panels.sort(key=lambda p: p.order)
        return function

    return register


def record_panels_for(page, user, record):
    """[(template, context)] of the panels of `page` this user sees for `record`, in order."""
    shown = []
    for item in _RECORD_PANELS.get(page, ()):
        context = item.context(user, record)
        if context is not None:
            shown.append((item.template, context))
    return shown


@panel(template="bureau/includes/home_account.html", order=0)
def account_panel(user):
    """A member of the public sees its registered identity (its complaints come later)."""
    from bureau.permissions import is_public_account

    return {"account": user} if is_public_account(user) else None


@panel(template="bureau/includes/home_notices.html", order=1)
def notices_panel(user):
    """Unread notices (reminders, escalations) of any account, newest first."""
    from bureau.notices import unread_for

    unread = unread_for(user=user)
    return {"notices": unread} if unread else None

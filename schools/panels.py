"""Panels the apps built on schools add to the school and teacher pages.

schools imports none of those apps (the one-way rule): an app registers, in its own module
loaded by its AppConfig, a function `(user, record) -> context or None` and a template, as
apps do for the home page (bureau/home.py). The complaints app shows the vetoes (一票否决)
of substantiated complaints on a school's profile, for bureau staff.
"""

from dataclasses import dataclass

SCHOOL = "school"
TEACHER = "teacher"


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: object  # callable(user, record) -> dict | None


_PANELS = {SCHOOL: [], TEACHER: []}


def panel(*, page, template, order):
    """Register the decorated `(user, record) -> context or None` on `page` (SCHOOL or TEACHER)."""

    def register(function):
        _PANELS[page].append(Panel(order, template, function))
        _PANELS[page].sort(key=lambda p: p.order)
        return function

    return register


def panels_for(page, user, record):
    """[(template, context)] of the panels this user sees on the page of `record`."""
    shown = []
    for item in _PANELS[page]:
        context = item.context(user, record)
        if context is not None:
            shown.append((item.template, context))
    return shown

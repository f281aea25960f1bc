"""What the inspections app shows on the home page (bureau/home.py): an inspector's zones and
its month's work; and on a school's page: the school's open rectification notices."""

from bureau.home import panel, record_panel
from inspections import selectors
from inspections.permissions import can_read_visits, looks_after_zones

# A school's page lists this many open notices at most (the notices page has them all).
SCHOOL_NOTICES_SHOWN = 20


@panel(template="inspections/includes/home_zones.html", order=20)
def my_zones(user):
    if not looks_after_zones(user):
        return None
    return {"zones": selectors.my_zones(user=user)}


@record_panel(page="school", template="inspections/includes/school_notices.html", order=10)
def school_notices(user, school):
    """The school's open rectification notices, overdue ones flagged (one query)."""
    if not can_read_visits(user):
        return None
    notices = list(selectors.notice_list(user=user, filters={"school": school, "open": True})[:SCHOOL_NOTICES_SHOWN])
    if not notices:
        return None
    return {"notices": notices, "overdue": sum(1 for n in notices if n.is_overdue()), "school": school}

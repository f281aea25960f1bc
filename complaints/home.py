"""What the complaints app shows on the home page (bureau/home.py), per role."""

from bureau import refcache, scope
from bureau.home import panel
from bureau.models import Role
from bureau.permissions import has_role
from complaints import deadlines
from complaints.models import Complaint
from complaints.permissions import can_lodge
from complaints.selectors import complaint_counts, complaint_list

# The due counts, cached per reach and day (bureau.refcache.cached_for), forgotten on every
# change to a complaint or the calendar (complaints/apps.py).
DUE_CACHE = "home-complaints"


@panel(template="complaints/includes/home_mine.html", order=5)
def my_complaints(user):
    """A parent: its complaints and the way to lodge one."""
    if not can_lodge(user):
        return None
    return {"complaints": list(complaint_list(user=user)[:5])}


@panel(template="complaints/includes/home_due.html", order=15)
def complaints_due(user):
    """Staff and leaders: what is due today, tomorrow and overdue; a school: what it was handed."""
    if user.is_superuser or not has_role(user, Role.STAFF, Role.LEADER, Role.PRINCIPAL):
        return None
    today = deadlines.today()
    reach = scope.reach_key(user, Complaint)
    counts = refcache.cached_for(DUE_CACHE, reach and f"{reach}|{today.isoformat()}",
                                 lambda: complaint_counts(user=user, today=today))
    return {"counts": counts, "school": has_role(user, Role.PRINCIPAL)}

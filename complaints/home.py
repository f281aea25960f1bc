"""What the complaints app shows on the home page (bureau/home.py), per role."""

from bureau.home import panel
from bureau.models import Role
from bureau.permissions import has_role
from complaints.permissions import can_lodge
from complaints.selectors import complaint_counts, complaint_list


@panel(template="complaints/includes/home_mine.html", order=5)
def my_complaints(user):
    """A parent: its complaints and the way to lodge one."""
    if not can_lodge(user):
        return None
    return {"complaints": list(complaint_list(user=user)[:5])}


@panel(template="complaints/includes/home_due.html", order=15)
def complaints_due(user):
    """Staff and leaders: what is due today, tomorrow and overdue; a school: what it was handed."""
    if has_role(user, Role.STAFF, Role.LEADER) and not user.is_superuser:
        return {"counts": complaint_counts(user=user), "school": False}
    if has_role(user, Role.PRINCIPAL) and not user.is_superuser:
        return {"counts": complaint_counts(user=user), "school": True}
    return None

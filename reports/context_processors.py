from django.urls import reverse

from reports import permissions
from reports.permissions import SCHOOL_READERS


def reports(request):
    """The reports app's predicates for every page's menu, and the menu's 统计 entry for
    everyone who reads figures; no query (reports:mine decides where it leads)."""
    user = getattr(request, "user", None)
    context = {"can_read_reports": permissions.can_read_reports(user),
               "can_read_own_school_reports": permissions.can_read_own_school_reports(user)}
    if user is not None and user.is_authenticated and user.role in SCHOOL_READERS:
        context["dashboard_url"] = reverse("reports:mine")
    return context

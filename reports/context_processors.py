from django.urls import reverse

from reports.permissions import SCHOOL_READERS


def reports(request):
    """The menu's 统计 entry, for everyone who reads figures; no query (reports:mine decides
    where it leads)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in SCHOOL_READERS:
        return {}
    return {"dashboard_url": reverse("reports:mine")}

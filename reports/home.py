"""The home page's panel: the way to the dashboards, for staff and leaders."""

from bureau.home import panel, record_panel
from reports.permissions import BUREAU_READERS


@panel(template="reports/includes/home_dashboards.html", order=5)
def dashboards_panel(user):
    if not (user.is_authenticated and user.role in BUREAU_READERS and user.district_id):
        return None
    return {"district_id": user.district_id}


@record_panel(page="school", template="reports/includes/school_figures_link.html", order=5)
def school_figures(user, school):
    """On a school's record: the way to its figures against the standards."""
    from reports.permissions import SCHOOL_READERS

    return {"school": school} if user.role in SCHOOL_READERS else None

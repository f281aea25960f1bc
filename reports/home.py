"""The home page's panel for staff and leaders: the way to the dashboards."""

from bureau.home import panel
from reports.permissions import BUREAU_READERS


@panel(template="reports/includes/home_dashboards.html", order=5)
def dashboards_panel(user):
    if not (user.is_authenticated and user.role in BUREAU_READERS and user.district_id):
        return None
    return {"district_id": user.district_id}

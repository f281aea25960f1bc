"""The home page's panel: the way to the dashboards, for staff and leaders."""

from bureau.home import panel
from bureau.scope import district_children
from reports.permissions import BUREAU_READERS


@panel(template="reports/includes/home_dashboards.html", order=5)
def dashboards_panel(user):
    if not (user.is_authenticated and user.role in BUREAU_READERS and user.district_id):
        return None
    return {"district_id": user.district_id, "is_city": user.district_id in district_children()}

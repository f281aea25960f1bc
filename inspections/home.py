"""What the inspections app shows on the home page (bureau/home.py): an inspector's zones."""

from bureau.home import panel
from inspections.permissions import looks_after_zones
from inspections.selectors import my_zones as select_my_zones


@panel(template="inspections/includes/home_zones.html", order=20)
def my_zones(user):
    if not looks_after_zones(user):
        return None
    return {"zones": select_my_zones(user=user)}

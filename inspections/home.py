"""What the inspections app shows on the home page (bureau/home.py): an inspector's zones."""

from bureau.home import panel
from inspections.models import InspectorZone
from inspections.permissions import looks_after_zones


@panel(template="inspections/includes/home_zones.html", order=20)
def my_zones(user):
    if not looks_after_zones(user):
        return None
    zones = InspectorZone.objects.visible_to(user).prefetch_related("school_links__school").order_by("name")
    return {"zones": zones}

"""How inspection records belong, and which zones and schools an inspector looks after.

The scope engine in bureau knows that inspectors reach "their zones"; this module tells it
which those are, so that bureau imports nothing of this app.
"""

from bureau import scope
from bureau.models import Role
from bureau.permissions import has_role
from bureau.scope import Belongs
from inspections.models import InspectorZone, ZoneSchool

scope.declare(InspectorZone, Belongs(district="district", school="school_links__school", zone="pk"))


@scope.provide_zones
def inspector_reach(user):
    """(zone ids, school ids) of an inspector, as subqueries: they cost no query of their own."""
    return (
        InspectorZone.objects.filter(inspectors=user).values("pk"),
        ZoneSchool.objects.filter(zone__inspectors=user).values("school_id"),
    )


def looks_after_zones(user):
    """An inspector: its home page lists the zones it looks after."""
    return has_role(user, Role.INSPECTOR) and not user.is_superuser

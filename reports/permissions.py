"""Who reads which dashboard, and who sets targets; how snapshots and targets belong.

The dashboards read snapshots of one scope (a district, a zone, a school, a class): the view
first loads that scope's own record through the scope engine (get_visible_or_404 on the
District, InspectorZone, School or SchoolClass), so an inspector reaches only its zones'
pages and a principal only its school's, and 404 answers for missing and forbidden alike.
"""

from django.conf import settings

from bureau import scope
from bureau.models import Role
from bureau.permissions import has_role
from reports.models import Snapshot, Target

# District and city dashboards, the targets board: the bureau's staff and leaders.
BUREAU_READERS = (Role.STAFF, Role.LEADER)
# A zone's schools side by side: also its inspectors.
ZONE_READERS = (Role.STAFF, Role.LEADER, Role.INSPECTOR)
# A school's (and its classes') figures: also the school's principal.
SCHOOL_READERS = (Role.STAFF, Role.LEADER, Role.INSPECTOR, Role.PRINCIPAL)

# A snapshot belongs where its scope lies (reports/models.py): district and city rows to the
# bureau, a zone's to its inspectors, a school's and its classes' to the school as well.
scope.declare(Snapshot, scope.Belongs(district="district", zone="zone", school="school"))
# A target is the bureau's (of its district, or a zone of it); its zone's inspectors read it.
scope.declare(Target, scope.Belongs(district="district", zone="zone", roles=frozenset(BUREAU_READERS)))


def can_set_targets(user):
    """The bureau's office (办公室, TARGETS_DEPARTMENT) and its leaders set targets."""
    if has_role(user, Role.LEADER):
        return True
    return (
        has_role(user, Role.STAFF) and user.department_id is not None
        and user.department.code == settings.TARGETS_DEPARTMENT
    )


def can_refresh(user):
    """Staff and leaders may ask for fresh snapshots of their area."""
    return has_role(user, *BUREAU_READERS)

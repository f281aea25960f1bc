"""Who reaches which report, who may ask for one and who publishes it.

Bureau staff and admins of a district ask for reports of it; its leaders read them and
publish them as bulletins (DESIGN.md: a leader approves publication); the inspectors of a
zone read that zone's reports. Principals read only what is about their school (the school
assessment, in its own module), never a district's report.

The dashboards read snapshots of one scope (a district, a zone, a school, a class): the view
first loads that scope's own record through the scope engine (get_visible_or_404 on the
District, InspectorZone, School or SchoolClass), so an inspector reaches only its zones'
pages and a principal only its school's, and 404 answers for missing and forbidden alike;
targets are set by the bureau's office and its leaders.
"""

from django.conf import settings

from bureau import scope, workflow
from bureau.models import Role
from bureau.permissions import BUREAU, has_role
from bureau.scope import Belongs
from reports.models import Report, Snapshot, Target

REPORT_READERS = frozenset(BUREAU | {Role.INSPECTOR})
REPORT_MAKERS = frozenset({Role.ADMIN, Role.STAFF})

scope.declare(Report, Belongs(district="district", zone="zone", roles=REPORT_READERS))


def can_read_reports(user):
    return has_role(user, *REPORT_READERS)


def can_read_own_school_reports(user):
    """A principal (or deputy) reads its own school's part of the reports, never another's."""
    return has_role(user, Role.PRINCIPAL) and bool(getattr(user, "school_id", None))


def _in_district(user, district_id):
    return scope.is_active(user) and (user.is_superuser or district_id in scope.district_ids(user))


def can_request_report(user, district_id=None):
    if not (has_role(user, *REPORT_MAKERS) or getattr(user, "is_superuser", False)):
        return False
    return district_id is None or _in_district(user, district_id)


def can_publish_report(user, report):
    return has_role(user, Role.LEADER) and _in_district(user, report.district_id)


def can_move_report(user, report, target):
    S = Report.Status
    if target in (S.READY,) or (target == S.FAILED and report.status == S.QUEUED):
        return user is None  # the portal's own jobs build a report
    if target == S.QUEUED:
        return user is None or can_request_report(user, report.district_id)
    if target in (S.PUBLISHED, S.WITHDRAWN):
        return can_publish_report(user, report)
    return False


workflow.declare(Report, workflow.Workflow(transitions=Report.TRANSITIONS, permission=can_move_report))


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

"""Who reaches which report, who may ask for one and who publishes it.

Bureau staff and admins of a district ask for reports of it; its leaders read them and
publish them as bulletins (DESIGN.md: a leader approves publication); the inspectors of a
zone read that zone's reports. Principals read only what is about their school (the school
assessment, in its own module), never a district's report.
"""

from bureau import scope, workflow
from bureau.models import Role
from bureau.permissions import BUREAU, has_role
from bureau.scope import Belongs
from reports.models import Report

REPORT_READERS = frozenset(BUREAU | {Role.INSPECTOR})
REPORT_MAKERS = frozenset({Role.ADMIN, Role.STAFF})

scope.declare(Report, Belongs(district="district", zone="zone", roles=REPORT_READERS))


def can_read_reports(user):
    return has_role(user, *REPORT_READERS)


def can_read_own_assessment(user):
    """A principal (or deputy) reads its own school's line of the yearly assessment."""
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

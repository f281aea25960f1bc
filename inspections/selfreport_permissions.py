"""How term self-reports belong, and who opens, fills and reviews them.

A round belongs to its district, and reaches a school's principal and the school's inspectors
through the schools it calls on; a report belongs to its school. The bureau reads every report
of its district, inspectors those of their zones (read only), a principal (and deputies: principal-role
users of the school) its own school's.
"""

from bureau import scope, workflow
from bureau.models import Role
from bureau.permissions import has_role
from bureau.scope import Belongs
from inspections.models import SelfReport, SelfReportFile, SelfReportRound

# DESIGN.md: 基础教育科 and 督导室 staff review self-reports (department codes).
REVIEW_DEPARTMENTS = frozenset({"basic", "inspection"})
SELFREPORT_READERS = frozenset({Role.ADMIN, Role.STAFF, Role.LEADER, Role.INSPECTOR, Role.PRINCIPAL})

scope.declare(SelfReportRound, Belongs(district="district", school="schools", roles=SELFREPORT_READERS))
scope.declare(SelfReport, Belongs(district="round__district", school="school", roles=SELFREPORT_READERS))
scope.declare(SelfReportFile, Belongs(district="report__round__district", school="report__school",
                                      roles=SELFREPORT_READERS))


def is_reviewer(user):
    """Staff of 基础教育科 or 督导室 (and superusers): they open rounds and review reports."""
    if not scope.is_active(user):
        return False
    if user.is_superuser:
        return True
    return (user.role == Role.STAFF and user.department_id is not None
            and user.department.code in REVIEW_DEPARTMENTS)


def can_open_round(user, district_id=None):
    return is_reviewer(user) and (district_id is None or user.is_superuser or district_id in scope.district_ids(user))


def can_review_selfreport(user, report):
    return is_reviewer(user) and scope.reaches(user, report)


def fills_selfreport(user, report):
    """The school's principal or a deputy (a principal-role account of the school)."""
    return has_role(user, Role.PRINCIPAL) and not user.is_superuser and user.school_id == report.school_id


def can_move_selfreport(user, report, target):
    if user is None:
        return False
    if target == SelfReport.Status.SUBMITTED:
        return fills_selfreport(user, report)
    return can_review_selfreport(user, report)


workflow.declare(SelfReport, workflow.Workflow(transitions=SelfReport.TRANSITIONS, permission=can_move_selfreport))

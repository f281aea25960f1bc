"""How inspection records belong, which zones and schools an inspector looks after, and the
predicates of the inspections app.

The scope engine in bureau knows that inspectors reach "their zones"; this module tells it
which those are, so that bureau imports nothing of this app.
"""

from django.db.models import Q

from bureau import scope, workflow
from bureau.models import Role
from bureau.permissions import BUREAU, has_role
from bureau.scope import Belongs, Withheld
from inspections.models import (
    ChecklistItem,
    DrawAssignment,
    InspectorCard,
    InspectorZone,
    ItemResult,
    MonthlyTheme,
    NoticeEvidence,
    RectificationNotice,
    UnannouncedDraw,
    Visit,
    VisitEvidence,
    VisitItem,
    VisitKind,
    ZoneSchool,
)

# The department that keeps the themed calendar and the inspection work (DESIGN.md: 督导室).
INSPECTION_DEPARTMENT = "inspection"
# Who reads the themed calendar: the bureau and its inspectors. It is the bureau's plan of
# work, not a school's record.
THEME_READERS = frozenset(BUREAU | {Role.INSPECTOR})
# Who reads visits: the bureau, the inspectors of the school's zone, the school (filed only).
VISIT_READERS = frozenset(BUREAU | {Role.INSPECTOR, Role.PRINCIPAL})

scope.declare(InspectorZone, Belongs(district="district", school="school_links__school", zone="pk"))
# An inspector keeps its own card; the district's administrators see it.
scope.declare(InspectorCard, Belongs(district="user__district", owner="user", roles=frozenset({Role.ADMIN})))
scope.declare(MonthlyTheme, Belongs(district="district", roles=THEME_READERS))
scope.declare(ChecklistItem, Belongs(district="theme__district", roles=THEME_READERS))

# A school sees a visit only once it is filed: a draft is the inspector's work, and an
# unannounced inspection (突击) must stay unknown to the school until then (seed 004: "在不通知
# 学校…的前提下"). The inspector's private notes are never the school's (nor the bureau's
# desk: they are the inspectors' working notes).
scope.declare(Visit, Belongs(
    district="school__district", school="school", school_sees_when=Q(status=Visit.Status.FILED),
    # Its own visits too: an unannounced one at a drawn school outside its zones.
    owner="inspector",
    withheld=(Withheld(("private_notes",), seen_by=frozenset({Role.INSPECTOR})),),
))
scope.declare(VisitItem, Belongs(
    district="visit__school__district", school="visit__school", owner="visit__inspector",
    school_sees_when=Q(visit__status=Visit.Status.FILED),
))
scope.declare(VisitEvidence, Belongs(
    district="item__visit__school__district", school="item__visit__school", owner="item__visit__inspector",
    school_sees_when=Q(item__visit__status=Visit.Status.FILED),
))

# A notice is raised on a filed visit, so the school sees it whole, from its issue on.
scope.declare(RectificationNotice, Belongs(district="school__district", school="school", owner="inspector"))
scope.declare(NoticeEvidence, Belongs(district="notice__school__district", school="notice__school"))


# The unannounced plan is the bureau's: no school-level account reaches it, by any route. A
# drawn inspector sees its own assignments (to start the visit), nothing else of the draw.
scope.declare(UnannouncedDraw, Belongs(district="district", roles=frozenset(BUREAU)))
scope.declare(DrawAssignment, Belongs(district="draw__district", roles=frozenset(BUREAU), owner="inspector"))


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


def sees_inspector_load(user):
    """The bureau reads the load per inspector (schools, visits this month, notices)."""
    return has_role(user, *BUREAU)


# ---- the themed calendar -------------------------------------------------------------------


def can_read_themes(user):
    return has_role(user, *THEME_READERS)


def can_plan_inspections(user, district_id=None):
    """督导室 staff and administrators plan the inspections of their districts: they keep the
    themed calendar and draw the unannounced inspections."""
    if not scope.is_active(user):
        return False
    if user.is_superuser:
        return True
    if user.role == Role.ADMIN:
        allowed = True
    else:
        allowed = user.role == Role.STAFF and user.department_id is not None and (
            user.department.code == INSPECTION_DEPARTMENT
        )
    return allowed and (district_id is None or district_id in scope.district_ids(user))


# ---- visits ------------------------------------------------------------------------------


def can_read_visits(user):
    return has_role(user, *VISIT_READERS)


def can_visit(user, school=None, kind=None):
    """An inspector visits the schools of its zones; and, for an unannounced inspection, a
    school a draw (双随机) assigned it to, wherever it is."""
    if not looks_after_zones(user):
        return False
    if school is None or scope.reaches(user, school):
        return True
    return kind == VisitKind.UNANNOUNCED and DrawAssignment.objects.filter(school=school, inspector=user).exists()


def can_edit_visit(user, visit):
    """Only the visit's own inspector writes it, and only while it is a draft."""
    return scope.is_active(user) and visit.inspector_id == user.pk and visit.status == Visit.Status.DRAFT


def can_move_visit(user, visit, target):
    # Filing is the inspector's own act: it hands the feedback to the school.
    return user is not None and visit.inspector_id == user.pk and scope.reaches(user, visit)


workflow.declare(Visit, workflow.Workflow(transitions=Visit.TRANSITIONS, permission=can_move_visit))


# ---- rectification notices ---------------------------------------------------------------


def can_issue_notice(user, item):
    """The visit's inspector raises a notice on an item found not met, once the visit is filed
    (a notice before then would tell the school of an unannounced inspection)."""
    visit = item.visit
    return (
        scope.is_active(user) and visit.inspector_id == user.pk and visit.status == Visit.Status.FILED
        and item.result == ItemResult.NOT_MET
    )


def answers_for_school(user, notice):
    """The school's principal (or deputy) answers its notices."""
    return has_role(user, Role.PRINCIPAL) and not user.is_superuser and user.school_id == notice.school_id


def checks_notice(user, notice):
    """The inspector who issued the notice verifies or returns the school's answer."""
    return has_role(user, Role.INSPECTOR) and notice.inspector_id == user.pk


def can_move_notice(user, notice, target):
    Status = RectificationNotice.Status
    if user is None:
        return False
    if target == Status.ANSWERED:
        return answers_for_school(user, notice)
    return checks_notice(user, notice)


workflow.declare(RectificationNotice, workflow.Workflow(
    transitions=RectificationNotice.TRANSITIONS, permission=can_move_notice,
))


# Term self-reports declare their own scope and workflow (kept in their own module).
from inspections import selfreport_permissions  # noqa: E402,F401

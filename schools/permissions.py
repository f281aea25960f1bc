"""How school records belong, and the predicates of the schools app, on top of bureau's.

Views, serializers, services, imports and templates ask these; nothing else reads a
user's role to decide what it may see or do with school records.
"""

from bureau import scope
from bureau.models import Role
from bureau.permissions import DATA_KEEPERS, SCHOOL_READERS, has_role, scope_district_ids
from bureau.scope import Belongs, Withheld
from schools.models import (
    ConductRecord,
    District,
    EducationGroup,
    Rotation,
    School,
    SchoolClass,
    SchoolYearStat,
    Teacher,
    TeachingAssignment,
    TrainingRecord,
)

# Who keeps school records: bureau staff and admins (their districts), principals (their school).
EDITORS = DATA_KEEPERS | {Role.PRINCIPAL}

# Teachers' birth dates and certificate numbers are read only by the people who keep those
# records; leaders and inspectors never see them, on any page, export, API answer or history.
TEACHER_PERSONAL_FIELDS = ("birth_date", "certificate_number")

scope.declare(District, Belongs(district="pk"))
scope.declare(EducationGroup, Belongs(district="district"))
# The zone link is the inspections app's; schools only names the reverse relation.
scope.declare(School, Belongs(district="district", school="pk", zone="zone_link__zone"))
scope.declare(SchoolYearStat, Belongs(district="school__district", school="school"))
scope.declare(SchoolClass, Belongs(district="school__district", school="school"))
scope.declare(Teacher, Belongs(
    district="district", school="school",
    withheld=(Withheld(TEACHER_PERSONAL_FIELDS, seen_by=frozenset({Role.ADMIN, Role.STAFF, Role.PRINCIPAL})),),
))
for _model in (TrainingRecord, Rotation, ConductRecord, TeachingAssignment):
    scope.declare(_model, Belongs(district="teacher__district", school="teacher__school"))


def can_read_schools(user):
    """Every role that reads school data (a parent reads none)."""
    return has_role(user, *SCHOOL_READERS)


def can_edit_school(user, school):
    """Staff and admins keep their districts' schools; a principal keeps their own school."""
    return has_role(user, *EDITORS) and scope.reaches(user, school)


def can_see_personal_data(user):
    """Teachers' birth dates and certificate numbers: the people who keep those records."""
    return scope.is_active(user) and scope.may_read(user, Teacher, "birth_date")


def works_on_one_school(user):
    """A principal or deputy: its pages start at its school, not at a list of schools."""
    return has_role(user, Role.PRINCIPAL) and not user.is_superuser


# The profile fields a principal keeps; the rest (code, district, stage, group, status) are
# the bureau's to set.
PRINCIPAL_SCHOOL_FIELDS = ("address", "principal_name", "phone", "is_boarding")


def can_edit_school_field(user, name):
    """Whether `user` may change this field of a school it keeps: bureau staff and admins
    every field, a principal (or deputy) only PRINCIPAL_SCHOOL_FIELDS."""
    return has_role(user, *DATA_KEEPERS) or (name in PRINCIPAL_SCHOOL_FIELDS and has_role(user, Role.PRINCIPAL))


def can_add_school(user, district=None):
    """Bureau staff and admins add schools to the districts they work on (`district` None:
    to any of them). A school's existence is the bureau's record, not a principal's."""
    if not has_role(user, *DATA_KEEPERS):
        return False
    return district is None or user.is_superuser or district.pk in scope_district_ids(user)


def can_change_school_status(user, school):
    """Close, merge or reopen a school: bureau staff and admins of its district, never its
    principal (who keeps the school's data, not whether it exists)."""
    return has_role(user, *DATA_KEEPERS) and scope.reaches(user, school)


def can_move_teachers(user):
    """Bureau staff and admins move teachers between the schools of a district; a principal
    keeps the teachers of its own school."""
    return has_role(user, *DATA_KEEPERS)


# The class draws' declarations (schools/draw/permissions.py), loaded with the app's.
from schools.draw import permissions as _draw_permissions  # noqa: E402, F401

"""Who reaches class draws and who may do what with them (seed 003: 均衡分班).

A draw belongs to its school: the school's principal (and deputies) runs it; the bureau of
the district and the inspectors of the school's zone read it; the children's names and
birth dates are read only by the school and the bureau's staff. A transfer after the draw
is approved by staff of 基础教育科 (the department seed 003 makes responsible).
"""

from bureau import scope, workflow
from bureau.models import Role
from bureau.permissions import has_role
from bureau.scope import Belongs, Withheld
from schools.models import ClassBalance, ClassDraw, ClassTransfer, IncomingStudent

# Seed 003: "推进均衡分班制度 … (责任科室:基础教育科)".
BASIC_EDUCATION_DEPARTMENT = "basic"
STUDENT_PERSONAL_FIELDS = ("name", "birth_date")
# Who sees the children's names and birth dates.
NAME_READERS = frozenset({Role.STAFF, Role.PRINCIPAL})

scope.declare(ClassDraw, Belongs(district="school__district", school="school"))
scope.declare(IncomingStudent, Belongs(
    district="draw__school__district", school="draw__school",
    withheld=(Withheld(STUDENT_PERSONAL_FIELDS, seen_by=NAME_READERS),),
))
scope.declare(ClassTransfer, Belongs(district="draw__school__district", school="draw__school"))
scope.declare(ClassBalance, Belongs(district="school__district", school="school"))


def can_run_draw(user, draw_or_school):
    """The school's principal or deputy prepares and makes the draw (nobody else picks its inputs)."""
    return has_role(user, Role.PRINCIPAL) and not user.is_superuser and scope.reaches(user, draw_or_school)


def can_read_names(user):
    return scope.is_active(user) and scope.may_read(user, IncomingStudent, "name")


def is_basic_education_staff(user):
    return (
        has_role(user, Role.STAFF) and not user.is_superuser and user.department_id is not None
        and user.department.code == BASIC_EDUCATION_DEPARTMENT
    )


def can_decide_transfer(user, transfer):
    return is_basic_education_staff(user) and scope.reaches(user, transfer)


def _move_draw(user, draw, target):
    # The portal itself (None) never moves a draw: each step is the principal's act.
    return user is not None and can_run_draw(user, draw)


def _move_transfer(user, transfer, target):
    return user is not None and can_decide_transfer(user, transfer)


workflow.declare(ClassDraw, workflow.Workflow(transitions=ClassDraw.TRANSITIONS, permission=_move_draw))
workflow.declare(ClassTransfer, workflow.Workflow(transitions=ClassTransfer.TRANSITIONS, permission=_move_transfer))

"""Who sees and moves a complaint (DESIGN.md "Complaint", issue 9).

- a parent sees the complaints it lodged (owner);
- bureau staff and leaders those of their district (a city: its districts);
- a school (principal, deputy) a complaint only once the bureau hands it to the school, and
  never who complained (the complainant's fields are withheld on every surface);
- nobody else: administrators and inspectors do not handle complaints.

The complainant's identity is for the complaints office (监审科, COMPLAINTS_DEPARTMENT) and
leaders only, and every look at it is logged (complaints/services.py, complainant_reveal).
"""

from django.conf import settings
from django.db.models import Q

from bureau import scope, workflow
from bureau.models import Role
from bureau.permissions import has_role, is_active
from bureau.scope import Belongs, Withheld
from complaints.models import Attachment, Complaint, HandlingRecord

COMPLAINANT_FIELDS = ("complainant", "complainant_name", "complainant_mobile")
HANDLING_ROLES = frozenset({Role.STAFF, Role.LEADER, Role.PRINCIPAL})


def is_complaint_handler(user):
    """Staff of the complaints office (监审科): they take complaints through their steps."""
    if not is_active(user):
        return False
    if user.is_superuser:
        return True
    return (
        user.role == Role.STAFF and user.department_id is not None
        and user.department.code == settings.COMPLAINTS_DEPARTMENT
    )


def may_know_complainant(user):
    """The complaints office and leaders; nobody else learns who complained."""
    return is_complaint_handler(user) or has_role(user, Role.LEADER)


scope.declare(Complaint, Belongs(
    district="school__district",
    school="school",
    owner="complainant",
    roles=HANDLING_ROLES,
    school_sees_when=Q(handed_to_school=True),
    withheld=(Withheld(COMPLAINANT_FIELDS, allowed=may_know_complainant),),
))

# Handling records are the bureau's working papers; the school sees its own answers.
scope.declare(HandlingRecord, Belongs(
    district="complaint__school__district",
    school="complaint__school",
    roles=HANDLING_ROLES,
    school_sees_when=Q(complaint__handed_to_school=True, kind=HandlingRecord.Kind.SCHOOL_ANSWER),
))

# Attachments follow their complaint, narrowed by side: the school reads only its own answer's
# files (never the complainant's: a photo of an exercise book names the family), the
# complainant its own and the reply's. Who uploaded one is the complainant's account for
# the complainant's side: withheld as the complainant is.
COMPLAINANT_SIDES = (Attachment.Side.COMPLAINANT, Attachment.Side.REPLY)
scope.declare(Attachment, Belongs(
    district="complaint__school__district",
    school="complaint__school",
    owner="complaint__complainant",
    owner_when=lambda user: Q(side__in=COMPLAINANT_SIDES),
    roles=HANDLING_ROLES,
    school_sees_when=Q(complaint__handed_to_school=True, side=Attachment.Side.SCHOOL),
    withheld=(Withheld(("uploaded_by",), allowed=may_know_complainant),),
))


def is_complainant(user, complaint):
    return is_active(user) and complaint.complainant_id is not None and complaint.complainant_id == user.pk


def can_handle(user, complaint):
    """Accept, reject, assign, investigate, conclude, reply, close: the complaints office of
    the complaint's district."""
    return is_complaint_handler(user) and scope.reaches(user, complaint)


def can_see_complainant(user, complaint):
    return may_know_complainant(user) and scope.reaches(user, complaint)


def can_investigate(user, complaint):
    """The complaints office, and staff of the department the complaint is assigned to."""
    if complaint.status not in (Complaint.Status.ASSIGNED, Complaint.Status.INVESTIGATING, Complaint.Status.REOPENED):
        return False
    if can_handle(user, complaint):
        return True
    return (
        has_role(user, Role.STAFF) and complaint.department_id is not None
        and user.department_id == complaint.department_id and scope.reaches(user, complaint)
    )


def can_answer_as_school(user, complaint):
    """The school's principal or deputy, once the complaint is handed to the school."""
    return (
        has_role(user, Role.PRINCIPAL) and not user.is_superuser and complaint.handed_to_school
        and user.school_id == complaint.school_id
        and complaint.status in (Complaint.Status.ASSIGNED, Complaint.Status.INVESTIGATING, Complaint.Status.REOPENED)
    )


def reads_handling(user):
    """Bureau staff and leaders read the working notes (who did what, why); the school and
    the complainant see the steps and what is addressed to them."""
    return has_role(user, Role.STAFF, Role.LEADER)


def can_add_files(user, complaint):
    """The complainant adds files to its complaint while the bureau still works on it."""
    return is_complainant(user, complaint) and complaint.status not in (Complaint.Status.REJECTED,
                                                                        Complaint.Status.CLOSED)


def can_lodge(user):
    """A registered member of the public lodges its own complaints on the web."""
    return has_role(user, Role.PARENT) and not user.is_superuser


def can_read_complaints(user):
    """Whom the complaint pages are for (the menu asks)."""
    return has_role(user, Role.STAFF, Role.LEADER, Role.PRINCIPAL, Role.PARENT)


def can_move_complaint(user, complaint, target):
    S = Complaint.Status
    if user is None:
        return False
    if target == S.REOPENED:
        # An appeal: the parent itself, or the office taking down an appeal by phone or letter.
        return is_complainant(user, complaint) or can_handle(user, complaint)
    if target == S.INVESTIGATING:
        return can_investigate(user, complaint) or can_answer_as_school(user, complaint)
    return can_handle(user, complaint)


workflow.declare(Complaint, workflow.Workflow(transitions=Complaint.TRANSITIONS, permission=can_move_complaint))

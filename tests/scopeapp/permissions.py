from django.db.models import Q

from bureau import scope, workflow
from bureau.models import Role
from bureau.scope import Belongs, Withheld
from tests.scopeapp.models import Petition, SurpriseVisit, ZoneNote

# The complainant is read by the bureau's staff and leaders only: a school handed the
# petition sees what it is about, not who sent it.
scope.declare(Petition, Belongs(
    district="district", school="school", owner="owner",
    school_sees_when=Q(handed_to_school=True),
    withheld=(Withheld(("complainant_name", "complainant_mobile"),
                       seen_by=frozenset({Role.ADMIN, Role.STAFF, Role.LEADER})),),
))
scope.declare(SurpriseVisit, Belongs(
    district="school__district", school="school",
    school_sees_when=~Q(kind=SurpriseVisit.Kind.UNANNOUNCED) | Q(status=SurpriseVisit.Status.FILED),
))
scope.declare(ZoneNote, Belongs(district="zone__district", zone="zone"))


def can_move_petition(user, petition, target):
    # Bureau staff of the petition's district accept, reject and close; the portal itself
    # (user None, a task) may close.
    if user is None:
        return target == Petition.Status.CLOSED
    return user.role == Role.STAFF and scope.reaches(user, petition)


workflow.declare(Petition, workflow.Workflow(transitions=Petition.TRANSITIONS, permission=can_move_petition))

"""How survey records belong, and who runs, reads and moves them.

The bureau reads its district's campaigns and figures; an inspector those of the schools of
its zones; a school (principal, deputy) its own school's figures once the campaign is closed,
and never an answer. The answers themselves are the bureau's only: the pages show figures.
"""

from django.db.models import Q

from bureau import scope, workflow
from bureau.models import Role
from bureau.permissions import BUREAU, has_role
from bureau.scope import Belongs
from inspections.models import (
    Campaign,
    CampaignSchool,
    Choice,
    Question,
    Questionnaire,
    SurveyAggregate,
    SurveyAnswer,
    SurveyResponse,
)
from inspections.permissions import can_plan_inspections

# Who reads campaigns and their figures (each through its own reach).
SURVEY_READERS = frozenset(BUREAU | {Role.INSPECTOR, Role.PRINCIPAL})
CLOSED = Q(status=Campaign.Status.CLOSED)

scope.declare(Questionnaire, Belongs(district="district", roles=frozenset(BUREAU)))
scope.declare(Question, Belongs(district="questionnaire__district", roles=frozenset(BUREAU)))
scope.declare(Choice, Belongs(district="question__questionnaire__district", roles=frozenset(BUREAU)))
scope.declare(Campaign, Belongs(district="district", school="participants__school", roles=SURVEY_READERS,
                                school_sees_when=CLOSED))
# The access codes are the inspection office's to hand out: a school cannot answer for its families.
scope.declare(CampaignSchool, Belongs(district="campaign__district", school="school",
                                      roles=frozenset(BUREAU | {Role.INSPECTOR})))
scope.declare(SurveyResponse, Belongs(district="campaign__district", roles=frozenset(BUREAU)))
scope.declare(SurveyAnswer, Belongs(district="campaign__district", roles=frozenset(BUREAU)))
# A district row (school empty) is the bureau's; an inspector reads its zones' schools.
scope.declare(SurveyAggregate, Belongs(district="campaign__district", school="school", roles=SURVEY_READERS,
                                       school_sees_when=Q(campaign__status=Campaign.Status.CLOSED)))


def can_read_surveys(user):
    return has_role(user, *SURVEY_READERS)


def can_run_surveys(user, district_id=None):
    """督导室 staff and administrators build questionnaires and run campaigns (seed 000:
    督导室不定期对学校…开展问卷及走访调查)."""
    return can_plan_inspections(user, district_id)


def sees_district_figures(user):
    """The district's totals: the bureau's (an inspector and a school read their schools)."""
    return has_role(user, *BUREAU)


def can_move_campaign(user, campaign, target):
    # The portal itself (user None) closes a campaign past its closing date.
    return user is None or can_run_surveys(user, campaign.district_id)


workflow.declare(Campaign, workflow.Workflow(transitions=Campaign.TRANSITIONS, permission=can_move_campaign))

from inspections.models.draws import DrawAssignment, UnannouncedDraw
from inspections.models.notices import NoticeEvidence, RectificationNotice
from inspections.models.selfreports import SelfReport, SelfReportFile, SelfReportRound
from inspections.models.survey import (
    Audience,
    Campaign,
    CampaignSchool,
    Choice,
    Question,
    Questionnaire,
    SurveyAggregate,
    SurveyAnswer,
    SurveyResponse,
)
from inspections.models.themes import ChecklistItem, MonthlyTheme
from inspections.models.visits import ItemResult, Visit, VisitEvidence, VisitItem, VisitKind
from inspections.models.zones import InspectorCard, InspectorZone, ZoneSchool

__all__ = [
    "Audience",
    "Campaign",
    "CampaignSchool",
    "Choice",
    "Question",
    "Questionnaire",
    "SurveyAggregate",
    "SurveyAnswer",
    "SurveyResponse",
    "ChecklistItem",
    "DrawAssignment",
    "InspectorCard",
    "InspectorZone",
    "ItemResult",
    "MonthlyTheme",
    "NoticeEvidence",
    "RectificationNotice",
    "SelfReport",
    "SelfReportFile",
    "SelfReportRound",
    "UnannouncedDraw",
    "Visit",
    "VisitEvidence",
    "VisitItem",
    "VisitKind",
    "ZoneSchool",
]

from reports.models.assessment import AssessmentCriterion
from reports.models.metrics import AreaState, Comparator, Snapshot, Target
from reports.models.periodic import Report

__all__ = ["AreaState", "AssessmentCriterion", "Comparator", "Report", "Snapshot", "Target"]

from reports.models.assessment import AssessmentCriterion
from reports.models.periodic import Report

__all__ = ["AssessmentCriterion", "Report"]

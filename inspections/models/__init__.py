from inspections.models.themes import ChecklistItem, MonthlyTheme
from inspections.models.visits import ItemResult, Visit, VisitEvidence, VisitItem, VisitKind
from inspections.models.zones import InspectorZone, ZoneSchool

__all__ = [
    "ChecklistItem",
    "InspectorZone",
    "ItemResult",
    "MonthlyTheme",
    "Visit",
    "VisitEvidence",
    "VisitItem",
    "VisitKind",
    "ZoneSchool",
]

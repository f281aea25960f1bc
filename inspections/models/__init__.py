from inspections.models.themes import ChecklistItem, MonthlyTheme
from inspections.models.visits import ItemResult, Visit, VisitItem, VisitKind
from inspections.models.zones import InspectorZone, ZoneSchool

__all__ = [
    "ChecklistItem",
    "InspectorZone",
    "ItemResult",
    "MonthlyTheme",
    "Visit",
    "VisitItem",
    "VisitKind",
    "ZoneSchool",
]

from inspections import permissions
from inspections.surveys.permissions import can_read_surveys


def inspections(request):
    """The inspections app's predicates for every page's menu."""
    user = getattr(request, "user", None)
    return {
        "can_read_visits": permissions.can_read_visits(user),
        "can_read_themes": permissions.can_read_themes(user),
        "looks_after_zones": permissions.looks_after_zones(user),
        "sees_inspector_load": permissions.sees_inspector_load(user),
        "can_read_surveys": can_read_surveys(user),
    }

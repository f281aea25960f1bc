from inspections import permissions


def inspections(request):
    """The inspections app's predicates for every page's menu."""
    user = getattr(request, "user", None)
    return {
        "can_read_visits": permissions.can_read_visits(user),
        "can_read_themes": permissions.can_read_themes(user),
    }

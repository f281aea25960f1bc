from reports import permissions


def reports(request):
    """The reports app's predicates for every page's menu."""
    user = getattr(request, "user", None)
    return {"can_read_reports": permissions.can_read_reports(user),
            "can_read_own_assessment": permissions.can_read_own_assessment(user)}

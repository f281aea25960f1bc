from reports import permissions


def reports(request):
    """The reports app's predicates for every page's menu."""
    return {"can_read_reports": permissions.can_read_reports(getattr(request, "user", None))}

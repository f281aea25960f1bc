from schools import permissions


def schools(request):
    """The schools app's predicates for every page's layout and breadcrumbs."""
    user = getattr(request, "user", None)
    return {
        "can_read_schools": permissions.can_read_schools(user),
        "works_on_one_school": permissions.works_on_one_school(user),
    }

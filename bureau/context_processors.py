from bureau import permissions


def portal(request):
    """The predicates the base layout asks (templates never compare role strings)."""
    user = getattr(request, "user", None)
    return {
        "can_import": permissions.can_import(user),
        "can_manage_users": permissions.can_manage_users(user),
        "can_name_deputy": permissions.can_name_deputy(user),
        "can_use_api": permissions.can_use_api(user),
        "is_public_account": permissions.is_public_account(user),
    }

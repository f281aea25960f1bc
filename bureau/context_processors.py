from bureau import permissions


def portal(request):
    user = getattr(request, "user", None)
    return {
        "can_import": permissions.can_import(user),
        "can_manage_users": permissions.can_manage_users(user),
        "can_name_deputy": permissions.can_name_deputy(user),
    }

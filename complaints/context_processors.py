from complaints import permissions


def complaints(request):
    """The predicates the base layout asks for the complaints menu."""
    user = getattr(request, "user", None)
    return {
        "can_lodge": permissions.can_lodge(user),
        "can_read_complaints": permissions.can_read_complaints(user),
    }

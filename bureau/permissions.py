"""The one permission module: who a user is, what they may see and what they may change.

Querysets call `visible_to(user)` (schools/querysets.py and each app's querysets), which
asks this module for the user's scope; views call the access helpers here, which answer
404 for a record that is missing *and* for one outside the user's scope, so that the
existence of other districts' records does not leak.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from bureau.models import BUREAU_ROLES, Role

ALL_ROLES = frozenset(Role)
BUREAU = BUREAU_ROLES
DATA_KEEPERS = frozenset({Role.ADMIN, Role.STAFF})
SCHOOL_READERS = frozenset({Role.ADMIN, Role.STAFF, Role.LEADER, Role.INSPECTOR, Role.PRINCIPAL})


def is_active(user):
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user, *roles):
    return is_active(user) and (user.is_superuser or user.role in roles)


def scope_district_ids(user):
    """District ids a bureau user or inspector works on; a city account covers its districts.

    Cached on the user object: it is asked for by several querysets in one request.
    """
    if not is_active(user) or not user.district_id:
        return frozenset()
    cached = getattr(user, "_scope_district_ids", None)
    if cached is None:
        from schools.models import District

        ids = {user.district_id}
        ids.update(District.objects.filter(parent_id=user.district_id).values_list("pk", flat=True))
        cached = frozenset(ids)
        user._scope_district_ids = cached
    return cached


# ---- predicates --------------------------------------------------------------------


def can_import(user):
    return has_role(user, *DATA_KEEPERS)


def can_manage_users(user):
    return has_role(user, Role.ADMIN)


def can_name_deputy(user):
    """A school's principal names its deputies; a deputy names none (one level, no chains)."""
    return (
        is_active(user) and user.role == Role.PRINCIPAL and user.school_id is not None and user.named_by_id is None
    )


# ---- access helpers ----------------------------------------------------------------


def get_visible_or_404(queryset, user, **lookup):
    """The one way a view loads a record: missing and out-of-scope both answer 404."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def require(condition):
    if not condition:
        raise PermissionDenied


# ---- route declarations ------------------------------------------------------------


def roles_required(*roles):
    """Declare which roles may use a view. Every portal view carries one of these.

    Anonymous users are sent to the login page; a logged-in user of another role gets
    403. The declared roles are kept on the view so the URL-walk test can read them.
    """
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not is_active(user):
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not (user.is_superuser or user.role in allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed
        return wrapped

    return decorator


def public(view):
    """Declare a view open to everyone (login page, public bulletins)."""
    view.allowed_roles = "public"
    return view

"""The one permission module of the base app: roles, route declarations, access helpers.

Which rows a user sees is the scope engine's (bureau/scope.py); each app declares how its
models belong, and adds its own predicates, in its own `permissions.py`. Views call the
access helper here, which answers 404 for a record that is missing *and* for one outside
the user's scope, so that the existence of other districts' records does not leak.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from bureau import scope, workflow
from bureau.models import BUREAU_ROLES, CalendarDay, ImportJob, Role, User

ALL_ROLES = frozenset(Role)
BUREAU = BUREAU_ROLES
DATA_KEEPERS = frozenset({Role.ADMIN, Role.STAFF})
SCHOOL_READERS = frozenset({Role.ADMIN, Role.STAFF, Role.LEADER, Role.INSPECTOR, Role.PRINCIPAL})

is_active = scope.is_active
# District ids a bureau user or inspector works on; a city account covers its districts.
scope_district_ids = scope.district_ids


def has_role(user, *roles):
    return is_active(user) and (user.is_superuser or user.role in roles)


# ---- how accounts belong ---------------------------------------------------------------

# The accounts a user manages: an administrator those of its districts (a principal's
# account belongs to its school's district); a school's principal the deputies it named at
# its school — the school as well as the namer, so that a principal moved elsewhere by an
# administrator leaves its deputies with the school they serve. Superuser accounts are out
# of every administrator's reach.
scope.declare(User, scope.Belongs(
    district=("district", "school__district"),
    roles=frozenset({Role.ADMIN}),
    owner="named_by",
    owner_when=lambda user: Q(school_id=user.school_id, role=Role.PRINCIPAL) if user.school_id else None,
    never=Q(is_superuser=True),
))

# Calendar days: national ones for everyone; a district's own and its city's (they count for
# the district) for the people of that district.
scope.declare(CalendarDay, scope.Belongs(
    district=("district", "district__children"), shared=Q(district__isnull=True),
))

# An import job is its uploader's, and the district's administrators see it too.
scope.declare(ImportJob, scope.Belongs(owner="created_by", district="district", roles=frozenset({Role.ADMIN})))


def can_move_import_job(user, job, target):
    """The portal (user None: the request's own step or a worker) runs the steps; a user
    who may see the job confirms it, cancels it while it waits, or runs again a step that a
    background failure stopped."""
    Status = ImportJob.Status
    if user is None:
        return job.status != Status.FAILED
    if not (can_import(user) and scope.reaches(user, job)):
        return False
    if target == Status.CONFIRMED and job.status == Status.VALIDATED:
        return True
    if target == Status.FAILED:
        return job.status in (Status.PENDING, Status.VALIDATED, Status.CONFIRMED)
    if job.status == Status.FAILED:
        return (target, job.retry_step) in ((Status.PENDING, "validate"), (Status.CONFIRMED, "import"))
    return False


workflow.declare(ImportJob, workflow.Workflow(transitions=ImportJob.TRANSITIONS, permission=can_move_import_job))


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


# ---- the working-day calendar ------------------------------------------------------


def can_keep_calendar(user, day=None):
    """Whether `user` may add calendar days (`day` None) or change or delete `day`.

    An administrator keeps the days of the districts it manages (a city's administrator
    also the city-wide days); the national days, from the State Council's notice, only a
    superuser, since one wrong national day would move every district's deadlines.
    """
    if not has_role(user, Role.ADMIN):
        return False
    if day is None or user.is_superuser:
        return True
    return day.district_id is not None and day.district_id in scope_district_ids(user)


def is_public_account(user):
    """A member of the public (parent): its own complaints and the public pages, no school data."""
    return is_active(user) and not user.is_superuser and user.role == Role.PARENT


def can_use_api(user):
    """The API serves school data: every role that reads it may hold a token."""
    return has_role(user, *SCHOOL_READERS)

"""Predicates of the schools app, on top of bureau.permissions.

Views, serializers, services, imports and templates ask these; nothing else reads a
user's role to decide what it may do with school records.
"""

from bureau.models import Role
from bureau.permissions import DATA_KEEPERS, has_role, is_active, scope_district_ids


def can_edit_school(user, school):
    """Staff and admins keep their districts' schools; a principal keeps their own school."""
    if not is_active(user):
        return False
    if user.is_superuser:
        return True
    if user.role in DATA_KEEPERS:
        return school.district_id in scope_district_ids(user)
    if user.role == Role.PRINCIPAL:
        return school.pk == user.school_id
    return False


def can_see_personal_data(user):
    """Teachers' birth dates and certificate numbers: the people who keep those records."""
    return has_role(user, Role.ADMIN, Role.STAFF, Role.PRINCIPAL)

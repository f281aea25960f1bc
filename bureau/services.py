"""Writes shared by every app: the audit trail and the one generic model writer.

Every service that changes a domain record goes through `model_create` / `model_update`
(or calls `audit_record` itself for bulk work), so each change leaves a row saying who
changed what from which value to which, in the same transaction as the change.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from bureau import jobs
from bureau.errors import DomainError
from bureau.models import BUREAU_ROLES, AuditLog, Department, Role, User
from bureau.permissions import can_manage_users, can_name_deputy, scope_district_ids


def _plain(value):
    """A JSON-safe, human-readable form of a field value for the audit trail."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        # Fixed-point: normalize() alone would write 5000 as "5E+3".
        return format(value.normalize(), "f")
    return value


def audit_record(*, actor, action, instance, changes=None, note=""):
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes or {},
        note=note[:500],
    )


def audit_bulk(*, actor, action, instances_changes, note=""):
    """Audit many changes with one INSERT (imports write thousands of rows)."""
    rows = []
    ct_cache = {}
    for instance, changes in instances_changes:
        model = type(instance)
        if model not in ct_cache:
            ct_cache[model] = ContentType.objects.get_for_model(model, for_concrete_model=True)
        rows.append(
            AuditLog(
                actor=actor if actor is not None and actor.is_authenticated else None,
                action=action,
                content_type=ct_cache[model],
                object_id=str(instance.pk),
                object_repr=str(instance)[:200],
                changes=changes,
                note=note[:500],
            )
        )
    AuditLog.objects.bulk_create(rows, batch_size=1000)


def field_changes(instance, data):
    """{field: [old, new]} for the fields in `data` whose value differs on `instance`."""
    changes = {}
    for name, new in data.items():
        old = getattr(instance, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    return changes


@transaction.atomic
def model_create(*, model, data, by, note=""):
    instance = model(**data)
    instance.full_clean()
    instance.save()
    audit_record(
        actor=by, action=AuditLog.Action.CREATE, instance=instance,
        changes={k: [None, _plain(v)] for k, v in data.items() if v not in (None, "")}, note=note,
    )
    return instance


@transaction.atomic
def model_update(*, instance, data, by, note=""):
    """Apply `data` to `instance`, validate, save only changed fields and audit old → new."""
    changes = field_changes(instance, data)
    if not changes:
        return instance, False
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    update_fields = list(changes)
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=instance, changes=changes, note=note)
    return instance, True


def sessions_clear_expired(*, now=None):
    """Delete expired sessions, as `manage.py clearsessions` does, and say how many went.

    Sessions live in the database (the default engine); without this they pile up, since
    sessions that expire at browser close are never deleted by a logout.
    """
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    deleted, _ = Session.objects.filter(expire_date__lt=now or timezone.now()).delete()
    return deleted


@jobs.handler("bureau.sessions_cleanup")
def _sessions_cleanup_job(run):
    sessions_clear_expired()


# ---- accounts: the bureau administrator manages the users of its districts -----------

# What an account's role needs besides its name: where it works.
USER_SCOPE_FIELDS = ("role", "department", "heads_department", "district", "school", "inspector_kind")


def _require_user_admin(by):
    if not can_manage_users(by):
        raise DomainError(_("Only an administrator may manage user accounts."))


def _require_user_in_scope(by, user):
    _require_user_admin(by)
    if not User.objects.visible_to(by).filter(pk=user.pk).exists():
        raise DomainError(_("The account %(user)s is outside the districts you manage.") % {"user": user.username})


def _in_admin_scope(by, district_id):
    return by.is_superuser or district_id in scope_district_ids(by)


def user_scope_clean(*, by, data, zones=None):
    """Check and complete the role and scope fields of an account; field errors if wrong.

    Bureau roles and inspectors work on a district of the administrator's own scope,
    staff in a department, a principal on one school of that scope (its district
    follows the school). Fields a role does not use are cleared, so that a changed
    role leaves no stale scope behind. Returns the completed data.
    """
    data = dict(data)
    role = data.get("role")
    errors = {}
    if role == Role.PARENT:
        errors["role"] = _("Parents register their own accounts; an administrator does not create them.")
    if role in BUREAU_ROLES or role == Role.INSPECTOR:
        district = data.get("district")
        if district is None:
            errors["district"] = _("Choose the district this account works on.")
        elif not _in_admin_scope(by, district.pk):
            errors["district"] = _("%(district)s is outside the districts you manage.") % {"district": district}
        data["school"] = None
    if role == Role.PRINCIPAL:
        school = data.get("school")
        if school is None:
            errors["school"] = _("A principal's account needs the school the principal keeps.")
        elif not _in_admin_scope(by, school.district_id):
            errors["school"] = _("%(school)s is outside the districts you manage.") % {"school": school}
        else:
            data["district"] = school.district
    if role == Role.STAFF and data.get("department") is None:
        errors["department"] = _("Bureau staff belong to a department: choose one.")
    if role not in BUREAU_ROLES:
        data["department"] = None
    if role != Role.STAFF:
        data["heads_department"] = False
    if role == Role.INSPECTOR:
        if not data.get("inspector_kind"):
            errors["inspector_kind"] = _("Choose the kind of inspector.")
    else:
        data["inspector_kind"] = ""
    if zones:
        if role != Role.INSPECTOR:
            errors["zones"] = _("Only inspectors are assigned to inspector zones.")
        else:
            district = data.get("district")
            allowed = {district.pk, *district.children.values_list("pk", flat=True)} if district else set()
            wrong = [z.name for z in zones if z.district_id not in allowed or not _in_admin_scope(by, z.district_id)]
            if wrong:
                errors["zones"] = _("These zones are not in the inspector's district: %(zones)s.") % {
                    "zones": "、".join(wrong)
                }
    if errors:
        raise ValidationError(errors)
    return data


def password_validate(password, user):
    """Django's password validators for `user`, their reasons on the `password` field: every
    door that sets a password (the administrator, the owner, a deputy, a parent's reset)."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


def _zone_names(zones):
    return sorted(z.name for z in zones)


def _set_zones(*, user, zones):
    """Replace an inspector's zones; {"inspector_zones": [old, new]} when they changed."""
    old = list(user.inspector_zones.all())
    if {z.pk for z in old} == {z.pk for z in zones}:
        return {}
    user.inspector_zones.set(zones)
    return {"inspector_zones": [_zone_names(old), _zone_names(zones)]}


@transaction.atomic
def user_create(*, data, password, by, zones=()):
    """Create an account in the administrator's scope with an initial password.

    The audit row lists the account's fields but never the password or its hash.
    """
    _require_user_admin(by)
    # Report the scope and the password problems together, as one form's errors.
    errors = {}
    try:
        data = user_scope_clean(by=by, data=data, zones=zones)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    user = User(**data)
    user.username = User.normalize_username(user.username or "")
    try:
        password_validate(password, user)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.full_clean()
    user.save()
    changes = {k: [None, _plain(v)] for k, v in data.items() if v not in (None, "") and k != "password"}
    if zones:
        changes.update(_set_zones(user=user, zones=list(zones)))
    audit_record(actor=by, action=AuditLog.Action.CREATE, instance=user, changes=changes)
    return user


@transaction.atomic
def user_update(*, user, data, by, zones=None):
    """Change an account's name, contact, role and scope; `zones` None leaves the zones alone."""
    _require_user_in_scope(by, user)
    if "password" in data or "is_superuser" in data or "is_staff" in data:
        raise DomainError(_("Passwords and administrator flags are not changed here."))
    user = User.objects.select_for_update().get(pk=user.pk)
    merged = {name: getattr(user, name) for name in USER_SCOPE_FIELDS}
    merged.update(data)
    if user.pk == by.pk and merged["role"] != user.role:
        raise DomainError(_("You cannot change your own role."))
    if zones is None and merged["role"] == Role.INSPECTOR:
        zones_checked = list(user.inspector_zones.all())
    else:
        zones_checked = list(zones or [])
    cleaned = user_scope_clean(by=by, data=merged, zones=zones_checked)
    if user.named_by_id is not None and (
        cleaned["role"] != Role.PRINCIPAL or getattr(cleaned.get("school"), "pk", None) != user.school_id
    ):
        # A deputy given another role or school is no longer that principal's deputy.
        cleaned["named_by"] = None
    changes = field_changes(user, cleaned)
    for name, value in cleaned.items():
        setattr(user, name, value)
    user.username = User.normalize_username(user.username)
    user.full_clean()
    if changes:
        user.save(update_fields=list(changes))
    if cleaned["role"] != Role.INSPECTOR:
        zones_checked = []
    if zones is not None or cleaned["role"] != Role.INSPECTOR:
        changes.update(_set_zones(user=user, zones=zones_checked))
    if changes:
        audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=user, changes=changes)
    return user


@transaction.atomic
def user_set_active(*, user, active, by):
    """Deactivate an account (it can no longer log in or use its API token) or reactivate it."""
    _require_user_in_scope(by, user)
    if user.pk == by.pk and not active:
        raise DomainError(_("You cannot deactivate your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    user, _changed = model_update(
        instance=user, data={"is_active": bool(active)}, by=by,
        note=_("Account reactivated") if active else _("Account deactivated"),
    )
    return user


def password_store(user, password, *, actor, note):
    """Set a checked password: the API token is revoked and the other sessions end (Django
    ties a session to the password hash); the audit row says that it changed, not what to."""
    from rest_framework.authtoken.models import Token

    user.set_password(password)
    user.save(update_fields=["password"])
    Token.objects.filter(user=user).delete()
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, instance=user, note=note)
    return user


@transaction.atomic
def user_set_password(*, user, password, by):
    """Set a new password chosen by the administrator (Django's validators apply).

    The user's API token is revoked and its sessions end (Django ties sessions to the
    password hash); the audit row says that the password changed, not what to.
    """

    _require_user_in_scope(by, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    password_validate(password, user)
    return password_store(user, password, actor=by, note=_("Password reset by an administrator; API token revoked"))


@transaction.atomic
def user_unlock(*, user, by):
    """Clear the login lockout (django-axes) of an account after too many failed attempts."""
    from axes.utils import reset

    _require_user_in_scope(by, user)
    cleared = reset(username=user.username)
    audit_record(
        actor=by, action=AuditLog.Action.UPDATE, instance=user,
        note=_("Login lockout cleared (%(n)s failed-attempt records)") % {"n": cleared},
    )
    return cleared


@transaction.atomic
def user_token_regenerate(*, user):
    """Replace the user's own API token (or make the first); the old one stops working at once."""
    from rest_framework.authtoken.models import Token

    replaced, _deleted = Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    note = _("API token regenerated") if replaced else _("API token created")
    audit_record(actor=user, action=AuditLog.Action.UPDATE, instance=user, note=note)
    return token


@transaction.atomic
def department_create(*, data, by):
    _require_user_admin(by)
    return model_create(model=Department, data=data, by=by)


@transaction.atomic
def department_update(*, department, data, by):
    _require_user_admin(by)
    department = Department.objects.select_for_update().get(pk=department.pk)
    department, _changed = model_update(instance=department, data=data, by=by)
    return department


# ---- deputies: a principal names the deputy principals of its school -------------------
#
# A deputy is a principal's account of the same school (it sees and keeps exactly what the
# principal does) whose `named_by` is the principal. Deputies belong to the school, not to
# the person: when an administrator deactivates (or moves) the principal, its deputies keep
# working until the administrator or the school's next principal deals with them.

# How many active deputies one principal may have at a time. A fixed policy, not a setting:
# DESIGN.md gives the principal "a deputy"; two covers a school with a second campus or a
# deputy on leave, and any more accounts at one school should be an administrator's decision.
MAX_DEPUTIES = 2


def _require_deputy_room(principal):
    if User.objects.visible_to(principal).filter(is_active=True).count() >= MAX_DEPUTIES:
        raise DomainError(
            _("You already have %(max)s active deputies: deactivate one before naming another.") % {"max": MAX_DEPUTIES}
        )


@transaction.atomic
def deputy_create(*, data, by):
    """A principal names a deputy: a principal's account of its own school, named by it.

    `data` holds username, name, mobile and password. The audit row lists the account's
    fields but never the password or its hash.
    """
    if not can_name_deputy(by):
        raise DomainError(_("Only a school's principal may name deputies; a deputy cannot."))
    # Lock the principal's row so that two requests at once cannot both pass the limit.
    principal = User.objects.select_for_update(of=("self",)).select_related("school__district").get(pk=by.pk)
    _require_deputy_room(principal)
    school = principal.school
    fields = {
        "username": User.normalize_username(data.get("username") or ""),
        "name": data.get("name") or "",
        "mobile": data.get("mobile") or "",
        "role": Role.PRINCIPAL,
        "school": school,
        "district": school.district,
        "named_by": principal,
    }
    deputy = User(**fields)
    # Report the password and the other fields' problems together, as one form's errors.
    errors = {}
    try:
        password_validate(data.get("password") or "", deputy)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        deputy.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    deputy.set_password(data["password"])
    deputy.save()
    audit_record(
        actor=by, action=AuditLog.Action.CREATE, instance=deputy,
        changes={k: [None, _plain(v)] for k, v in fields.items() if v not in (None, "")},
        note=_("Deputy named by the principal %(principal)s") % {"principal": principal.display_name},
    )
    return deputy


@transaction.atomic
def deputy_set_active(*, deputy, active, by):
    """Deactivate or reactivate a deputy: by the principal who named it (within the limit),
    or by an administrator of the district through the administrators' own service."""
    if can_manage_users(by):
        return user_set_active(user=deputy, active=active, by=by)
    if not can_name_deputy(by) or not User.objects.visible_to(by).filter(pk=deputy.pk).exists():
        raise DomainError(_("%(user)s is not one of your deputies.") % {"user": deputy.username})
    User.objects.select_for_update().get(pk=by.pk)  # serialises the limit check, as in deputy_create
    deputy = User.objects.select_for_update().get(pk=deputy.pk)
    if active and not deputy.is_active:
        _require_deputy_room(by)
    deputy, _changed = model_update(
        instance=deputy, data={"is_active": bool(active)}, by=by,
        note=_("Deputy reactivated by the principal") if active else _("Deputy deactivated by the principal"),
    )
    return deputy


# ---- one's own password and API token ---------------------------------------------------


@transaction.atomic
def user_password_change(*, user, old_password, new_password):
    """The account's owner changes its own password, knowing the old one.

    As with an administrator's reset, the API token is revoked: a token copied into a script
    or leaked is exactly what a password change is meant to shut out. The user's other
    sessions end by themselves: Django keeps the password's hash in each session and ends a
    session whose hash no longer matches (the caller keeps its own one with
    update_session_auth_hash). The audit row says that the password changed, not what to.
    """

    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        # Django's own words (PasswordChangeForm), already translated.
        raise ValidationError({"old_password": _("Your old password was entered incorrectly. Please enter it again.")})
    try:
        validate_password(new_password, user=user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from None
    return password_store(user, new_password, actor=user, note=_("Password changed by the account's owner; API token revoked"))


@transaction.atomic
def user_token_obtain(*, user):
    """The user's API token, made (and audited) the first time it is asked for."""
    from rest_framework.authtoken.models import Token

    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_record(actor=user, action=AuditLog.Action.UPDATE, instance=user, note=_("API token created"))
    return token

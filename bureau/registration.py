"""Members of the public register themselves (DESIGN.md "Public pages and parent accounts"):
real name, a mobile number confirmed by a one-time code, a password; and reset a forgotten
password with a code sent to the same number.

A parent's user name is its mobile number, so the number is unique among accounts and is
what the parent logs in with. The code is checked by the view before these run (outside a
transaction, so a wrong guess stays counted: bureau/codes.py).
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bureau.models import AuditLog, Role, User
from bureau.services import audit_record, password_store, password_validate

MOBILE = re.compile(r"^1\d{10}$")


def mobile_clean(mobile):
    mobile = re.sub(r"[\s-]", "", mobile or "")
    if not MOBILE.match(mobile):
        raise ValidationError({"mobile": _("Enter an 11-digit mobile number starting with 1.")})
    return mobile


def mobile_registered(mobile):
    return User.objects.filter(username=mobile).exists() or User.objects.filter(mobile=mobile, role=Role.PARENT).exists()


def parent_account(mobile):
    """The active parent account of a number, or None (a reset is for parents only: staff
    accounts are the administrator's to reset)."""
    return User.objects.filter(username=mobile, role=Role.PARENT, is_active=True).first()


@transaction.atomic
def parent_register(*, name, mobile, password):
    """Create a parent account for a confirmed number."""
    mobile = mobile_clean(mobile)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter your real name.")})
    if mobile_registered(mobile):
        raise ValidationError({"mobile": _("This number is registered already: log in, or reset the password.")})
    user = User(username=mobile, name=name, mobile=mobile, role=Role.PARENT)
    password_validate(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(actor=user, action=AuditLog.Action.CREATE, instance=user,
                 changes={"role": [None, Role.PARENT]}, note=_("Registered with a confirmed mobile number"))
    return user


@transaction.atomic
def parent_password_reset(*, mobile, password):
    """Set a new password for the parent account of a confirmed number."""
    user = parent_account(mobile_clean(mobile))
    if user is None:
        raise ValidationError({"mobile": _("No parent account has this number.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    password_validate(password, user)
    return password_store(user, password, actor=user, note=_("Password reset with a code sent to the mobile number"))

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.scope import ScopedQuerySet


class Department(models.Model):
    """A department (科室) of the bureau, e.g. 基础教育科 or 督导室."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Bureau administrator")
    STAFF = "staff", _("Bureau staff")
    LEADER = "leader", _("Bureau leader")
    INSPECTOR = "inspector", _("Inspector")
    PRINCIPAL = "principal", _("Principal")
    PARENT = "parent", _("Parent / public")


BUREAU_ROLES = frozenset({Role.ADMIN, Role.STAFF, Role.LEADER})


class InspectorKind(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time inspector")
    PART_TIME = "part_time", _("Part-time inspector")
    SPECIAL = "special", _("Specially invited inspector")


class UserQuerySet(ScopedQuerySet):
    """Accounts; `visible_to(user)` gives the accounts a user manages (bureau/permissions.py)."""


class PortalUserManager(UserManager):
    """Django's UserManager (create_user, get_by_natural_key…) over a scoped queryset."""

    def get_queryset(self):
        return UserQuerySet(self.model, using=self._db)

    def visible_to(self, user):
        return self.get_queryset().visible_to(user)


class User(AbstractUser):
    """A portal account. The role and its scope (district, school) decide what it sees.

    Scope rules live in bureau.permissions; nothing else interprets these fields.
    """

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARENT)
    name = models.CharField(_("full name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    district = models.ForeignKey(
        "schools.District", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
        help_text=_("For bureau roles and inspectors: the district (or city) whose data the user works on."),
    )
    school = models.ForeignKey(
        "schools.School", verbose_name=_("school"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users", help_text=_("For principals: the one school they keep."),
    )
    inspector_kind = models.CharField(
        _("inspector kind"), max_length=16, choices=InspectorKind.choices, blank=True
    )
    # Staff who head their department in their district: what is overdue there is escalated
    # to them (the complaints' reminders).
    heads_department = models.BooleanField(_("heads the department"), default=False)
    # Set only on a deputy principal (DESIGN.md: "校长 and a deputy the principal names"):
    # the principal who named it. PROTECT: accounts are deactivated, never deleted, and a
    # deputy's account must keep saying who vouched for it.
    named_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="deputies",
        verbose_name=_("named by"),
    )

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="principal") | models.Q(school__isnull=False),
                name="principal_has_school",
            ),
        ]

    def __str__(self):
        return self.name or self.username

    @property
    def display_name(self):
        return self.name or self.username

    @property
    def is_bureau(self):
        return self.role in BUREAU_ROLES

    @property
    def is_deputy(self):
        """A deputy principal: a principal of the school named by that school's principal."""
        return self.role == Role.PRINCIPAL and self.named_by_id is not None

    def clean(self):
        super().clean()
        if self.named_by_id is not None:
            if self.role != Role.PRINCIPAL:
                raise ValidationError({"named_by": _("Only a principal's account can be a deputy.")})
            if self.pk is not None and self.named_by_id == self.pk:
                raise ValidationError({"named_by": _("An account cannot be its own deputy.")})

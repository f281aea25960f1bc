"""Forms of the account pages. They shape input; bureau.services checks the rules and writes.

Every choice of a related record (district, school, zone, inspector) is limited to what
the administrator manages, so a form cannot even offer another district's records.
"""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from bureau.models import BUREAU_ROLES, Department, InspectorKind, Role, User
from bureau.natural import natural_key
from bureau.webforms import PortalMessagesMixin, apply_service_error

# The records an account is scoped to belong to the domain apps; the account's own relations
# name them, so that bureau, the base app, imports none of those apps.
District = User._meta.get_field("district").related_model
School = User._meta.get_field("school").related_model
InspectorZone = User._meta.get_field("inspector_zones").related_model

# Parents register themselves; the administrator creates every other kind of account.
MANAGED_ROLES = [(value, label) for value, label in Role.choices if value != Role.PARENT]


class ZoneChoiceIterator(ModelChoiceIterator):
    """Zones by district, then in counting order (第二 before 第十): the database sorts 第七
    before 第三 before 第二, so the (short) list is sorted here."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        zones = sorted(self.queryset, key=lambda zone: (zone.district.code, natural_key(zone.name)))
        for zone in zones:
            yield self.choice(zone)


class ZoneMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ZoneChoiceIterator


def mobile_field(*, required):
    return forms.RegexField(
        label=_("Mobile number"), regex=r"^\+?[0-9-]{7,20}$", max_length=20, required=required,
        error_messages={"invalid": _("Enter a phone number: digits and dashes only.")},
    )


class UserFilterForm(PortalMessagesMixin, forms.Form):
    q = forms.CharField(label=_("Username, name or mobile"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All roles")), *MANAGED_ROLES], required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False, empty_label=_("All departments")
    )
    active = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Active and inactive")), ("1", _("Active")), ("0", _("Inactive"))],
    )


class UserForm(PortalMessagesMixin, forms.Form):
    """Create (with an initial password) or edit an account and its scope."""

    username = forms.CharField(label=_("Username"), max_length=150)
    name = forms.CharField(label=_("Full name"), max_length=50)
    mobile = mobile_field(required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    # No default: a new account must not quietly become an administrator's.
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Choose a role")), *MANAGED_ROLES],
        widget=forms.Select(attrs={"data-role-select": ""}),
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False,
        help_text=_("Required for bureau staff."),
    )
    heads_department = forms.BooleanField(
        label=_("Heads the department"), required=False,
        help_text=_("Overdue work of the department in this district is escalated to its head."),
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False,
        help_text=_("For administrators, staff, leaders and inspectors: the district (or city) they work on."),
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False,
        help_text=_("For principals: the school they keep."),
    )
    inspector_kind = forms.ChoiceField(
        label=_("Inspector kind"), choices=[("", "—"), *InspectorKind.choices], required=False
    )
    zones = ZoneMultipleChoiceField(
        label=_("Inspector zones"), queryset=InspectorZone.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("For inspectors: the zones they look after."),
    )
    password1 = forms.CharField(
        label=_("Initial password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common password and not only digits."),
    )
    password2 = forms.CharField(
        label=_("Initial password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    SCOPE_FIELDS = ("username", "name", "mobile", "email", "role", "department", "heads_department", "district",
                    "school", "inspector_kind")

    # The roles each scope field is for. The page shows a field only for these roles
    # (static/js/portal.js); bureau.services.user_scope_clean checks and clears them whatever
    # the browser sends, so this is only what the page asks, never what it accepts.
    ROLE_FIELDS = {
        "department": (Role.STAFF,),
        "heads_department": (Role.STAFF,),
        "district": (*sorted(BUREAU_ROLES), Role.INSPECTOR),
        "school": (Role.PRINCIPAL,),
        "inspector_kind": (Role.INSPECTOR,),
        "zones": (Role.INSPECTOR,),
    }

    def __init__(self, *args, admin, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            initial = {name: getattr(instance, name) for name in self.SCOPE_FIELDS}
            initial["zones"] = list(instance.inspector_zones.all())
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.visible_to(admin).order_by("code")
        self.fields["school"].queryset = School.objects.visible_to(admin).order_by("code")
        self.fields["zones"].queryset = (
            InspectorZone.objects.visible_to(admin).select_related("district").order_by("district__code", "name")
        )
        if instance is not None:
            # Passwords are reset on their own page.
            del self.fields["password1"], self.fields["password2"]

    def field_roles(self):
        """{field name: "role role"} for the page's data-roles attributes."""
        roles = {name: list(values) for name, values in self.ROLE_FIELDS.items()}
        # An account of another bureau role that has a department keeps seeing it, rather
        # than carrying a value the page hides.
        instance = self.instance
        if instance is not None and instance.department_id and instance.role in BUREAU_ROLES:
            if instance.role not in roles["department"]:
                roles["department"].append(instance.role)
        return {name: " ".join(str(role) for role in values) for name, values in roles.items()}

    def clean(self):
        cleaned = super().clean()
        if "password1" in self.fields and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned

    def user_data(self):
        """The account fields for bureau.services.user_create / user_update."""
        data = {name: self.cleaned_data[name] for name in self.SCOPE_FIELDS}
        data["inspector_kind"] = data["inspector_kind"] or ""
        return data

    def apply_errors(self, exc):
        apply_service_error(self, exc, field_map={"password": "password1"})


class PasswordSetForm(PortalMessagesMixin, forms.Form):
    password1 = forms.CharField(
        label=_("New password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common password and not only digits."),
    )
    password2 = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned

    def apply_errors(self, exc):
        apply_service_error(self, exc, field_map={"password": "password1"})


class DeputyForm(PasswordSetForm):
    """A principal names a deputy: who it is and an initial password (bureau.services.deputy_create)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    name = forms.CharField(label=_("Full name"), max_length=50)
    mobile = mobile_field(required=True)

    field_order = ["username", "name", "mobile", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("Initial password")
        self.fields["password2"].label = _("Initial password again")

    def deputy_data(self):
        data = {name: self.cleaned_data[name] for name in ("username", "name", "mobile")}
        data["password"] = self.cleaned_data["password1"]
        return data


class DepartmentForm(PortalMessagesMixin, forms.ModelForm):
    """Validates a department like the model does; bureau.services writes it."""

    class Meta:
        model = Department
        fields = ["code", "name", "ordering"]
        help_texts = {"code": _("Short Latin letters, digits or dashes, e.g. basic or inspection.")}


# ---- a parent's own registration and password reset (bureau/registration_views.py) --------


class MobileForm(PortalMessagesMixin, forms.Form):
    mobile = forms.CharField(label=_("Mobile number"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))


class RegisterStartForm(MobileForm):
    field_order = ["name", "mobile"]
    name = forms.CharField(label=_("Real name"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}),
                           help_text=_("Named complaints need your real name; the school is never told it."))


class CodePasswordForm(PasswordSetForm):
    field_order = ["code", "password1", "password2"]
    code = forms.CharField(label=_("Code from the text message"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))

"""Account pages: the bureau administrator's users, departments, inspector zones, and a
principal's deputies.

Each view: form → access helper (404 outside the administrator's districts) → service →
redirect or render. The services check the administrator's rights again.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from bureau import services
from bureau.errors import DomainError
from bureau.forms import DepartmentForm, DeputyForm, PasswordSetForm, UserFilterForm, UserForm
from bureau.models import Department, Role, User
from bureau.permissions import SCHOOL_READERS, can_name_deputy, get_visible_or_404, require, roles_required
from bureau.selectors import audit_for_object, locked_usernames
from bureau.selectors import deputy_list as select_deputies
from bureau.selectors import user_list as select_users
from bureau.webforms import run_service

USERS_PER_PAGE = 50


# ---- users -------------------------------------------------------------------------


def _set_active(request, target, active, action):
    """Run an activate/deactivate service and say the outcome as a message."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc))
        return
    if active:
        messages.success(request, _("Account %(username)s reactivated.") % {"username": target.username})
    else:
        messages.success(request, _("Account %(username)s deactivated.") % {"username": target.username})


@roles_required(Role.ADMIN)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(select_users(user=request.user, filters=filters), USERS_PER_PAGE).get_page(request.GET.get("page"))
    locked = locked_usernames(usernames=[u.username for u in page])
    return render(request, "accounts/user_list.html", {"form": form, "page_obj": page, "locked": locked})


@roles_required(Role.ADMIN)
def user_create(request):
    form = UserForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        created = {}

        def action():
            created["user"] = services.user_create(
                data=form.user_data(), password=form.cleaned_data["password1"], by=request.user,
                zones=form.cleaned_data["zones"],
            )

        if run_service(form, action):
            messages.success(request, _("Account %(username)s created.") % {"username": created["user"].username})
            return redirect("accounts:user_edit", pk=created["user"].pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@roles_required(Role.ADMIN)
def user_edit(request, pk):
    target = get_visible_or_404(
        User.objects.select_related("department", "district", "school", "named_by"), request.user, pk=pk
    )
    form = UserForm(request.POST or None, admin=request.user, instance=target)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.user_update(
            user=target, data=form.user_data(), by=request.user, zones=form.cleaned_data["zones"],
        )):
            messages.success(request, _("Account %(username)s saved.") % {"username": target.username})
            return redirect("accounts:user_edit", pk=target.pk)
    return render(request, "accounts/user_form.html", {
        "form": form,
        "target": target,
        "locked": bool(locked_usernames(usernames=[target.username])),
        "history": audit_for_object(instance=target, user=request.user),
    })


@roles_required(Role.ADMIN)
@require_POST
def user_set_active(request, pk):
    target = get_visible_or_404(User.objects, request.user, pk=pk)
    active = request.POST.get("active") == "1"
    _set_active(request, target, active, lambda: services.user_set_active(user=target, active=active, by=request.user))
    return redirect("accounts:user_edit", pk=target.pk)


@roles_required(Role.ADMIN)
def user_password(request, pk):
    target = get_visible_or_404(User.objects, request.user, pk=pk)
    form = PasswordSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.user_set_password(
            user=target, password=form.cleaned_data["password1"], by=request.user,
        )):
            messages.success(request, _("The password of %(username)s was reset.") % {"username": target.username})
            return redirect("accounts:user_edit", pk=target.pk)
    return render(request, "accounts/user_password.html", {"form": form, "target": target})


@roles_required(Role.ADMIN)
@require_POST
def user_unlock(request, pk):
    target = get_visible_or_404(User.objects, request.user, pk=pk)
    services.user_unlock(user=target, by=request.user)
    messages.success(request, _("%(username)s can log in again.") % {"username": target.username})
    return redirect("accounts:user_edit", pk=target.pk)


# ---- a principal's deputies ----------------------------------------------------------
# Administrators manage deputies' accounts on the user pages; these are the principal's.


@roles_required(Role.PRINCIPAL)
def deputy_list(request):
    require(can_name_deputy(request.user))  # a deputy names no deputies
    form = DeputyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deputy = run_service(form, lambda: services.deputy_create(data=form.deputy_data(), by=request.user))
        if deputy:
            messages.success(request, _("Deputy %(username)s named.") % {"username": deputy.username})
            return redirect("accounts:deputy_list")
    deputies = list(select_deputies(user=request.user))
    active = sum(1 for deputy in deputies if deputy.is_active)
    return render(request, "accounts/deputy_list.html", {
        "form": form, "deputies": deputies, "active_count": active, "max_deputies": services.MAX_DEPUTIES,
        "room": active < services.MAX_DEPUTIES,
    })


@roles_required(Role.PRINCIPAL)
@require_POST
def deputy_set_active(request, pk):
    require(can_name_deputy(request.user))
    deputy = get_visible_or_404(User.objects, request.user, pk=pk)
    active = request.POST.get("active") == "1"
    _set_active(request, deputy, active, lambda: services.deputy_set_active(deputy=deputy, active=active, by=request.user))
    return redirect("accounts:deputy_list")


# ---- departments -------------------------------------------------------------------


@roles_required(Role.ADMIN)
def department_list(request):
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.department_create(data=form.cleaned_data, by=request.user)):
            messages.success(request, _("Department %(name)s added.") % {"name": form.cleaned_data["name"]})
            return redirect("accounts:department_list")
    departments = Department.objects.order_by("ordering", "name")
    return render(request, "accounts/department_list.html", {"form": form, "departments": departments})


@roles_required(Role.ADMIN)
def department_edit(request, pk):
    # Departments are the bureau's, not a district's: every administrator sees them all.
    department = get_object_or_404(Department, pk=pk)
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if run_service(form, lambda: services.department_update(department=department, data=data, by=request.user)):
            messages.success(request, _("Department %(name)s saved.") % {"name": data["name"]})
            return redirect("accounts:department_list")
    department.refresh_from_db()  # the ModelForm set the posted values on it
    return render(request, "accounts/department_form.html", {
        "form": form, "department": department, "history": audit_for_object(instance=department, user=request.user),
    })


# ---- every user's own API token ----------------------------------------------------


# Parents have nothing to read through the API (it serves school data).
@roles_required(*SCHOOL_READERS)
def api_token(request):
    """Show the user's API token; POST makes a new one (the old one stops working)."""
    if request.method == "POST":
        services.user_token_regenerate(user=request.user)
        messages.success(request, _("A new API token was made; the old one no longer works."))
        return redirect("accounts:api_token")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/api_token.html", {"token": token})

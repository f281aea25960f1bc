"""A parent registers, or resets a forgotten password, with a code sent to its mobile.

Two steps each: the number (and, to register, the real name) → a code is sent; then the
code and a password. The number waits in the session between the steps; the code is
checked outside a transaction (bureau/codes.py), then the service runs.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bureau import codes, registration
from bureau.backends import PORTAL_BACKEND
from bureau.forms import CodePasswordForm, MobileForm, RegisterStartForm
from bureau.models import OneTimeCode
from bureau.permissions import public
from bureau.webforms import apply_service_error, run_service

SESSION_KEY = "portal_pending_mobile"


def _pending(request, purpose):
    pending = request.session.get(SESSION_KEY) or {}
    return pending if pending.get("purpose") == purpose else None


def _start(request, form, purpose):
    """Validate the first step and send the code; True when it was sent (or, for a reset of
    a number without an account, pretended: the page says the same)."""
    try:
        mobile = registration.mobile_clean(form.cleaned_data["mobile"])
    except ValidationError as exc:
        apply_service_error(form, exc)
        return False
    deliver = True
    if purpose == OneTimeCode.Purpose.REGISTER and registration.mobile_registered(mobile):
        form.add_error("mobile", _("This number is registered already: log in, or reset the password."))
        return False
    if purpose == OneTimeCode.Purpose.RESET:
        deliver = registration.parent_account(mobile) is not None
    try:
        codes.code_send(mobile=mobile, purpose=purpose, address=request.META.get("REMOTE_ADDR"), deliver=deliver)
    except codes.CodeError as exc:
        form.add_error(None, str(exc))
        return False
    request.session[SESSION_KEY] = {"purpose": purpose, "mobile": mobile, "name": form.cleaned_data.get("name", "")}
    return True


def _finish(request, form, purpose, pending):
    try:
        codes.code_check(mobile=pending["mobile"], purpose=purpose, code=form.cleaned_data["code"])
    except codes.CodeError as exc:
        form.add_error("code", str(exc))
        return None
    if purpose == OneTimeCode.Purpose.REGISTER:
        action = lambda: registration.parent_register(  # noqa: E731
            name=pending["name"], mobile=pending["mobile"], password=form.cleaned_data["password1"])
    else:
        action = lambda: registration.parent_password_reset(  # noqa: E731
            mobile=pending["mobile"], password=form.cleaned_data["password1"])
    return run_service(form, action)


def _two_steps(request, *, purpose, start_form, template, done):
    pending = _pending(request, purpose)
    if pending is None or (request.method == "POST" and request.POST.get("step") == "start"):
        form = start_form(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid() and _start(request, form, purpose):
            return redirect(request.path)
        status = 400 if form.is_bound and form.errors else 200
        return render(request, template, {"form": form, "step": "start"}, status=status)
    form = CodePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _finish(request, form, purpose, pending)
        if user:
            request.session.pop(SESSION_KEY, None)
            return done(user)
    masked = f"{pending['mobile'][:3]}****{pending['mobile'][-4:]}"
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, {"form": form, "step": "code", "masked_mobile": masked}, status=status)


@public
def register(request):
    if request.user.is_authenticated:
        return redirect("home")

    def done(user):
        login(request, user, backend=PORTAL_BACKEND)
        messages.success(request, _("Welcome: your account is ready. You log in with your mobile number."))
        return redirect("home")

    return _two_steps(request, purpose=OneTimeCode.Purpose.REGISTER, start_form=RegisterStartForm,
                      template="registration/register.html", done=done)


@public
def password_forgot(request):
    def done(user):
        messages.success(request, _("Your password is changed. Log in with your mobile number and the new password."))
        return redirect("login")

    return _two_steps(request, purpose=OneTimeCode.Purpose.RESET, start_form=MobileForm,
                      template="registration/password_forgot.html", done=done)

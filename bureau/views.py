from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from bureau import home as home_panels
from bureau import services
from bureau.permissions import ALL_ROLES, public, roles_required
from bureau.webforms import run_service


@roles_required(*ALL_ROLES)
def home(request):
    user = request.user
    url = home_panels.landing_url(user)
    if url:
        return redirect(url)
    return render(request, "bureau/home.html", {"panels": home_panels.panels_for(user)})


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's form and page; the change itself is bureau.services.user_password_change."""

    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        # Not form.save(): the service also revokes the API token and writes the audit row.
        user = run_service(form, lambda: services.user_password_change(
            user=self.request.user,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password1"],
        ), field_map={"new_password": "new_password2"})
        if user is None:
            return self.form_invalid(form)
        # This session takes the new password's hash and goes on; every other session of the
        # user still holds the old hash, fails Django's check on its next request and is flushed.
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


login_view = public(LoginView.as_view())
logout_view = public(auth_views.LogoutView.as_view())
password_change = roles_required(*ALL_ROLES)(PasswordChangeView.as_view())
password_change_done = roles_required(*ALL_ROLES)(auth_views.PasswordChangeDoneView.as_view())

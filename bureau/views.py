from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views import defaults
from django.views.decorators.http import require_POST
from rest_framework import exceptions as api_errors

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


# ---- error pages (bureau/urls.py handler400 … handler500) ------------------------------
# Pages answer with the portal's own templates (templates/400.html … 500.html); anything under
# /api/ answers JSON in DRF's shape ({"detail": …}, DRF's own translated texts), since a client
# of the API cannot read an HTML page. DRF's views answer their own errors; these catch what
# Django raises around them (an unknown /api/ address, a crash outside a view's handler).

API_PREFIX = "/api/"


def _api_error(request, status, detail):
    if request is not None and request.path.startswith(API_PREFIX):
        # A 400 has the shape of every other 400 of the API (bureau.api): reasons in a list.
        body = {"detail": [str(detail)] if status == 400 else str(detail)}
        return JsonResponse(body, status=status)
    return None


def bad_request(request, exception):
    return _api_error(request, 400, api_errors.ParseError.default_detail) or defaults.bad_request(request, exception)


def permission_denied(request, exception):
    return _api_error(request, 403, api_errors.PermissionDenied.default_detail) or defaults.permission_denied(
        request, exception
    )


def page_not_found(request, exception):
    return _api_error(request, 404, api_errors.NotFound.default_detail) or defaults.page_not_found(request, exception)


def server_error(request):
    # Nothing here may touch the database: it may be the reason for the error.
    return _api_error(request, 500, api_errors.APIException.default_detail) or defaults.server_error(request)


# ---- one's notices (bureau/notices.py) ---------------------------------------------------


@roles_required(*ALL_ROLES)
def notice_list(request):
    from bureau.notices import notices_for

    return render(request, "accounts/notices.html", {"notices": notices_for(user=request.user)})


@roles_required(*ALL_ROLES)
@require_POST
def notices_read(request):
    from bureau.notices import notices_mark_read

    notices_mark_read(user=request.user)
    return redirect("accounts:notices")

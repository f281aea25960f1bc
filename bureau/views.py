from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render

from bureau.models import Role
from bureau.permissions import ALL_ROLES, public, roles_required
from bureau.selectors import home_summary


@roles_required(*ALL_ROLES)
def home(request):
    user = request.user
    if user.role == Role.PRINCIPAL and user.school_id:
        return redirect("schools:school_detail", pk=user.school_id)
    return render(request, "bureau/home.html", {"summary": home_summary(user=user)})


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


login_view = public(LoginView.as_view())
logout_view = public(auth_views.LogoutView.as_view())
password_change = roles_required(*ALL_ROLES)(auth_views.PasswordChangeView.as_view(success_url="/accounts/password/done/"))
password_change_done = roles_required(*ALL_ROLES)(auth_views.PasswordChangeDoneView.as_view())

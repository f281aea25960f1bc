from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render

from bureau import home as home_panels
from bureau.permissions import ALL_ROLES, public, roles_required


@roles_required(*ALL_ROLES)
def home(request):
    user = request.user
    url = home_panels.landing_url(user)
    if url:
        return redirect(url)
    return render(request, "bureau/home.html", {"panels": home_panels.panels_for(user)})


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


login_view = public(LoginView.as_view())
logout_view = public(auth_views.LogoutView.as_view())
password_change = roles_required(*ALL_ROLES)(auth_views.PasswordChangeView.as_view(success_url="/accounts/password/done/"))
password_change_done = roles_required(*ALL_ROLES)(auth_views.PasswordChangeDoneView.as_view())

from django.contrib import admin
from django.urls import include, path

from bureau import registration_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", registration_views.register, name="register"),
    path("password-reset/", registration_views.password_forgot, name="password_forgot"),
    path("accounts/", include("bureau.accounts_urls")),
    path("schools/", include("schools.urls")),
    # Spreadsheet import and export of every declared kind (bureau/sheets/).
    path("", include("bureau.sheets.urls")),
    path("inspections/", include("inspections.urls")),
    path("complaints/", include("complaints.urls")),
    path("reports/", include("reports.urls")),
    # Public: a school's gate sign (its inspectors and the complaint line), no login.
    path("sign/", include("inspections.sign_urls")),
    path("api/", include("bureau.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

# The portal's error pages, and JSON under /api/ (bureau/views.py).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

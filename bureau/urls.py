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
    path("inspections/surveys/", include("inspections.surveys.urls")),
    path("inspections/", include("inspections.urls")),
    path("complaints/", include("complaints.urls")),
    path("reports/", include("reports.urls")),
    # Public: a school's gate sign (its inspectors and the complaint line), no login.
    path("sign/", include("inspections.sign_urls")),
    # Public: published bulletins (通报) and their PDFs, no login.
    path("bulletins/", include("reports.bulletin_urls")),
    # Public: a survey's answer form, opened by a school's access code, no login.
    path("survey/", include("inspections.surveys.public_urls")),
    path("api/", include("bureau.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

# The portal's error pages, and JSON under /api/ (bureau/views.py).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

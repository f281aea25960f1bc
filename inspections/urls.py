from django.urls import path

from inspections.views import themes, visits, zones

app_name = "inspections"

urlpatterns = [
    path("zones/", zones.zone_list, name="zone_list"),
    path("zones/<int:pk>/", zones.zone_edit, name="zone_edit"),
    path("themes/", themes.theme_list, name="theme_list"),
    path("themes/new/", themes.theme_create, name="theme_create"),
    path("themes/load-defaults/", themes.theme_load_defaults, name="theme_load_defaults"),
    path("themes/copy-year/", themes.theme_copy_year, name="theme_copy_year"),
    path("themes/<int:pk>/", themes.theme_detail, name="theme_detail"),
    path("themes/<int:pk>/save/", themes.theme_save, name="theme_save"),
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/start/", visits.visit_start, name="visit_start"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/file/", visits.visit_file, name="visit_file"),
    path("evidence/<int:pk>/", visits.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/delete/", visits.evidence_delete, name="evidence_delete"),
]

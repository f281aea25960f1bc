from django.urls import path

from inspections.views import draws, notices, signs, themes, visits, work, zones

app_name = "inspections"

urlpatterns = [
    path("zones/", zones.zone_list, name="zone_list"),
    path("zones/<int:pk>/", zones.zone_edit, name="zone_edit"),
    path("my-month/", work.my_month, name="my_month"),
    path("inspectors/", work.inspector_load, name="inspector_load"),
    path("my-card/", signs.my_card, name="my_card"),
    path("draws/", draws.draw_list, name="draw_list"),
    path("draws/new/", draws.draw_create, name="draw_create"),
    path("draws/<int:pk>/", draws.draw_detail, name="draw_detail"),
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
    path("items/<int:pk>/notice/", notices.notice_issue, name="notice_issue"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/answer/", notices.notice_answer, name="notice_answer"),
    path("notices/<int:pk>/verify/", notices.notice_verify, name="notice_verify"),
    path("notices/<int:pk>/return/", notices.notice_return, name="notice_return"),
    path("notice-evidence/<int:pk>/", notices.notice_evidence_file, name="notice_evidence_file"),
]

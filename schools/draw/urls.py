"""Routes of the class draws, part of the schools namespace (schools/urls.py adds them)."""

from django.urls import path

from schools.draw import views

urlpatterns = [
    path("draws/", views.draw_list, name="draw_list"),
    path("draws/new/", views.draw_create, name="draw_create"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/roster/", views.roster_upload, name="draw_roster_upload"),
    path("draws/<int:pk>/roster/template.xlsx", views.roster_template, name="draw_roster_template"),
    path("draws/<int:pk>/classes/", views.draw_classes, name="draw_classes"),
    path("draws/<int:pk>/seed/", views.draw_seed, name="draw_seed"),
    path("draws/<int:pk>/draw/", views.draw_run, name="draw_run"),
    path("draws/<int:pk>/classes.xlsx", views.draw_export, name="draw_export"),
    path("draws/<int:pk>/classes.pdf", views.draw_pdf, name="draw_pdf"),
    path("draws/<int:pk>/teachers/", views.draw_teachers, name="draw_teachers"),
    path("draws/<int:pk>/teachers/assign/", views.draw_teachers_assign, name="draw_teachers_assign"),
    path("draws/<int:pk>/transfers/", views.transfer_request, name="draw_transfer_request"),
    path("draws/transfers/<int:pk>/approve/", views.transfer_approve, name="draw_transfer_approve"),
    path("draws/transfers/<int:pk>/reject/", views.transfer_reject, name="draw_transfer_reject"),
    # Public: no login, rate-limited, no names.
    path("draws/<int:pk>/verify/", views.draw_verify, name="draw_verify"),
]

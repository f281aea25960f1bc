from django.urls import path

from bureau.sheets import views

app_name = "sheets"

urlpatterns = [
    path("imports/", views.import_start, name="import_start"),
    path("imports/upload/", views.import_upload, name="import_upload"),
    path("imports/templates/<slug:kind>.<slug:fmt>", views.import_template, name="import_template"),
    path("imports/jobs/<int:pk>/", views.import_job, name="import_job"),
    path("imports/jobs/<int:pk>/status/", views.import_job_status, name="import_job_status"),
    path("imports/jobs/<int:pk>/confirm/", views.import_job_confirm, name="import_job_confirm"),
    path("imports/jobs/<int:pk>/retry/", views.import_job_retry, name="import_job_retry"),
    path("imports/jobs/<int:pk>/cancel/", views.import_job_cancel, name="import_job_cancel"),
    path("imports/jobs/<int:pk>/errors.csv", views.import_job_errors, name="import_job_errors"),
    path("exports/", views.export_index, name="export_index"),
    path("exports/<slug:kind>.<slug:fmt>", views.export_download, name="export_download"),
]

from django.urls import include, path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("my-school/", views.my_school, name="my_school"),
    path("assessment-criteria/", views.criteria, name="criteria"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/<slug:report_kind>/", views.schedule_update, name="schedule_update"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path("<int:pk>/withdraw/", views.report_withdraw, name="withdraw"),
    path("<int:pk>/rerun/", views.report_rerun, name="rerun"),
    # The dashboards (figures from the metric snapshots), in this same namespace.
    path("figures/", include("reports.dashboard_urls")),
]

"""The dashboards' URLs, included by reports/urls.py under its "reports" namespace."""

from django.urls import path

from reports import dashboard_views as views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("city/", views.city, name="city"),
    path("district/<int:pk>/", views.district, name="district"),
    path("district/<int:pk>/refresh/", views.refresh, name="refresh"),
    path("district/<int:pk>/refresh/status/", views.refresh_status, name="refresh_status"),
    path("zone/<int:pk>/", views.zone, name="zone"),
    path("school/<int:pk>/", views.school, name="school"),
    path("class/<int:pk>/", views.school_class, name="class"),
    path("targets/", views.targets, name="targets"),
]

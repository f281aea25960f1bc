from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("zones/", views.zone_list, name="zone_list"),
    path("zones/<int:pk>/", views.zone_edit, name="zone_edit"),
]

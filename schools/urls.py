from django.urls import path

from schools import import_views, views

app_name = "schools"

urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("<int:pk>/", views.school_detail, name="school_detail"),
    path("teachers/", views.teacher_list, name="teacher_list"),
    path("import/", import_views.import_start, name="import_start"),
]

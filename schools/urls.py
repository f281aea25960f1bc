from django.urls import path

from schools import views
from schools.draw import urls as draw_urls

app_name = "schools"

urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("<int:pk>/", views.school_detail, name="school_detail"),
    path("teachers/", views.teacher_list, name="teacher_list"),
    path("new/", views.school_create, name="school_create"),
    path("new/save/", views.school_create_save, name="school_create_save"),
    # Close or merge an open school, reopen a closed or merged one: a page that confirms.
    path("<int:pk>/status/", views.school_status, name="school_status"),
    path("<int:pk>/status/save/", views.school_status_save, name="school_status_save"),
    # School pages: edit forms are GET pages that post to a POST-only "save" route.
    path("<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("<int:pk>/edit/save/", views.school_save, name="school_save"),
    path("<int:pk>/statistics/<int:year>/", views.stat_edit, name="stat_edit"),
    path("<int:pk>/statistics/<int:year>/save/", views.stat_save, name="stat_save"),
    path("<int:pk>/classes/new/", views.class_create, name="class_create"),
    path("<int:pk>/classes/new/save/", views.class_create_save, name="class_create_save"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:pk>/edit/save/", views.class_save, name="class_save"),
    path("<int:pk>/teachers/new/", views.teacher_create, name="teacher_create"),
    path("<int:pk>/teachers/new/save/", views.teacher_create_save, name="teacher_create_save"),
    path("teachers/<int:pk>/", views.teacher_detail, name="teacher_detail"),
    path("teachers/<int:pk>/edit/", views.teacher_edit, name="teacher_edit"),
    path("teachers/<int:pk>/edit/save/", views.teacher_save, name="teacher_save"),
    path("teachers/<int:pk>/trainings/add/", views.training_add, name="training_add"),
    path("teachers/<int:pk>/rotations/add/", views.rotation_add, name="rotation_add"),
]

# Balanced class assignment (均衡分班): schools/draw/.
urlpatterns += draw_urls.urlpatterns

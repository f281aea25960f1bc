from django.urls import path

from bureau import accounts_views, calendar_views, views

app_name = "accounts"

urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("password/done/", views.password_change_done, name="password_change_done"),
    path("token/", accounts_views.api_token, name="api_token"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("users/", accounts_views.user_list, name="user_list"),
    path("users/new/", accounts_views.user_create, name="user_create"),
    path("users/<int:pk>/", accounts_views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", accounts_views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", accounts_views.user_password, name="user_password"),
    path("users/<int:pk>/unlock/", accounts_views.user_unlock, name="user_unlock"),
    path("deputies/", accounts_views.deputy_list, name="deputy_list"),
    path("deputies/<int:pk>/active/", accounts_views.deputy_set_active, name="deputy_set_active"),
    path("departments/", accounts_views.department_list, name="department_list"),
    path("departments/<int:pk>/", accounts_views.department_edit, name="department_edit"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/days/<int:pk>/", calendar_views.calendar_day_edit, name="calendar_day_edit"),
    path("calendar/days/<int:pk>/delete/", calendar_views.calendar_day_delete, name="calendar_day_delete"),
]

from django.urls import path

from bureau import views

app_name = "accounts"

urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("password/done/", views.password_change_done, name="password_change_done"),
]
urlpatterns += [path("users/", views.home, name="user_list")]  # replaced by user management

from django.urls import path

from reports import views

app_name = "bulletins"

urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("<int:pk>/", views.bulletin_detail, name="detail"),
    path("<int:pk>/pdf/", views.bulletin_pdf, name="pdf"),
]
